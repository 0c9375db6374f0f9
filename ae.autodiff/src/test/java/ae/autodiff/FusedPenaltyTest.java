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
 * The fused penalties against central differences, and their closed forms against Jacobians built row by row with the
 * reverse tape.
 */
class FusedPenaltyTest {
    private static final Activation[] CONTRACTIVE = {Activation.SIGMOID, Activation.TANH, Activation.SOFTPLUS,
            Activation.RELU};

    /** An encoder layer {@code h = act(x W^T + b)} on a differentiable input, plus a reconstruction to share it. */
    private record Layer(Node x, Node h, Parameter w) {
    }

    private static Layer layer(GraphBuilder b, ParameterStore store, SplittableRandom random, int rows, int in, int out,
                               Activation act, boolean tied) {
        Node x = b.inputWithGradient("x", rows, in);
        Fixtures.uniform(x.value(), random, -1, 1);
        Parameter w = tied ? Fixtures.parameter(store, "W", random, -1, 1, in, out)
                : Fixtures.parameter(store, "W", random, -1, 1, out, in);
        Parameter bias = Fixtures.parameter(store, "b", random, -0.5, 0.5, out);
        Node h = tied ? b.tiedLinear(x, w, bias, act) : b.linear(x, w, bias, act);
        return new Layer(x, h, w);
    }

    private static void assertGradientsMatch(Graph g, Node loss, String what) {
        g.forward();
        GradientChecker.Report report = GradientChecker.defaults().check(g, loss);
        assertTrue(report.passed(), () -> what + ": " + report.message());
    }

    @Test
    void contractivePenaltyGradientsWithAndWithoutOtherLosses() {
        for (Activation act : CONTRACTIVE) {
            for (boolean tied : new boolean[] {false, true}) {
                qt().withExamples(8).forAll(integers().between(1, 4), integers().between(1, 5),
                        integers().between(1, 4),
                        longs().all()).checkAssert((rows, in, out, seed) -> {
                            SplittableRandom random = new SplittableRandom(seed);
                            try (ParameterStore store = ParameterStore.open("cae", DType.F64)) {
                                GraphBuilder b = Graph.builder("cae", DType.F64);
                                Layer l = layer(b, store, random, rows, in, out, act, tied);
                                Node penalty = b.contractivePenalty(l.h());
                                Node loss = random.nextBoolean() ? penalty
                                        : b.add(Fixtures.weightedSum(b, l.h(), random), b.scale(penalty, 0.7));
                                try (Graph g = b.build()) {
                                    assertGradientsMatch(g, loss, "contractive " + act + (tied ? " tied" : ""));
                                }
                            }
                        });
            }
        }
    }

    @Test
    void higherOrderContractivePenaltyGradients() {
        for (Activation act : CONTRACTIVE) {
            qt().withExamples(6).forAll(integers().between(1, 3), integers().between(1, 4), integers().between(1, 3),
                    longs().all()).checkAssert((rows, in, out, seed) -> {
                        SplittableRandom random = new SplittableRandom(seed);
                        try (ParameterStore store = ParameterStore.open("caeh", DType.F64)) {
                            GraphBuilder b = Graph.builder("caeh", DType.F64).seed(seed);
                            Layer l = layer(b, store, random, rows, in, out, act, random.nextBoolean());
                            Node penalty = b.higherOrderContractivePenalty(l.h(), 0.5, 1 + random.nextInt(3));
                            Node loss = b.add(b.scale(b.contractivePenalty(l.h()), 0.3), penalty);
                            try (Graph g = b.build()) {
                                assertGradientsMatch(g, loss, "higher-order " + act);
                            }
                        }
                    });
        }
    }

    /** A two-layer encoder with an elementwise activation in between: x -> linear tanh -> softplus -> linear act. */
    private record Deep(Node x, Node h) {
    }

    private static Deep deepEncoder(GraphBuilder b, ParameterStore store, SplittableRandom random, int rows, int in,
                                    int width, int out, Activation last) {
        Node x = b.inputWithGradient("x", rows, in);
        Fixtures.uniform(x.value(), random, -1, 1);
        Parameter w1 = Fixtures.parameter(store, "W1", random, -1, 1, width, in);
        Parameter b1 = Fixtures.parameter(store, "b1", random, -0.5, 0.5, width);
        Parameter w2 = Fixtures.parameter(store, "W2", random, -1, 1, out, width);
        Node h1 = b.activation(b.linear(x, w1, b1, Activation.TANH), Activation.SOFTPLUS);
        return new Deep(x, b.linear(h1, w2, null, last));
    }

    @Test
    void exactJacobianNormGradientsThroughTheTape() {
        qt().withExamples(10).forAll(integers().between(1, 3), integers().between(1, 4), integers().between(1, 3),
                longs().all()).checkAssert((rows, in, out, seed) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    try (ParameterStore store = ParameterStore.open("deep", DType.F64)) {
                        GraphBuilder b = Graph.builder("jacobian", DType.F64);
                        Activation last = CONTRACTIVE[random.nextInt(CONTRACTIVE.length)];
                        Deep d = deepEncoder(b, store, random, rows, in, 1 + random.nextInt(3), out, last);
                        Node loss = b.add(b.jacobianNormSquared(d.x(), d.h()), Fixtures.weightedSum(b, d.h(), random));
                        try (Graph g = b.build()) {
                            assertGradientsMatch(g, loss, "exact Jacobian norm, last " + last);
                        }
                    }
                });
    }

    @Test
    void hutchinsonEstimateGradientsThroughTheTape() {
        qt().withExamples(10).forAll(integers().between(1, 3), integers().between(1, 4), integers().between(1, 4),
                longs().all()).checkAssert((rows, in, probes, seed) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    try (ParameterStore store = ParameterStore.open("deep", DType.F64)) {
                        GraphBuilder b = Graph.builder("hutchinson", DType.F64).seed(seed);
                        Deep d = deepEncoder(b, store, random, rows, in, 2, 2, Activation.SIGMOID);
                        Node loss = b.jacobianNormSquaredEstimate(d.x(), d.h(), probes);
                        try (Graph g = b.build()) {
                            assertGradientsMatch(g, loss, "Hutchinson estimate");
                        }
                    }
                });
    }

    /**
     * The Jacobians of every sample, built row by row: back-propagating a seed of ones in output column j gives row j
     * of each sample's Jacobian in x's gradient. Returns [sample][j][k].
     */
    static double[][][] jacobiansRowByRow(Graph g, Node x, Node h) {
        int n = x.rows();
        double[][][] jacobians = new double[n][h.cols()][x.cols()];
        try (ae.tensor.TensorScope scope = ae.tensor.TensorScope.open("seed")) {
            ae.tensor.Tensor seed = scope.allocate(g.dtype(), h.rows(), h.cols());
            for (int j = 0; j < h.cols(); j++) {
                seed.fill(0);
                for (int i = 0; i < n; i++) {
                    seed.set(i, j, 1);
                }
                g.backward(h, seed);
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < x.cols(); k++) {
                        jacobians[i][j][k] = x.grad().get(i, k);
                    }
                }
            }
        }
        return jacobians;
    }

    static double meanSquaredFrobenius(double[][][] jacobians) {
        double total = 0;
        for (double[][] jac : jacobians) {
            for (double[] row : jac) {
                for (double v : row) {
                    total += v * v;
                }
            }
        }
        return total / jacobians.length;
    }

    @Test
    void closedFormContractivePenaltyEqualsTheJacobianBuiltRowByRow() {
        for (Activation act : CONTRACTIVE) {
            qt().withExamples(10).forAll(integers().between(1, 6), integers().between(1, 9), integers().between(1, 7),
                    longs().all()).checkAssert((rows, in, out, seed) -> {
                        SplittableRandom random = new SplittableRandom(seed);
                        try (ParameterStore store = ParameterStore.open("cae", DType.F64)) {
                            GraphBuilder b = Graph.builder("cae", DType.F64);
                            Layer l = layer(b, store, random, rows, in, out, act, random.nextBoolean());
                            Node penalty = b.contractivePenalty(l.h());
                            Node exact = b.jacobianNormSquared(l.x(), l.h());
                            try (Graph g = b.build()) {
                                g.forward();
                                double rowByRow = meanSquaredFrobenius(jacobiansRowByRow(g, l.x(), l.h()));
                                assertEquals(rowByRow, g.scalar(penalty), 1e-10, act + " closed form");
                                assertEquals(rowByRow, g.scalar(exact), 1e-10, act + " forward-mode JVPs");
                            }
                        }
                    });
        }
    }

    @Test
    void exactJacobianNormOfADeepEncoderEqualsTheJacobianBuiltRowByRow() {
        qt().withExamples(15).forAll(integers().between(1, 5), integers().between(1, 6), integers().between(1, 5),
                longs().all()).checkAssert((rows, in, out, seed) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    try (ParameterStore store = ParameterStore.open("deep", DType.F64)) {
                        GraphBuilder b = Graph.builder("deep", DType.F64);
                        Deep d = deepEncoder(b, store, random, rows, in, 1 + random.nextInt(5), out,
                                Activation.SIGMOID);
                        Node exact = b.jacobianNormSquared(d.x(), d.h());
                        try (Graph g = b.build()) {
                            g.forward();
                            assertEquals(meanSquaredFrobenius(jacobiansRowByRow(g, d.x(), d.h())),
                                    g.scalar(exact), 1e-10);
                        }
                    }
                });
    }

    /**
     * For Rademacher probes, {@code Var(v^T A v) = 2 sum_{p != q} A_pq^2} with {@code A = J^T J}; the batch mean of
     * k-probe estimates then has variance {@code sum_i Var_i / (k n^2)}. Every estimate must lie within 6 standard
     * deviations, and that bound shrinks as 1/sqrt(k).
     */
    @Test
    void hutchinsonEstimateConvergesToTheExactNorm() {
        SplittableRandom random = new SplittableRandom(2024);
        int rows = 3;
        int in = 6;
        try (ParameterStore store = ParameterStore.open("deep", DType.F64)) {
            GraphBuilder exactBuilder = Graph.builder("exact", DType.F64);
            Deep d = deepEncoder(exactBuilder, store, random, rows, in, 4, 3, Activation.TANH);
            double[] inputs = d.x().value().toDoubleArray();
            Node exactNode = exactBuilder.jacobianNormSquared(d.x(), d.h());
            double exact;
            double varianceSum = 0;
            try (Graph g = exactBuilder.build()) {
                g.forward();
                exact = g.scalar(exactNode);
                for (double[][] jac : jacobiansRowByRow(g, d.x(), d.h())) {
                    for (int p = 0; p < in; p++) {
                        for (int q = 0; q < in; q++) {
                            if (p != q) {
                                double a = 0;
                                for (double[] row : jac) {
                                    a += row[p] * row[q];
                                }
                                varianceSum += 2 * a * a;
                            }
                        }
                    }
                }
            }
            double previousBound = Double.POSITIVE_INFINITY;
            for (int probes : new int[] {1, 16, 256, 4096}) {
                GraphBuilder b = Graph.builder("hutchinson " + probes, DType.F64).seed(probes);
                Node x = b.input("x", rows, in);
                x.value().copyFrom(inputs);
                Node h1 = b.activation(b.linear(x, store.get("W1"), store.get("b1"), Activation.TANH),
                        Activation.SOFTPLUS);
                Node h = b.linear(h1, store.get("W2"), null, Activation.TANH);
                Node estimate = b.jacobianNormSquaredEstimate(x, h, probes);
                double bound = 6 * Math.sqrt(varianceSum / probes) / rows;
                try (Graph g = b.build()) {
                    for (int draw = 0; draw < 5; draw++) {
                        g.forward();
                        double error = Math.abs(g.scalar(estimate) - exact);
                        assertTrue(error <= bound, probes + " probes: |" + g.scalar(estimate) + " - " + exact
                                + "| > " + bound);
                    }
                }
                assertTrue(bound < previousBound);
                previousBound = bound;
            }
            assertTrue(previousBound < 0.1 * exact, "4096 probes should pin the norm within 10%: "
                    + previousBound + " vs " + exact);
        }
    }

    /**
     * Value and gradients of an R3-like objective on a pool of {@code threads}: [penalty, dW..., db...], after checking
     * that {@code passes} forward and backward passes of one graph all give these same bits. Its workers once both
     * cleared the pending weight gradient, one of them after the other had added its rows: only some passes lost them.
     */
    private static double[] contractiveOnPool(int threads, int passes) {
        SplittableRandom random = new SplittableRandom(77);
        try (ae.tensor.ComputePool pool = ae.tensor.ComputePool.create(threads);
             ParameterStore store = ParameterStore.open("pool", DType.F64)) {
            GraphBuilder b = Graph.builder("pool " + threads, DType.F64, pool);
            Node x = b.input("x", 96, 24);
            Fixtures.uniform(x.value(), random, 0, 1);
            Parameter w = Fixtures.parameter(store, "W", random, -0.3, 0.3, 256, 24);
            Parameter bias = Fixtures.parameter(store, "b", random, -0.3, 0.3, 256);
            Node penalty = b.contractivePenalty(b.linear(x, w, bias, Activation.SIGMOID));
            try (Graph g = b.build()) {
                double[] first = null;
                for (int pass = 0; pass < passes; pass++) {
                    g.forward();
                    g.backward(penalty);
                    double[] dw = w.grad().toDoubleArray();
                    double[] db = bias.grad().toDoubleArray();
                    double[] all = new double[1 + dw.length + db.length];
                    all[0] = g.scalar(penalty);
                    System.arraycopy(dw, 0, all, 1, dw.length);
                    System.arraycopy(db, 0, all, 1 + dw.length, db.length);
                    if (first == null) {
                        first = all;
                    } else {
                        org.junit.jupiter.api.Assertions.assertArrayEquals(first, all, "pass " + pass + " on " + threads
                                + " threads");
                    }
                }
                return first;
            }
        }
    }

    @Test
    void contractivePenaltySplitOverThePoolAgreesWithOneThreadAndRepeatsBitForBit() {
        double[] single = contractiveOnPool(1, 1);
        double[] split = contractiveOnPool(2, 300);
        for (int i = 0; i < single.length; i++) {
            assertEquals(single[i], split[i], 1e-12 * (1 + Math.abs(single[i])), "element " + i);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(split, contractiveOnPool(2, 1));
    }
}
