package ae.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import ae.tensor.Activation;
import ae.tensor.DType;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Jacobian of a whole autoencoder's reconstruction r = g(f(x)) (seed 14.7: contraction where it counts): the
 * exact per-example Jacobian and the norm penalty through encoder and decoder, tied or not, against the Jacobian
 * built row by row by back-propagation, and the penalty's gradients against central differences in float64.
 */
class ReconstructionJacobianTest {
    private record Autoencoder(Node x, Node r) {
    }

    private static Autoencoder autoencoder(GraphBuilder b, ParameterStore store, SplittableRandom random, int rows,
                                           int in, int code, boolean tied) {
        Node x = b.inputWithGradient("x", rows, in);
        Fixtures.uniform(x.value(), random, -1, 1);
        Parameter w = Fixtures.parameter(store, "W", random, -1, 1, code, in);
        Parameter c = Fixtures.parameter(store, "c", random, -0.5, 0.5, code);
        Parameter d = Fixtures.parameter(store, "d", random, -0.5, 0.5, in);
        Node h = b.linear(x, w, c, Activation.SIGMOID);
        Node r;
        if (tied) {
            r = b.tiedLinear(h, w, d, Activation.SIGMOID);
        } else {
            Parameter v = Fixtures.parameter(store, "V", random, -1, 1, in, code);
            r = b.linear(h, v, d, Activation.SIGMOID);
        }
        return new Autoencoder(x, r);
    }

    @Test
    void reconstructionJacobianAndItsNormEqualTheJacobianBuiltRowByRow() {
        qt().withExamples(15).forAll(integers().between(1, 4), integers().between(1, 5), integers().between(1, 4),
                longs().all()).checkAssert((rows, in, code, seed) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    boolean tied = random.nextBoolean();
                    try (ParameterStore store = ParameterStore.open("ae", DType.F64)) {
                        GraphBuilder b = Graph.builder("reconstruction", DType.F64);
                        Autoencoder a = autoencoder(b, store, random, rows, in, code, tied);
                        Node jacobian = b.jacobian(a.x(), a.r());
                        Node norm = b.jacobianNormSquared(a.x(), a.r());
                        try (Graph g = b.build()) {
                            g.forward();
                            double[][][] expected = FusedPenaltyTest.jacobiansRowByRow(g, a.x(), a.r());
                            for (int i = 0; i < rows; i++) {
                                for (int out = 0; out < in; out++) {
                                    for (int p = 0; p < in; p++) {
                                        assertEquals(expected[i][out][p], jacobian.value().get(p * rows + i, out),
                                                1e-12, "example " + i + " output " + out + " input " + p);
                                    }
                                }
                            }
                            assertEquals(FusedPenaltyTest.meanSquaredFrobenius(expected), g.scalar(norm), 1e-10,
                                    tied ? "tied" : "untied");
                        }
                    }
                });
    }

    @Test
    void reconstructionContractivePenaltyGradientsMatchCentralDifferences() {
        qt().withExamples(10).forAll(integers().between(1, 3), integers().between(1, 4), integers().between(1, 3),
                longs().all()).checkAssert((rows, in, code, seed) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    boolean tied = random.nextBoolean();
                    try (ParameterStore store = ParameterStore.open("ae", DType.F64)) {
                        GraphBuilder b = Graph.builder("reconstruction", DType.F64);
                        Autoencoder a = autoencoder(b, store, random, rows, in, code, tied);
                        Node loss = b.add(b.jacobianNormSquared(a.x(), a.r()), Fixtures.weightedSum(b, a.r(), random));
                        try (Graph g = b.build()) {
                            g.forward();
                            GradientChecker.Report report = GradientChecker.defaults().check(g, loss);
                            assertTrue(report.passed(), () -> (tied ? "tied: " : "untied: ") + report.message());
                        }
                    }
                });
    }
}
