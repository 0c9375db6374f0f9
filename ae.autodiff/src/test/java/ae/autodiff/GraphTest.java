package ae.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import ae.tensor.Activation;
import ae.tensor.DType;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Replay, noise, binding, parameter sharing across graphs and dtypes, and the errors that name what is wrong. */
class GraphTest {
    /** The R3 objective over a store's W1, b1, W2, b2, for any dtype and batch size: the same model-building code. */
    private static Node contractiveObjective(GraphBuilder b, ParameterStore store, Node x) {
        Node h = b.linear(x, store.get("W1"), store.get("b1"), Activation.SIGMOID);
        Node logits = b.linear(h, store.get("W2"), store.get("b2"), Activation.IDENTITY);
        return b.add(b.binaryCrossEntropyWithLogits(logits, x), b.scale(b.contractivePenalty(h), 0.1));
    }

    private static ParameterStore autoencoder(DType dtype, long seed, int in, int hidden) {
        SplittableRandom random = new SplittableRandom(seed);
        ParameterStore store = ParameterStore.open("ae " + dtype, dtype);
        Fixtures.parameter(store, "W1", random, -0.5, 0.5, hidden, in);
        Fixtures.parameter(store, "b1", random, -0.5, 0.5, hidden);
        Fixtures.parameter(store, "W2", random, -0.5, 0.5, in, hidden);
        Fixtures.parameter(store, "b2", random, -0.5, 0.5, in);
        return store;
    }

    @Test
    void float32AndFloat64GraphsFromTheSameCodeAgree() {
        double[] data = new double[6 * 10];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextDouble();
        }
        try (ParameterStore single = autoencoder(DType.F32, 9, 10,
                4); ParameterStore dbl = autoencoder(DType.F64, 9, 10, 4)) {
            double[] losses = new double[2];
            ParameterStore[] stores = {single, dbl};
            for (int s = 0; s < 2; s++) {
                GraphBuilder b = Graph.builder("parity", stores[s].dtype());
                Node x = b.input("x", 6, 10);
                x.value().copyFrom(data);
                Node loss = contractiveObjective(b, stores[s], x);
                try (Graph g = b.build()) {
                    g.forward();
                    g.backward(loss);
                    losses[s] = g.scalar(loss);
                }
            }
            assertEquals(losses[1], losses[0], 1e-5 * Math.abs(losses[1]));
            for (String name : List.of("W1", "b1", "W2", "b2")) {
                double[] a = single.get(name).grad().toDoubleArray();
                double[] e = dbl.get(name).grad().toDoubleArray();
                for (int i = 0; i < e.length; i++) {
                    assertEquals(e[i], a[i], 1e-4 * (1 + Math.abs(e[i])), name + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void graphsOfTwoBatchSizesShareParametersAndAgreeOnBatchMeans() {
        try (ParameterStore store = autoencoder(DType.F64, 3, 5, 3)) {
            SplittableRandom random = new SplittableRandom(4);
            GraphBuilder small = Graph.builder("batch 2", DType.F64);
            Node xs = small.input("x", 2, 5);
            Fixtures.uniform(xs.value(), random, 0, 1);
            Node smallLoss = contractiveObjective(small, store, xs);
            GraphBuilder doubled = Graph.builder("batch 4", DType.F64);
            Node xd = doubled.input("x", 4, 5);
            xd.value().rows(0, 2).copyFrom(xs.value());
            xd.value().rows(2, 4).copyFrom(xs.value());
            Node doubledLoss = contractiveObjective(doubled, store, xd);
            try (Graph gs = small.build(); Graph gd = doubled.build()) {
                gs.forward();
                gs.backward(smallLoss);
                double[] smallGrad = store.get("W1").grad().toDoubleArray();
                gd.forward();
                gd.backward(doubledLoss);
                assertEquals(gs.scalar(smallLoss), gd.scalar(doubledLoss), 1e-12);
                assertArrayEquals(smallGrad, store.get("W1").grad().toDoubleArray(), 1e-12);
            }
        }
    }

    @Test
    void backwardOverwritesAndBackwardAccumulatingAdds() {
        try (ParameterStore store = autoencoder(DType.F64, 5, 4, 2)) {
            GraphBuilder b = Graph.builder("accumulate", DType.F64);
            Node x = b.input("x", 3, 4);
            Fixtures.uniform(x.value(), new SplittableRandom(6), 0, 1);
            Node loss = contractiveObjective(b, store, x);
            try (Graph g = b.build()) {
                g.forward();
                g.backward(loss);
                double[] once = store.get("W2").grad().toDoubleArray();
                g.backward(loss);
                assertArrayEquals(once, store.get("W2").grad().toDoubleArray(), 0);
                g.backwardAccumulating(loss);
                double[] twice = store.get("W2").grad().toDoubleArray();
                for (int i = 0; i < once.length; i++) {
                    assertEquals(2 * once[i], twice[i], 1e-15 * (1 + Math.abs(once[i])));
                }
            }
        }
    }

    /**
     * Gradients are cleared lazily: the first contribution of a pass overwrites, later ones add, and whatever the
     * pass does not reach reads as zero. Garbage planted in every gradient before each pass must not show through:
     * a tied weight gets two contributions, the input's gradient three (two layers and the loss's target term), and
     * one parameter is not reached at all.
     */
    @Test
    void everyGradientIsExactAfterEachPassWhateverItHeldBefore() {
        SplittableRandom random = new SplittableRandom(11);
        try (ParameterStore store = ParameterStore.open("lazy", DType.F64)) {
            Parameter w = Fixtures.parameter(store, "W", random, -0.5, 0.5, 3, 5);
            Parameter b1 = Fixtures.parameter(store, "b1", random, -0.5, 0.5, 3);
            Parameter b2 = Fixtures.parameter(store, "b2", random, -0.5, 0.5, 5);
            Parameter unused = Fixtures.parameter(store, "unused", random, -0.5, 0.5, 2, 2);
            GraphBuilder b = Graph.builder("lazy", DType.F64);
            Node x = b.inputWithGradient("x", 4, 5);
            Fixtures.uniform(x.value(), random, 0.1, 0.9);
            Node h = b.linear(x, w, b1, Activation.RELU);
            Node logits = b.tiedLinear(h, w, b2, Activation.IDENTITY);
            Node second = b.linear(x, w, null, Activation.TANH);
            Node loss = b.add(b.binaryCrossEntropyWithLogits(logits, x), b.sumOfSquares(second));
            b.parameter(unused);
            try (Graph g = b.build()) {
                GradientChecker.Report report = GradientChecker.defaults().check(g, loss);
                assertTrue(report.passed(), report.toString());
                g.forward();
                g.backward(loss);
                Tensor[] grads = {w.grad(), b1.grad(), b2.grad(), unused.grad(), x.grad()};
                double[][] expected = new double[grads.length][];
                for (int i = 0; i < grads.length; i++) {
                    expected[i] = grads[i].toDoubleArray();
                }
                assertTrue(java.util.Arrays.stream(expected[0]).anyMatch(v -> v != 0), "W gets a gradient");
                for (int pass = 0; pass < 3; pass++) {
                    for (Tensor t : grads) {
                        Fixtures.uniform(t, random, 100, 200);
                    }
                    g.forward();
                    g.backward(loss);
                    for (int i = 0; i < grads.length; i++) {
                        assertArrayEquals(expected[i], grads[i].toDoubleArray(), 1e-12, "gradient " + i);
                    }
                }
                assertArrayEquals(new double[4], unused.grad().toDoubleArray(), 0);
            }
        }
    }

    @Test
    void boundDataIsReadInPlace() {
        try (ParameterStore store = autoencoder(DType.F64, 7, 4, 2); TensorScope data = TensorScope.open("batch")) {
            Tensor batch = data.allocateDouble(8, 4);
            Fixtures.uniform(batch, new SplittableRandom(8), 0, 1);
            GraphBuilder b = Graph.builder("bound", DType.F64);
            Node x = b.input("x", 4, 4);
            Node loss = contractiveObjective(b, store, x);
            try (Graph g = b.build()) {
                g.bind(x, batch.rows(0, 4));
                g.forward();
                double first = g.scalar(loss);
                g.bind(x, batch.rows(4, 8));
                g.forward();
                double second = g.scalar(loss);
                assertTrue(first != second);
                batch.rows(4, 8).copyFrom(batch.rows(0, 4));
                g.forward();
                assertEquals(first, g.scalar(loss), "refilling the bound buffer in place is all a new batch needs");
                assertThrows(IllegalArgumentException.class, () -> g.bind(x, batch));
                assertThrows(IllegalArgumentException.class, () -> g.bind(loss, batch.rows(0, 1)));
                assertThrows(IllegalArgumentException.class, () -> g.bind(x, data.allocateFloat(4, 4)));
            }
        }
    }

    @Test
    void scheduledGaussianNoiseTakesItsScaleAtEachNoiseStep() {
        // Step 1 noise-free, step 2 at scale 3, later steps at 0.5: the drawn noise's spread follows the schedule.
        NoiseScale scale = step -> step == 1 ? 0 : step == 2 ? 3 : 0.5;
        GraphBuilder b = Graph.builder("scheduled noise", DType.F64).seed(5);
        Node x = b.input("x", 64, 64);
        x.value().fill(0.25);
        Node noisy = b.gaussianNoise(x, scale);
        try (Graph g = b.build()) {
            for (long step = 1; step <= 3; step++) {
                g.forward();
                double[] v = noisy.value().toDoubleArray();
                double sumSquares = 0;
                for (double e : v) {
                    sumSquares += (e - 0.25) * (e - 0.25);
                }
                double spread = Math.sqrt(sumSquares / v.length);
                double expected = scale.at(step);
                assertEquals(expected, spread, 0.05 * expected, "noise step " + step);
            }
            g.seekNoise(1);
            g.forward();
            assertEquals(2, g.noiseStep());
            double[] again = noisy.value().toDoubleArray();
            double sumSquares = 0;
            for (double e : again) {
                sumSquares += (e - 0.25) * (e - 0.25);
            }
            assertEquals(3, Math.sqrt(sumSquares / again.length), 0.15, "seeking a step takes that step's scale");
        }
        GraphBuilder bad = Graph.builder("bad noise", DType.F64);
        Node y = bad.input("y", 2, 2);
        bad.gaussianNoise(y, step -> Double.NaN);
        try (Graph g = bad.build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, g::forward);
            assertTrue(e.getMessage().contains("noise step 1"), e.getMessage());
        }
    }

    @Test
    void perExampleNoiseFollowsTheKeyRowAcrossStepsAndScalesWithTheSchedule() {
        qt().withExamples(40).forAll(longs().all(), integers().between(2, 40), integers().between(1, 9))
                .checkAssert((seed, rows, cols) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    GraphBuilder b = Graph.builder("example noise", DType.F64).seed(seed);
                    Node x = b.input("x", rows, cols);
                    Node key = b.input("key", rows, 4);
                    Fixtures.uniform(key.value(), random, 0, 1);
                    // Step 1 at scale 1, later steps at scale 3: the same example's noise is then 3 times step 1's.
                    Node noisy = b.exampleNoise(x, key, step -> step == 1 ? 1 : 3);
                    try (Graph g = b.build()) {
                        g.forward();
                        double[][] first = rowsOf(noisy.value().toDoubleArray(), rows, cols);
                        double[] keys = key.value().toDoubleArray();
                        int[] order = permutation(rows, random);
                        double[] shuffled = new double[keys.length];
                        for (int r = 0; r < rows; r++) {
                            System.arraycopy(keys, order[r] * 4, shuffled, r * 4, 4);
                        }
                        key.value().copyFrom(shuffled);
                        for (int step = 2; step <= 3; step++) {
                            g.forward();
                            double[][] later = rowsOf(noisy.value().toDoubleArray(), rows, cols);
                            for (int r = 0; r < rows; r++) {
                                for (int j = 0; j < cols; j++) {
                                    assertEquals(3 * first[order[r]][j], later[r][j],
                                            1e-12 * (1 + Math.abs(later[r][j])), "row " + r + " step " + step);
                                }
                            }
                        }
                        for (int r = 1; r < rows; r++) {
                            assertFalse(java.util.Arrays.equals(first[0], first[r]), "rows 0 and " + r);
                        }
                    }
                });
    }

    @Test
    void perExampleNoiseIsStandardNormalTimesTheScaleAndDependsOnTheSeed() {
        double[] a = exampleNoise(7, 4000, 6, 2.5);
        double mean = java.util.Arrays.stream(a).average().orElseThrow();
        double spread = Math.sqrt(java.util.Arrays.stream(a).map(v -> (v - mean) * (v - mean)).sum() / a.length);
        assertEquals(0, mean, 0.05);
        assertEquals(2.5, spread, 0.05);
        assertFalse(java.util.Arrays.equals(a, exampleNoise(8, 4000, 6, 2.5)), "another seed, other noise");
        assertArrayEquals(a, exampleNoise(7, 4000, 6, 2.5), 0);
        GraphBuilder bad = Graph.builder("mismatched key", DType.F64);
        Node x = bad.input("x", 3, 2);
        Node key = bad.input("key", 4, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bad.exampleNoise(x, key, step -> 1));
        assertTrue(e.getMessage().contains("4x2"), e.getMessage());
    }

    private static double[] exampleNoise(long seed, int rows, int cols, double sigma) {
        GraphBuilder b = Graph.builder("example noise", DType.F64).seed(seed);
        Node x = b.input("x", rows, cols);
        Node key = b.input("key", rows, 1);
        double[] ids = new double[rows];
        for (int r = 0; r < rows; r++) {
            ids[r] = r;
        }
        key.value().copyFrom(ids);
        Node noisy = b.exampleNoise(x, key, step -> sigma);
        try (Graph g = b.build()) {
            g.forward();
            return noisy.value().toDoubleArray();
        }
    }

    private static double[][] rowsOf(double[] values, int rows, int cols) {
        double[][] out = new double[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = java.util.Arrays.copyOfRange(values, r * cols, (r + 1) * cols);
        }
        return out;
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int k = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[k];
            p[k] = t;
        }
        return p;
    }

    private record Noisy(Graph graph, Node masked, Node gaussian, Node sample) {
    }

    private static Noisy noisyGraph(long seed, int rows, int cols) {
        GraphBuilder b = Graph.builder("noise", DType.F64).seed(seed);
        Node x = b.input("x", rows, cols);
        x.value().fill(0.5);
        Node zeros = b.input("zeros", rows, cols);
        Node masked = b.maskingNoise(x, 0.3);
        Node gaussian = b.gaussianNoise(x, 2);
        Node sample = b.reparameterize(zeros, zeros);
        return new Noisy(b.build(), masked, gaussian, sample);
    }

    @Test
    void freshForwardsRedrawNoiseAndSameNoiseForwardsDoNot() {
        Noisy n = noisyGraph(11, 8, 16);
        try (Graph g = n.graph()) {
            g.forward();
            double[] firstMask = n.masked().value().toDoubleArray();
            double[] firstSample = n.sample().value().toDoubleArray();
            g.forwardWithSameNoise();
            assertArrayEquals(firstMask, n.masked().value().toDoubleArray(), 0);
            g.forward();
            assertFalse(java.util.Arrays.equals(firstMask, n.masked().value().toDoubleArray()));
            assertFalse(java.util.Arrays.equals(firstSample, n.sample().value().toDoubleArray()));
            g.seekNoise(0);
            g.forward();
            assertArrayEquals(firstMask, n.masked().value().toDoubleArray(), 0);
            assertArrayEquals(firstSample, n.sample().value().toDoubleArray(), 0);
            assertEquals(1, g.noiseStep());
        }
        Noisy same = noisyGraph(11, 8, 16);
        Noisy other = noisyGraph(12, 8, 16);
        try (Graph a = same.graph(); Graph b = other.graph()) {
            a.forward();
            b.forward();
            assertFalse(java.util.Arrays.equals(same.gaussian().value().toDoubleArray(),
                    other.gaussian().value().toDoubleArray()));
        }
    }

    @Test
    void noiseHasTheRequestedDistribution() {
        int rows = 100;
        int cols = 200;
        Noisy n = noisyGraph(5, rows, cols);
        try (Graph g = n.graph()) {
            g.forward();
            double[] masked = n.masked().value().toDoubleArray();
            double[] gaussian = n.gaussian().value().toDoubleArray();
            double[] sample = n.sample().value().toDoubleArray();
            int total = rows * cols;
            int zeroed = 0;
            double gaussianSum = 0;
            double gaussianSquares = 0;
            double sampleSum = 0;
            double sampleSquares = 0;
            for (int i = 0; i < total; i++) {
                assertTrue(masked[i] == 0 || masked[i] == 0.5);
                zeroed += masked[i] == 0 ? 1 : 0;
                double e = gaussian[i] - 0.5;
                gaussianSum += e;
                gaussianSquares += e * e;
                sampleSum += sample[i];
                sampleSquares += sample[i] * sample[i];
            }
            // Binomial and chi-square deviations of more than 6 standard errors would be a broken draw.
            assertEquals(0.3, zeroed / (double) total, 6 * Math.sqrt(0.3 * 0.7 / total));
            assertEquals(0, gaussianSum / total, 6 * 2 / Math.sqrt(total));
            assertEquals(4, gaussianSquares / total, 6 * 4 * Math.sqrt(2.0 / total));
            assertEquals(0, sampleSum / total, 6 / Math.sqrt(total));
            assertEquals(1, sampleSquares / total, 6 * Math.sqrt(2.0 / total));
        }
    }

    @Test
    void saltAndPepperReplacesTheChosenFractionByZerosAndOnes() {
        GraphBuilder b = Graph.builder("salt", DType.F32).seed(2);
        Node x = b.input("x", 50, 200);
        x.value().fill(0.5);
        Node corrupted = b.saltAndPepperNoise(x, 0.2);
        try (Graph g = b.build()) {
            g.forward();
            int zeros = 0;
            int ones = 0;
            for (double v : corrupted.value().toDoubleArray()) {
                assertTrue(v == 0 || v == 1 || v == 0.5);
                zeros += v == 0 ? 1 : 0;
                ones += v == 1 ? 1 : 0;
            }
            int total = 50 * 200;
            assertEquals(0.2, (zeros + ones) / (double) total, 6 * Math.sqrt(0.2 * 0.8 / total));
            assertEquals(0.5, zeros / (double) (zeros + ones), 6 * Math.sqrt(0.25 / (zeros + ones)));
        }
    }

    @Test
    void errorsNameWhatIsWrong() {
        try (ParameterStore store = autoencoder(DType.F64, 1, 4,
                2); ParameterStore single = autoencoder(DType.F32, 1, 4, 2)) {
            GraphBuilder b = Graph.builder("errors", DType.F64);
            Node x = b.input("x", 3, 4);
            IllegalArgumentException wrongWidth = assertThrows(IllegalArgumentException.class,
                    () -> b.linear(x, store.get("W2"), null, Activation.SIGMOID));
            assertTrue(wrongWidth.getMessage().contains("'x' has 4 columns"), wrongWidth.getMessage());
            IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
                    () -> b.parameter(single.get("W1")));
            assertTrue(wrongType.getMessage().contains("float32"), wrongType.getMessage());
            Node h = b.linear(x, store.get("W1"), store.get("b1"), Activation.SIGMOID);
            assertThrows(IllegalArgumentException.class, () -> b.add(x, h));
            assertThrows(IllegalArgumentException.class, () -> b.contractivePenalty(b.activation(h, Activation.TANH)));
            GraphBuilder other = Graph.builder("other", DType.F64);
            IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class, () -> other.sum(h));
            assertTrue(foreign.getMessage().contains("another graph"), foreign.getMessage());
            other.abandon();
            try (Graph g = b.build()) {
                IllegalArgumentException notScalar = assertThrows(IllegalArgumentException.class, () -> g.backward(h));
                assertTrue(notScalar.getMessage().contains("1 x 1"), notScalar.getMessage());
                assertThrows(IllegalStateException.class, () -> b.input("late", 1, 1));
            }
        }
    }

    @Test
    void aPendingGradientCannotBeReadOnlyClaimedOrResolved() {
        try (ParameterStore store = autoencoder(DType.F64, 2, 4, 3)) {
            GraphBuilder b = Graph.builder("pending", DType.F64);
            Node x = b.input("x", 2, 4);
            Fixtures.uniform(x.value(), new SplittableRandom(5), 0, 1);
            Node weight = b.parameter(store.get("W1"));
            Node h = b.linear(x, weight, b.parameter(store.get("b1")), Activation.SIGMOID);
            IllegalStateException[] seen = new IllegalStateException[2];
            // Recorded after the layer, so its backward runs first, while W1's gradient is still pending.
            Primitive reader = new Primitive() {
                @Override
                public String name() {
                    return "reader";
                }

                @Override
                public void forward(Tensor[] inputs, Tensor output) {
                    output.copyFrom(inputs[0]);
                }

                @Override
                public void backward(Tensor[] inputs, Tensor output, Tensor outputGradient, Tensor[] inputGradients) {
                    seen[0] = assertThrows(IllegalStateException.class, weight::grad);
                    seen[1] = assertThrows(IllegalStateException.class, () -> store.get("W1").grad());
                    inputGradients[0].copyFrom(outputGradient);
                }
            };
            Node loss = b.sum(b.apply(reader, 2, 3, h));
            try (Graph g = b.build()) {
                g.forward();
                g.backward(loss);
                assertTrue(seen[0].getMessage().contains("pending"), seen[0].getMessage());
                assertTrue(seen[1].getMessage().contains("parameter 'W1'"), seen[1].getMessage());
                // Once the pass is over every gradient holds its value and reads freely.
                assertEquals(4, weight.grad().dim(1));
                GradientChecker.defaults().verify(g, loss);
            }
        }
    }

    @Test
    void frozenParametersGetNoGradient() {
        try (ParameterStore store = autoencoder(DType.F64, 2, 4, 3)) {
            GraphBuilder b = Graph.builder("frozen", DType.F64);
            Node x = b.input("x", 2, 4);
            Fixtures.uniform(x.value(), new SplittableRandom(3), 0, 1);
            Node frozenWeight = b.frozen(store.get("W1"));
            Node h = b.linear(x, frozenWeight, b.frozen(store.get("b1")), Activation.SIGMOID);
            // An elementwise op reads the frozen weight too: it must not reach W1's gradient either.
            Node loss = b.add(b.binaryCrossEntropyWithLogits(b.linear(h, store.get("W2"), store.get("b2"),
                    Activation.IDENTITY), x), b.sumOfSquares(frozenWeight));
            try (Graph g = b.build()) {
                assertEquals(List.of(store.get("W2"), store.get("b2")), g.parameters());
                assertEquals(null, frozenWeight.resolvePendingGradient());
                assertEquals(null, frozenWeight.claimGradient());
                // Whatever W1's gradient holds (another graph may be training it) this graph leaves alone.
                Fixtures.uniform(store.get("W1").grad(), new SplittableRandom(4), 7, 8);
                double[] before = store.get("W1").grad().toDoubleArray();
                g.forward();
                g.backward(loss);
                GradientChecker.defaults().verify(g, loss);
                assertArrayEquals(before, store.get("W1").grad().toDoubleArray(), 0);
            }
        }
    }
}
