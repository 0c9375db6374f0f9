package ae.examples.customop;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.autodiff.GradientChecker;
import ae.autodiff.Graph;
import ae.autodiff.GraphBuilder;
import ae.autodiff.Node;
import ae.autodiff.Parameter;
import ae.autodiff.ParameterStore;
import ae.autodiff.Primitive;
import ae.models.PenaltySite;
import ae.tensor.Activation;
import ae.tensor.DType;
import ae.tensor.Rng;
import ae.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The custom op's backward against central differences of its forward, in float64, alone and inside the penalty. */
class StudentTPenaltyTest {
    /** {@code sum(op(h) * r)} for a random h in [-2, 2] and random weights r, checked by {@code checker}. */
    private static GradientChecker.Report checkOp(Primitive op) {
        GraphBuilder b = Graph.builder("logOnePlusSquare", DType.F64);
        Node h = b.inputWithGradient("h", 4, 6);
        Rng.seeded(1).fillUniform(h.value(), -2, 2);
        Node r = b.input("r", 4, 6);
        Rng.seeded(2).fillUniform(r.value(), 0.5, 1.5);
        Node loss = b.sum(b.multiply(b.apply(op, 4, 6, h), r));
        try (Graph g = b.build()) {
            return GradientChecker.defaults().check(g, loss);
        }
    }

    @Test
    void theBackwardAgreesWithCentralDifferences() {
        GradientChecker.Report report = checkOp(LogOnePlusSquare.INSTANCE);
        assertTrue(report.passed(), report.message());
    }

    @Test
    void aBackwardThatOverwritesInsteadOfAddingIsCaught() {
        // h is read twice; the product's backward runs first (backward goes in reverse order of recording), so an
        // op that overwrites its input's gradient instead of adding to it erases the product's contribution.
        Primitive overwriting = new Primitive() {
            @Override
            public String name() {
                return "overwriting";
            }

            @Override
            public void forward(Tensor[] inputs, Tensor output) {
                LogOnePlusSquare.INSTANCE.forward(inputs, output);
            }

            @Override
            public void backward(Tensor[] inputs, Tensor output, Tensor dy, Tensor[] grads) {
                grads[0].fill(0);
                LogOnePlusSquare.INSTANCE.backward(inputs, output, dy, grads);
            }
        };
        GraphBuilder b = Graph.builder("overwriting", DType.F64);
        Node h = b.inputWithGradient("h", 3, 4);
        Rng.seeded(3).fillUniform(h.value(), -2, 2);
        Node opTerm = b.sum(b.apply(overwriting, 3, 4, h));
        Node square = b.sum(b.multiply(h, h));
        Node loss = b.add(opTerm, square);
        try (Graph g = b.build()) {
            assertFalse(GradientChecker.defaults().check(g, loss).passed());
        }
    }

    @Test
    void thePenaltyTermAgreesWithCentralDifferencesThroughAnEncoderLayer() {
        try (ParameterStore store = ParameterStore.open("student-t", DType.F64)) {
            Parameter w = store.create("encoder.0.weight", 5, 8);
            Parameter bias = store.create("encoder.0.bias", 5);
            Rng.seeded(4).fillNormal(w.value(), 0, 1);
            Rng.seeded(5).fillNormal(bias.value(), 0, 0.5);
            GraphBuilder b = Graph.builder("student-t term", DType.F64);
            Node x = b.input("x", 3, 8);
            Rng.seeded(6).fillUniform(x.value(), 0, 1);
            Node h = b.linear(x, w, bias, Activation.TANH);
            PenaltySite site = new PenaltySite(b, x, h, 1, h, false, List.of(w));
            Node term = new StudentTPenalty(1).term(site);
            try (Graph g = b.build()) {
                GradientChecker.Report report = GradientChecker.defaults().check(g, term);
                assertTrue(report.passed(), report.message());
            }
        }
    }
}
