package ae.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import ae.tensor.Activation;
import ae.tensor.DType;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Forward values against formulas written out independently on plain arrays: the gradient checks only prove that
 * backward matches forward, not that forward computes the right function.
 */
class ForwardValueTest {
    private static final double TOLERANCE = 1e-12;

    /** A float64 graph over random parameters, reading them back as arrays. */
    private static final class Setup implements AutoCloseable {
        final SplittableRandom random;
        final ParameterStore store = ParameterStore.open("forward", DType.F64);
        final GraphBuilder b;

        Setup(long seed) {
            this.random = new SplittableRandom(seed);
            this.b = Graph.builder("forward", DType.F64).seed(seed);
        }

        Node leaf(String name, int rows, int cols, double low, double high) {
            return b.parameter(Fixtures.parameter(store, name, random, low, high, rows, cols));
        }

        @Override
        public void close() {
            store.close();
        }
    }

    private static double[][] matrix(Node n) {
        double[] flat = n.value().toDoubleArray();
        double[][] m = new double[n.rows()][n.cols()];
        for (int i = 0; i < n.rows(); i++) {
            System.arraycopy(flat, i * n.cols(), m[i], 0, n.cols());
        }
        return m;
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, TOLERANCE * Math.max(1, Math.abs(expected)), what);
    }

    private static double sigmoid(double a) {
        return 1 / (1 + Math.exp(-a));
    }

    private static double act(Activation act, double a) {
        return switch (act) {
            case IDENTITY -> a;
            case SIGMOID -> sigmoid(a);
            case TANH -> Math.tanh(a);
            case RELU -> Math.max(0, a);
            case SOFTPLUS -> Math.log(1 + Math.exp(a));
        };
    }

    private static double slope(Activation act, double a) {
        return switch (act) {
            case IDENTITY -> 1;
            case SIGMOID -> sigmoid(a) * (1 - sigmoid(a));
            case TANH -> 1 - Math.tanh(a) * Math.tanh(a);
            case RELU -> a > 0 ? 1 : 0;
            case SOFTPLUS -> sigmoid(a);
        };
    }

    /** a[i][j] = sum_k x[i][k] W_eff[j][k] + bias[j], W_eff = W or W^T. */
    private static double[][] preactivation(double[][] x, double[][] w, double[] bias, boolean tied) {
        int out = tied ? w[0].length : w.length;
        double[][] a = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < out; j++) {
                double acc = bias == null ? 0 : bias[j];
                for (int k = 0; k < x[i].length; k++) {
                    acc += x[i][k] * (tied ? w[k][j] : w[j][k]);
                }
                a[i][j] = acc;
            }
        }
        return a;
    }

    @Test
    void linearLayers() {
        qt().withExamples(20).forAll(integers().between(1, 5), integers().between(1, 6), integers().between(1, 5),
                longs().all()).checkAssert((rows, in, out, seed) -> {
                    try (Setup s = new Setup(seed)) {
                        boolean tied = s.random.nextBoolean();
                        Activation act = Activation.values()[s.random.nextInt(Activation.values().length)];
                        Node x = s.leaf("x", rows, in, -2, 2);
                        Parameter w = Fixtures.parameter(s.store, "W", s.random, -1, 1, tied ? in : out,
                                tied ? out : in);
                        Parameter bias = Fixtures.parameter(s.store, "b", s.random, -1, 1, out);
                        Node h = tied ? s.b.tiedLinear(x, w, bias, act) : s.b.linear(x, w, bias, act);
                        try (Graph g = s.b.build()) {
                            g.forward();
                            double[][] a = preactivation(matrix(x), matrix(g.nodeOf(w)),
                                    bias.value().toDoubleArray(), tied);
                            double[][] actual = matrix(h);
                            for (int i = 0; i < rows; i++) {
                                for (int j = 0; j < out; j++) {
                                    assertClose(act(act, a[i][j]), actual[i][j], act + " (" + i + ", " + j + ")");
                                }
                            }
                        }
                    }
                });
    }

    @Test
    void lossesAndPenalties() {
        qt().withExamples(20).forAll(integers().between(1, 5), integers().between(1, 6), longs().all())
                .checkAssert((rows, cols, seed) -> {
                    try (Setup s = new Setup(seed)) {
                        Node z = s.leaf("z", rows, cols, -5, 5);
                        Node t = s.leaf("t", rows, cols, 0, 1);
                        Node h = s.leaf("h", rows, cols, 0.01, 0.99);
                        Node mu = s.leaf("mu", rows, cols, -2, 2);
                        Node logVariance = s.leaf("logvar", rows, cols, -2, 2);
                        double rho = 0.05;
                        Node bce = s.b.binaryCrossEntropyWithLogits(z, t);
                        Node se = s.b.squaredError(z, t);
                        Node l1 = s.b.l1(z);
                        Node kl = s.b.klSparsity(h, rho);
                        Node gaussianKl = s.b.gaussianKl(mu, logVariance);
                        Node sum = s.b.sum(z);
                        Node mean = s.b.mean(z);
                        Node squares = s.b.sumOfSquares(z);
                        try (Graph g = s.b.build()) {
                            g.forward();
                            double[][] zv = matrix(z);
                            double[][] tv = matrix(t);
                            double[][] hv = matrix(h);
                            double[][] mv = matrix(mu);
                            double[][] lv = matrix(logVariance);
                            double bceSum = 0;
                            double seSum = 0;
                            double l1Sum = 0;
                            double klSum = 0;
                            double gaussianKlSum = 0;
                            double plain = 0;
                            double squared = 0;
                            for (int i = 0; i < rows; i++) {
                                for (int j = 0; j < cols; j++) {
                                    double p = sigmoid(zv[i][j]);
                                    bceSum -= tv[i][j] * Math.log(p) + (1 - tv[i][j]) * Math.log(1 - p);
                                    seSum += (zv[i][j] - tv[i][j]) * (zv[i][j] - tv[i][j]);
                                    l1Sum += Math.abs(zv[i][j]);
                                    gaussianKlSum += 0.5 * (mv[i][j] * mv[i][j] + Math.exp(lv[i][j]) - 1 - lv[i][j]);
                                    plain += zv[i][j];
                                    squared += zv[i][j] * zv[i][j];
                                }
                            }
                            for (int j = 0; j < cols; j++) {
                                double q = 0;
                                for (int i = 0; i < rows; i++) {
                                    q += hv[i][j] / rows;
                                }
                                klSum += rho * Math.log(rho / q) + (1 - rho) * Math.log((1 - rho) / (1 - q));
                            }
                            assertEquals(bceSum / rows, g.scalar(bce), 1e-9 * Math.max(1, bceSum), "bce");
                            assertClose(seSum / rows, g.scalar(se), "squared error");
                            assertClose(l1Sum / rows, g.scalar(l1), "l1");
                            assertClose(klSum, g.scalar(kl), "kl sparsity");
                            assertClose(gaussianKlSum / rows, g.scalar(gaussianKl), "gaussian kl");
                            assertClose(plain, g.scalar(sum), "sum");
                            assertClose(plain / (rows * cols), g.scalar(mean), "mean");
                            assertClose(squared, g.scalar(squares), "sum of squares");
                        }
                    }
                });
    }

    @Test
    void elementwiseAndStructure() {
        qt().withExamples(20).forAll(integers().between(1, 4), integers().between(2, 6), longs().all())
                .checkAssert((rows, cols, seed) -> {
                    try (Setup s = new Setup(seed)) {
                        Node a = s.leaf("a", rows, cols, -2, 2);
                        Node c = s.leaf("c", rows, cols, -2, 2);
                        Node sum = s.b.add(a, c);
                        Node difference = s.b.subtract(a, c);
                        Node product = s.b.multiply(a, c);
                        Node scaled = s.b.scale(a, -1.5);
                        Node sigmoid = s.b.activation(a, Activation.SIGMOID);
                        Node byColumns = s.b.concat(1, a, c);
                        Node byRows = s.b.concat(0, a, c);
                        List<Node> halves = s.b.split(byColumns, 1, cols, cols);
                        Node middle = s.b.slice(byRows, 0, rows, rows + 1);
                        try (Graph g = s.b.build()) {
                            g.forward();
                            double[][] av = matrix(a);
                            double[][] cv = matrix(c);
                            for (int i = 0; i < rows; i++) {
                                for (int j = 0; j < cols; j++) {
                                    assertClose(av[i][j] + cv[i][j], sum.value().get(i, j), "add");
                                    assertClose(av[i][j] - cv[i][j], difference.value().get(i, j), "subtract");
                                    assertClose(av[i][j] * cv[i][j], product.value().get(i, j), "multiply");
                                    assertClose(-1.5 * av[i][j], scaled.value().get(i, j), "scale");
                                    assertClose(sigmoid(av[i][j]), sigmoid.value().get(i, j), "sigmoid");
                                    assertEquals(av[i][j], byColumns.value().get(i, j));
                                    assertEquals(cv[i][j], byColumns.value().get(i, cols + j));
                                    assertEquals(av[i][j], byRows.value().get(i, j));
                                    assertEquals(cv[i][j], byRows.value().get(rows + i, j));
                                }
                            }
                            assertArrayEquals(a.value().toDoubleArray(), halves.get(0).value().toDoubleArray());
                            assertArrayEquals(c.value().toDoubleArray(), halves.get(1).value().toDoubleArray());
                            assertArrayEquals(c.value().rows(0, 1).toDoubleArray(), middle.value().toDoubleArray());
                        }
                    }
                });
    }

    @Test
    void higherOrderPenaltyIsTheJacobianGapAtTheCorruptedInputs() {
        qt().withExamples(20).forAll(integers().between(1, 4), integers().between(1, 5), integers().between(1, 4),
                longs().all()).checkAssert((rows, in, out, seed) -> {
                    try (Setup s = new Setup(seed)) {
                        Activation act = new Activation[] {Activation.SIGMOID, Activation.TANH, Activation.SOFTPLUS,
                                Activation.RELU}[s.random.nextInt(4)];
                        int corruptions = 1 + s.random.nextInt(3);
                        Node x = s.leaf("x", rows, in, -1, 1);
                        Parameter w = Fixtures.parameter(s.store, "W", s.random, -1, 1, out, in);
                        Parameter bias = Fixtures.parameter(s.store, "b", s.random, -1, 1, out);
                        Node h = s.b.linear(x, w, bias, act);
                        Node penalty = s.b.higherOrderContractivePenalty(h, 0.3, corruptions);
                        try (Graph g = s.b.build()) {
                            g.forward();
                            double[][] wv = matrix(g.nodeOf(w));
                            double[] bv = bias.value().toDoubleArray();
                            double[][] clean = preactivation(matrix(x), wv, bv, false);
                            HigherOrderContractiveOp op = (HigherOrderContractiveOp) penalty.producer();
                            double[] flat = op.corruptedInputs().toDoubleArray();
                            double[][] corruptedInputs = new double[rows * corruptions][in];
                            for (int r = 0; r < rows * corruptions; r++) {
                                System.arraycopy(flat, r * in, corruptedInputs[r], 0, in);
                            }
                            double[][] corrupted = preactivation(corruptedInputs, wv, bv, false);
                            double expected = 0;
                            for (int c = 0; c < corruptions; c++) {
                                for (int i = 0; i < rows; i++) {
                                    for (int j = 0; j < out; j++) {
                                        for (int k = 0; k < in; k++) {
                                            double gap = (slope(act, clean[i][j]) - slope(act,
                                                    corrupted[c * rows + i][j]))
                                                    * wv[j][k];
                                            expected += gap * gap;
                                        }
                                    }
                                }
                            }
                            assertClose(expected / (rows * corruptions), g.scalar(penalty), act + " higher-order");
                            double noiseSquares = 0;
                            double[][] xv = matrix(x);
                            for (int r = 0; r < rows * corruptions; r++) {
                                for (int k = 0; k < in; k++) {
                                    double e = corruptedInputs[r][k] - xv[r % rows][k];
                                    noiseSquares += e * e;
                                }
                            }
                            assertTrue(noiseSquares > 0, "the corruption must move the inputs");
                        }
                    }
                });
    }
}
