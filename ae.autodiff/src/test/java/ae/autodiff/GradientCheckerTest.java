package ae.autodiff;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.tensor.Activation;
import ae.tensor.DType;
import ae.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The checker must reject wrong backward passes, and say where they are wrong. */
class GradientCheckerTest {
    /** How the weight gradient of {@link SquareLinear} is computed. */
    enum WeightGradient { RIGHT, OFF_BY_ONE_PERCENT, TRANSPOSED }

    /** {@code y = x W^T} for a square W, with a backward that can be deliberately wrong. */
    record SquareLinear(WeightGradient weightGradient) implements Primitive {
        @Override
        public String name() {
            return "squareLinear[" + weightGradient + "]";
        }

        @Override
        public void forward(Tensor[] inputs, Tensor y) {
            Tensor x = inputs[0];
            Tensor w = inputs[1];
            for (int i = 0; i < y.rows(); i++) {
                for (int j = 0; j < y.cols(); j++) {
                    double acc = 0;
                    for (int k = 0; k < x.cols(); k++) {
                        acc += x.get(i, k) * w.get(j, k);
                    }
                    y.set(i, j, acc);
                }
            }
        }

        @Override
        public void backward(Tensor[] inputs, Tensor y, Tensor dy, Tensor[] grads) {
            Tensor x = inputs[0];
            Tensor dw = grads[1];
            int d = dw.rows();
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    double acc = 0;
                    for (int i = 0; i < x.rows(); i++) {
                        acc += dy.get(i, j) * x.get(i, k);
                    }
                    switch (weightGradient) {
                        case RIGHT -> dw.set(j, k, dw.get(j, k) + acc);
                        case OFF_BY_ONE_PERCENT -> dw.set(j, k, dw.get(j, k) + 1.01 * acc);
                        case TRANSPOSED -> dw.set(k, j, dw.get(k, j) + acc);
                    }
                }
            }
        }
    }

    private static GradientChecker.Report checkSquareLinear(WeightGradient kind, GradientChecker checker) {
        SplittableRandom random = new SplittableRandom(42);
        try (ParameterStore store = ParameterStore.open("wrong", DType.F64)) {
            Parameter w = Fixtures.parameter(store, "W", random, -1, 1, 4, 4);
            GraphBuilder b = Graph.builder("wrong backward", DType.F64);
            Node x = b.input("x", 3, 4);
            Fixtures.uniform(x.value(), random, 0.5, 1.5);
            Node y = b.apply(new SquareLinear(kind), 3, 4, x, b.parameter(w));
            Node weights = b.input("R", 3, 4);
            Fixtures.uniform(weights.value(), random, 0.5, 1.5);
            Node loss = b.sum(b.multiply(y, weights));
            try (Graph g = b.build()) {
                return checker.check(g, loss);
            }
        }
    }

    @Test
    void acceptsTheRightBackward() {
        assertTrue(checkSquareLinear(WeightGradient.RIGHT, GradientChecker.defaults()).passed());
        assertTrue(checkSquareLinear(WeightGradient.RIGHT, GradientChecker.defaults().randomDirections(5, 1)).passed());
    }

    @Test
    void rejectsAGradientOffByOnePercentAndNamesTheWorstElement() {
        GradientChecker.Report report = checkSquareLinear(WeightGradient.OFF_BY_ONE_PERCENT,
                GradientChecker.defaults());
        assertFalse(report.passed());
        String message = report.message();
        assertTrue(message.contains("failed"), message);
        assertTrue(message.contains("squareLinear[OFF_BY_ONE_PERCENT]"), message);
        assertTrue(message.contains("parameter 'W'"), message);
        assertTrue(message.matches("(?s).*element \\[\\d, \\d\\].*"), message);
        assertTrue(message.contains("analytic") && message.contains("numeric"), message);
        GradientChecker.Finding worst = report.findings().get(0);
        assertTrue(Math.abs(worst.analytic() / worst.numeric() - 1.01) < 1e-6, message);
    }

    @Test
    void rejectsATransposedWeightGradient() {
        assertFalse(checkSquareLinear(WeightGradient.TRANSPOSED, GradientChecker.defaults()).passed());
        assertFalse(checkSquareLinear(WeightGradient.TRANSPOSED, GradientChecker.defaults().randomDirections(3,
                9)).passed());
    }

    @Test
    void randomDirectionsCatchTheOnePercentError() {
        GradientChecker.Report report = checkSquareLinear(WeightGradient.OFF_BY_ONE_PERCENT,
                GradientChecker.defaults().randomDirections(4, 3));
        assertFalse(report.passed(), report.message());
        assertTrue(report.message().contains("direction"), report.message());
    }

    @Test
    void verifyThrowsWithTheReport() {
        GradientChecker checker = GradientChecker.defaults();
        SplittableRandom random = new SplittableRandom(5);
        try (ParameterStore store = ParameterStore.open("p", DType.F64)) {
            Parameter w = Fixtures.parameter(store, "W", random, -1, 1, 2, 2);
            GraphBuilder b = Graph.builder("verify", DType.F64);
            Node x = b.input("x", 2, 2);
            Fixtures.uniform(x.value(), random, 0.5, 1.5);
            Node loss = b.sum(b.apply(new SquareLinear(WeightGradient.TRANSPOSED), 2, 2, x, b.parameter(w)));
            try (Graph g = b.build()) {
                GradientChecker.GradientMismatchException e =
                        assertThrows(GradientChecker.GradientMismatchException.class, () -> checker.verify(g, loss));
                assertFalse(e.report().passed());
            }
        }
    }

    @Test
    void refusesFloat32Graphs() {
        try (ParameterStore store = ParameterStore.open("p", DType.F32)) {
            Parameter w = store.create("W", 2, 2);
            GraphBuilder b = Graph.builder("f32", DType.F32);
            Node loss = b.sumOfSquares(b.parameter(w));
            try (Graph g = b.build()) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> GradientChecker.defaults().check(g, loss));
                assertTrue(e.getMessage().contains("float64"));
            }
        }
    }

    @Test
    void restoresEveryPerturbedValue() {
        SplittableRandom random = new SplittableRandom(8);
        try (ParameterStore store = ParameterStore.open("p", DType.F64)) {
            Parameter w = Fixtures.parameter(store, "W", random, -1, 1, 3, 2);
            double[] before = w.value().toDoubleArray();
            GraphBuilder b = Graph.builder("restore", DType.F64);
            Node x = b.input("x", 2, 2);
            Fixtures.uniform(x.value(), random, -1, 1);
            Node loss = b.sumOfSquares(b.linear(x, w, null, Activation.TANH));
            try (Graph g = b.build()) {
                GradientChecker.defaults().check(g, loss);
                GradientChecker.defaults().randomDirections(3, 4).check(g, loss);
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(before, w.value().toDoubleArray(), 0);
        }
    }
}
