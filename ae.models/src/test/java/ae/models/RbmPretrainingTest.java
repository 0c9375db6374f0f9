package ae.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.data.Dataset;
import ae.data.Datasets;
import ae.tensor.Activation;
import ae.tensor.Rng;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RBM pretraining: contrastive divergence against the exact log-likelihood gradient of a tiny RBM (enumerated), CD-1
 * on images, the unrolled stack, reproducibility and the checkpoint.
 */
class RbmPretrainingTest {
    private static final int VISIBLE = 4;
    private static final int HIDDEN = 3;

    /** A one-layer model whose encoder and decoder are the tiny RBM: 4 visible, 3 hidden units. */
    private static ModelConfig tiny() {
        ModelConfig model = ModelConfig.of("tiny-rbm", VISIBLE,
                new DeterministicEncoder(List.of(LayerSpec.of(HIDDEN, Activation.SIGMOID))),
                new Decoder(List.of(LayerSpec.of(VISIBLE, Activation.SIGMOID)), false),
                BernoulliLikelihood.INSTANCE, List.of(), Corruption.none());
        return model.withProcedure(new RbmPretraining(1));
    }

    /** The tiny RBM's parameters {W (3 x 4, row-major), visible bias b (4), hidden bias c (3)}. */
    private record Rbm(double[] w, double[] b, double[] c) {
        /** b.v + sum_j softplus(c_j + W_j.v): log of the unnormalized p(v) with the hidden units summed out. */
        double logUnnormalized(int[] v) {
            double out = 0;
            for (int i = 0; i < VISIBLE; i++) {
                out += b[i] * v[i];
            }
            for (int j = 0; j < HIDDEN; j++) {
                double a = hiddenInput(j, v);
                out += Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a)));
            }
            return out;
        }

        double hiddenInput(int j, int[] v) {
            double a = c[j];
            for (int i = 0; i < VISIBLE; i++) {
                a += w[j * VISIBLE + i] * v[i];
            }
            return a;
        }

        double logPartition() {
            double[] terms = new double[1 << VISIBLE];
            double max = Double.NEGATIVE_INFINITY;
            for (int s = 0; s < terms.length; s++) {
                terms[s] = logUnnormalized(state(s));
                max = Math.max(max, terms[s]);
            }
            double sum = 0;
            for (double t : terms) {
                sum += Math.exp(t - max);
            }
            return max + Math.log(sum);
        }

        /** The mean log-likelihood of {@code data}, by enumerating all 2^4 visible (and 2^3 hidden) states. */
        double logLikelihood(int[][] data) {
            double z = logPartition();
            double sum = 0;
            for (int[] v : data) {
                sum += logUnnormalized(v) - z;
            }
            return sum / data.length;
        }

        /**
         * The exact gradient of {@link #logLikelihood}, as {W, b, c} flattened: E_data[v h] - E_model[v h] with
         * h at p(h | v), the model's expectation summed over every visible state.
         */
        double[] gradient(int[][] data) {
            double[] g = new double[HIDDEN * VISIBLE + VISIBLE + HIDDEN];
            for (int[] v : data) {
                accumulate(g, v, 1.0 / data.length);
            }
            double z = logPartition();
            for (int s = 0; s < 1 << VISIBLE; s++) {
                int[] v = state(s);
                accumulate(g, v, -Math.exp(logUnnormalized(v) - z));
            }
            return g;
        }

        private void accumulate(double[] g, int[] v, double weight) {
            for (int j = 0; j < HIDDEN; j++) {
                double p = Activation.SIGMOID.apply(hiddenInput(j, v));
                for (int i = 0; i < VISIBLE; i++) {
                    g[j * VISIBLE + i] += weight * p * v[i];
                }
                g[HIDDEN * VISIBLE + VISIBLE + j] += weight * p;
            }
            for (int i = 0; i < VISIBLE; i++) {
                g[HIDDEN * VISIBLE + i] += weight * v[i];
            }
        }

        double[] flat() {
            double[] out = new double[w.length + b.length + c.length];
            System.arraycopy(w, 0, out, 0, w.length);
            System.arraycopy(b, 0, out, w.length, b.length);
            System.arraycopy(c, 0, out, w.length + b.length, c.length);
            return out;
        }

        static Rbm of(double[] flat) {
            return new Rbm(java.util.Arrays.copyOfRange(flat, 0, HIDDEN * VISIBLE),
                    java.util.Arrays.copyOfRange(flat, HIDDEN * VISIBLE, HIDDEN * VISIBLE + VISIBLE),
                    java.util.Arrays.copyOfRange(flat, HIDDEN * VISIBLE + VISIBLE, flat.length));
        }
    }

    private static int[] state(int s) {
        int[] v = new int[VISIBLE];
        for (int i = 0; i < VISIBLE; i++) {
            v[i] = (s >> i) & 1;
        }
        return v;
    }

    private static Rbm randomRbm(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] flat = new double[HIDDEN * VISIBLE + VISIBLE + HIDDEN];
        for (int i = 0; i < flat.length; i++) {
            // Values are rounded to float32, the model's precision, so that both sides see the same RBM.
            flat[i] = (float) random.nextDouble(-1.5, 1.5);
        }
        return Rbm.of(flat);
    }

    private static final int[][] PATTERNS = {{1, 0, 0, 1}, {1, 1, 0, 0}, {0, 1, 1, 0}, {1, 1, 1, 0}, {0, 0, 1, 1},
            {1, 0, 1, 1}};

    /** The exact gradient agrees with float64 central differences of the exact log-likelihood. */
    @Test
    void theEnumeratedGradientIsTheLogLikelihoodsDerivative() {
        for (long seed = 1; seed <= 3; seed++) {
            Rbm rbm = randomRbm(seed);
            double[] exact = rbm.gradient(PATTERNS);
            double[] flat = rbm.flat();
            for (int k = 0; k < flat.length; k++) {
                double[] up = flat.clone();
                double[] down = flat.clone();
                up[k] += 1e-6;
                down[k] -= 1e-6;
                double numeric = (Rbm.of(up).logLikelihood(PATTERNS) - Rbm.of(down).logLikelihood(PATTERNS)) / 2e-6;
                assertEquals(numeric, exact[k], 1e-6 + 1e-5 * Math.abs(numeric), "parameter " + k + ", seed " + seed);
            }
        }
    }

    /**
     * The ascent direction CD-k writes (the negated gradients), as {W, b, c}, for every pattern repeated
     * {@code copies} times, from the model set to {@code rbm}.
     */
    private static double[] contrastiveDivergence(Rbm rbm, int k, boolean sampleVisible, int copies, long seed) {
        TrainingConfig training = TrainingConfig.defaults().withThreads(1).withSeed(seed);
        try (FittedAutoencoder model = Autoencoder.of(tiny()).initialize(training)) {
            set(model.parameter("encoder.0.weight").value(), rbm.w());
            set(model.parameter("decoder.0.bias").value(), rbm.b());
            set(model.parameter("encoder.0.bias").value(), rbm.c());
            int rows = PATTERNS.length * copies;
            float[] values = new float[rows * VISIBLE];
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < VISIBLE; i++) {
                    values[r * VISIBLE + i] = PATTERNS[r % PATTERNS.length][i];
                }
            }
            try (Dataset data = Dataset.copyOf("patterns", values, rows, VISIBLE, null)) {
                RbmPretraining.contrastiveDivergence(model, 0, k, sampleVisible, data.features(), Rng.seeded(seed));
            }
            double[] w = model.parameter("encoder.0.weight").grad().toDoubleArray();
            double[] b = model.parameter("decoder.0.bias").grad().toDoubleArray();
            double[] c = model.parameter("encoder.0.bias").grad().toDoubleArray();
            double[] out = new Rbm(w, b, c).flat();
            for (int i = 0; i < out.length; i++) {
                out[i] = -out[i];
            }
            return out;
        }
    }

    private static void set(Tensor t, double[] values) {
        for (int i = 0; i < values.length; i++) {
            t.setFlat(i, values[i]);
        }
    }

    /**
     * Whether {@code update} is the exact gradient up to the Monte Carlo error of the chains: every element within
     * {@code tolerance}. With 24,000 chains an element's standard error is at most 0.5 / sqrt(24,000) = 0.003.
     */
    private static String disagreement(double[] update, double[] exact, double tolerance) {
        for (int i = 0; i < exact.length; i++) {
            if (!(Math.abs(update[i] - exact[i]) <= tolerance)) {
                return "element " + i + ": CD " + update[i] + ", exact " + exact[i];
            }
        }
        return null;
    }

    private static double cosine(double[] a, double[] b) {
        double dot = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return dot / Math.sqrt(aa * bb);
    }

    /**
     * With many Gibbs steps the chains reach the model's distribution, so CD-k (binary visible states) estimates the
     * exact gradient; the same check rejects plausible mistakes: a swapped pair of hidden units' weight rows, or the
     * update's sign flipped.
     */
    @Test
    void cdWithManyStepsAgreesWithTheExactGradientAndTheCheckCatchesAWrongUpdate() {
        for (long seed = 1; seed <= 3; seed++) {
            Rbm rbm = randomRbm(seed);
            double[] exact = rbm.gradient(PATTERNS);
            double[] cd = contrastiveDivergence(rbm, 60, true, 4000, seed);
            String problem = disagreement(cd, exact, 0.015);
            assertNull(problem, "seed " + seed + ": CD-60 is not the exact gradient: " + problem);
            assertTrue(cosine(cd, exact) > 0.995, "seed " + seed + ": cosine " + cosine(cd, exact));

            double[] swapped = cd.clone();
            for (int i = 0; i < VISIBLE; i++) {
                swapped[i] = cd[VISIBLE + i];
                swapped[VISIBLE + i] = cd[i];
            }
            assertTrue(disagreement(swapped, exact, 0.015) != null, "seed " + seed + ": swapped rows not caught");
            double[] flipped = cd.clone();
            for (int i = 0; i < flipped.length; i++) {
                flipped[i] = -flipped[i];
            }
            assertTrue(disagreement(flipped, exact, 0.015) != null, "seed " + seed + ": flipped sign not caught");
            // One Gibbs step is not enough to reach the model's distribution: CD-1 is a different direction, and the
            // check tells it apart, while it still ascends the likelihood (the practical recipe, with visible
            // probabilities).
            double[] cd1 = contrastiveDivergence(rbm, 1, false, 4000, seed);
            assertTrue(cosine(cd1, exact) > 0, "seed " + seed + ": CD-1 descends the likelihood: cosine "
                    + cosine(cd1, exact));
        }
    }

    /** Layers 784 -> 64 sigmoid -> 16 sigmoid code, mirrored, pretrained 3 epochs per layer. */
    private static ModelConfig twoLayers(RbmPretraining procedure) {
        ModelConfig model = ModelConfig.of("rbm-stack", 784,
                new DeterministicEncoder(List.of(LayerSpec.of(64, Activation.SIGMOID),
                        LayerSpec.of(16, Activation.SIGMOID))),
                new Decoder(List.of(LayerSpec.of(64, Activation.SIGMOID), LayerSpec.of(784, Activation.SIGMOID)),
                        false),
                BernoulliLikelihood.INSTANCE, List.of(), Corruption.none());
        return model.withProcedure(procedure);
    }

    /** What the pretraining left, heard when the last RBM's last epoch ends (before fine-tuning). */
    private static final class StackProbe implements TrainingListener {
        final List<EpochReport> rbmEpochs = new ArrayList<>();
        final Tensor probe;
        String mismatch = "the last RBM epoch was not heard";

        StackProbe(Tensor probe) {
            this.probe = probe;
        }

        @Override
        public void onEpoch(EpochReport report, FittedAutoencoder model) {
            if (!report.phase().startsWith("rbm-layer-")) {
                return;
            }
            rbmEpochs.add(report);
            if (report.phase().equals("rbm-layer-1") && report.epoch() == 3) {
                mismatch = unrolledMismatch(model, probe);
            }
        }
    }

    /** Null if the model is the unrolled stack: transposed weights, and encode/reconstruct the RBMs' passes. */
    private static String unrolledMismatch(FittedAutoencoder model, Tensor x) {
        double[][] w = {model.parameter("encoder.0.weight").value().toDoubleArray(),
                model.parameter("encoder.1.weight").value().toDoubleArray()};
        double[][] c = {model.parameter("encoder.0.bias").value().toDoubleArray(),
                model.parameter("encoder.1.bias").value().toDoubleArray()};
        double[][] b = {model.parameter("decoder.1.bias").value().toDoubleArray(),
                model.parameter("decoder.0.bias").value().toDoubleArray()};
        int[] widths = {784, 64, 16};
        for (int l = 0; l < 2; l++) {
            Tensor mirror = model.parameter("decoder." + (1 - l) + ".weight").value();
            for (int j = 0; j < widths[l + 1]; j++) {
                for (int i = 0; i < widths[l]; i++) {
                    if (mirror.get(i, j) != w[l][j * widths[l] + i]) {
                        return "decoder." + (1 - l) + ".weight[" + i + ", " + j + "] is not encoder." + l
                                + ".weight[" + j + ", " + i + "]";
                    }
                }
            }
        }
        try (TensorScope scope = TensorScope.open("unrolled")) {
            Tensor codes = model.encode(x, scope);
            Tensor reconstructions = model.reconstruct(x, scope);
            for (int r = 0; r < x.rows(); r++) {
                double[] a = new double[784];
                for (int i = 0; i < 784; i++) {
                    a[i] = x.get(r, i);
                }
                for (int l = 0; l < 2; l++) {
                    a = up(a, w[l], c[l], widths[l], widths[l + 1]);
                }
                for (int j = 0; j < 16; j++) {
                    if (Math.abs(codes.get(r, j) - a[j]) > 1e-5) {
                        return "code " + r + ", " + j + ": model " + codes.get(r, j) + ", stack " + a[j];
                    }
                }
                for (int l = 1; l >= 0; l--) {
                    a = down(a, w[l], b[l], widths[l], widths[l + 1]);
                }
                for (int i = 0; i < 784; i++) {
                    if (Math.abs(reconstructions.get(r, i) - a[i]) > 1e-5) {
                        return "reconstruction " + r + ", " + i + ": model " + reconstructions.get(r, i)
                                + ", stack " + a[i];
                    }
                }
            }
        }
        return null;
    }

    /** p(h | v) of an RBM with weights {@code w} (hidden x visible). */
    private static double[] up(double[] v, double[] w, double[] c, int visible, int hidden) {
        double[] h = new double[hidden];
        for (int j = 0; j < hidden; j++) {
            double s = c[j];
            for (int i = 0; i < visible; i++) {
                s += w[j * visible + i] * v[i];
            }
            h[j] = Activation.SIGMOID.apply(s);
        }
        return h;
    }

    /** p(v | h). */
    private static double[] down(double[] h, double[] w, double[] b, int visible, int hidden) {
        double[] v = new double[visible];
        for (int i = 0; i < visible; i++) {
            double s = b[i];
            for (int j = 0; j < hidden; j++) {
                s += w[j * visible + i] * h[j];
            }
            v[i] = Activation.SIGMOID.apply(s);
        }
        return v;
    }

    private static Dataset fashion(Dataset all, int from, int to) {
        return all.subset("fashion " + from + "-" + to, IntStream.range(from, to).toArray());
    }

    /**
     * On Fashion-MNIST, CD-1 lowers each RBM's reconstruction error from epoch to epoch; at the end of pretraining
     * the model is the unrolled stack; the same seed gives the same bits and another seed others.
     */
    @Test
    void cd1LowersTheReconstructionErrorAndTheModelIsTheUnrolledStack() throws Exception {
        TrainingConfig training = TrainingConfig.defaults().withEpochs(1).withBatchSize(50).withThreads(1)
                .withSeed(5);
        try (Dataset all = Datasets.load("fashion-mnist-sample");
             Dataset train = fashion(all, 0, 2000)) {
            StackProbe probe = new StackProbe(train.features().rows(0, 20));
            double[] first;
            try (FittedAutoencoder model = Autoencoder.of(twoLayers(new RbmPretraining(3)))
                    .fit(train, training, probe)) {
                assertNull(probe.mismatch, probe.mismatch);
                assertEquals(6, probe.rbmEpochs.size());
                for (int layer = 0; layer < 2; layer++) {
                    double[] errors = probe.rbmEpochs.subList(3 * layer, 3 * layer + 3).stream()
                            .mapToDouble(EpochReport::trainLoss).toArray();
                    assertTrue(errors[1] < errors[0] && errors[2] < errors[1], "layer " + layer
                            + ": reconstruction errors by epoch " + java.util.Arrays.toString(errors));
                }
                // The first layer's error per image falls well below the error of reconstructing the mean image (0.50 of it with this seed).
                double firstLayerEnd = probe.rbmEpochs.get(2).trainLoss();
                assertTrue(firstLayerEnd < 0.6 * meanImageError(train), firstLayerEnd + " against "
                        + meanImageError(train));
                first = model.parameter("encoder.1.weight").value().toDoubleArray();
            }
            try (FittedAutoencoder again = Autoencoder.of(twoLayers(new RbmPretraining(3)))
                    .fit(train, training, TrainingListener.none());
                 FittedAutoencoder other = Autoencoder.of(twoLayers(new RbmPretraining(3)))
                         .fit(train, training.withSeed(6), TrainingListener.none())) {
                assertArrayEquals(first, again.parameter("encoder.1.weight").value().toDoubleArray());
                assertFalse(java.util.Arrays.equals(first, other.parameter("encoder.1.weight").value()
                        .toDoubleArray()));
            }
        }
    }

    private static double meanImageError(Dataset data) {
        Tensor x = data.features();
        double[] mean = new double[x.cols()];
        for (int r = 0; r < x.rows(); r++) {
            for (int i = 0; i < x.cols(); i++) {
                mean[i] += x.get(r, i) / x.rows();
            }
        }
        double sum = 0;
        for (int r = 0; r < x.rows(); r++) {
            for (int i = 0; i < x.cols(); i++) {
                double d = x.get(r, i) - mean[i];
                sum += d * d;
            }
        }
        return sum / x.rows();
    }

    @Test
    void theCheckpointRecordsTheSettingsAndThePhases(@TempDir Path dir) throws Exception {
        RbmPretraining procedure = new RbmPretraining(1, 0.05, 0.8, 1e-4, 2, true);
        TrainingConfig training = TrainingConfig.defaults().withEpochs(1).withBatchSize(50).withThreads(1);
        try (Dataset all = Datasets.load("fashion-mnist-sample");
             Dataset train = fashion(all, 0, 300);
             FittedAutoencoder model = Autoencoder.of(twoLayers(procedure)).fit(train, training,
                     TrainingListener.none())) {
            Path file = dir.resolve("rbm.ckpt");
            model.save(file);
            try (FittedAutoencoder loaded = FittedAutoencoder.load(file)) {
                assertEquals(procedure, loaded.config().procedure());
                List<String> phases = loaded.history().epochs().stream().map(EpochReport::phase).toList();
                assertEquals(List.of("rbm-layer-0", "rbm-layer-1", "train"), phases);
                assertArrayEquals(model.parameter("decoder.0.weight").value().toDoubleArray(),
                        loaded.parameter("decoder.0.weight").value().toDoubleArray());
            }
        }
    }

    /** Trains {@code model} with per-epoch checkpoints into {@code file} and crashes after epoch {@code epochs}. */
    private static void crashAfter(int epochs, ModelConfig model, Dataset train, TrainingConfig training, Path file) {
        int[] epochsSeen = {0};
        IllegalStateException crash = assertThrows(IllegalStateException.class, () -> Autoencoder.of(model)
                .fit(train, training.withCheckpoint(file), new TrainingListener() {
                    @Override
                    public void onEpoch(EpochReport report) {
                        if (++epochsSeen[0] == epochs) {
                            throw new IllegalStateException("simulated crash");
                        }
                    }
                }));
        assertEquals("simulated crash", crash.getMessage());
    }

    private static final TrainingConfig RESUMED = TrainingConfig.defaults().withEpochs(1).withBatchSize(50)
            .withThreads(2).withSeed(11);

    /**
     * A run interrupted after an epoch in the middle of an RBM phase (layer 0's second epoch, or layer 1's, above a
     * frozen layer) and resumed from its per-epoch checkpoint ends with the bits and losses of the uninterrupted run:
     * the checkpoint holds the RBM's velocities as the phase's optimizer state ({@code optimizer.m.<parameter>}) and
     * its step count ({@code state.optimizer-steps}), not only the parameters.
     */
    @ParameterizedTest
    @CsvSource({"2, 0, 1", "5, 1, 0"})
    void resumingInTheMiddleOfAnRbmPhaseEqualsTheUninterruptedRun(int crashAfterEpoch, int layer, int mirror,
                                                                   @TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.ckpt");
        ModelConfig stack = twoLayers(new RbmPretraining(3));
        try (Dataset all = Datasets.load("fashion-mnist-sample");
             Dataset train = fashion(all, 0, 400)) {
            crashAfter(crashAfterEpoch, stack, train, RESUMED, file);
            try (FittedAutoencoder straight = Autoencoder.of(stack).fit(train, RESUMED, TrainingListener.none());
                 FittedAutoencoder resumed = FittedAutoencoder.load(file)) {
                List<EpochReport> before = resumed.history().epochs();
                assertEquals(crashAfterEpoch, before.size(), "checkpoint after the crashed epoch");
                assertEquals("rbm-layer-" + layer, before.getLast().phase());
                assertEquals(2, before.getLast().epoch());
                assertEquals(List.of("optimizer.m.encoder." + layer + ".weight", "optimizer.m.encoder." + layer
                        + ".bias", "optimizer.m.decoder." + mirror + ".bias"),
                        List.copyOf(resumed.state.optimizer.state().keySet()));
                assertEquals(2 * 400 / 50, resumed.state.optimizer.steps(), "two epochs of 8 batches");
                resumed.resume(train, RESUMED, TrainingListener.none());
                CheckpointTest.assertSameParameters(straight, resumed);
                assertEquals(straight.history().epochs().stream().map(EpochReport::trainLoss).toList(),
                        resumed.history().epochs().stream().map(EpochReport::trainLoss).toList());
                assertEquals(7, resumed.history().epochs().size());
            }
        }
    }

    /**
     * A checkpoint from before RBM momentum was saved (in an RBM phase: {@code state.optimizer-steps=-1} and no
     * {@code optimizer.*} tensors) still loads and resumes; its phase goes on from zero velocities, so the run ends
     * elsewhere than the uninterrupted one.
     */
    @Test
    void anRbmCheckpointWithoutMomentumResumesFromZeroVelocities(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.ckpt");
        Path old = dir.resolve("old.ckpt");
        ModelConfig stack = twoLayers(new RbmPretraining(3));
        try (Dataset all = Datasets.load("fashion-mnist-sample");
             Dataset train = fashion(all, 0, 400)) {
            crashAfter(2, stack, train, RESUMED, file);
            try (FittedAutoencoder crashed = FittedAutoencoder.load(file)) {
                // What an older ae wrote in an RBM phase: no optimizer.
                crashed.state.closeOptimizer();
                crashed.save(old);
            }
            try (FittedAutoencoder straight = Autoencoder.of(stack).fit(train, RESUMED, TrainingListener.none());
                 FittedAutoencoder resumed = FittedAutoencoder.load(old);
                 FittedAutoencoder zero = FittedAutoencoder.load(old)) {
                assertNull(resumed.state.optimizer);
                assertEquals(2, resumed.history().epochs().size());
                resumed.resume(train, RESUMED, TrainingListener.none());
                assertEquals(7, resumed.history().epochs().size());
                assertTrue(resumed.history().epochs().stream().allMatch(e -> Double.isFinite(e.trainLoss())));
                assertFalse(java.util.Arrays.equals(straight.parameter("encoder.0.weight").value().toFloatArray(),
                        resumed.parameter("encoder.0.weight").value().toFloatArray()), "momentum restarted at 0");
                // Zero velocities and a first step, exactly: resuming the old file is itself reproducible.
                zero.resume(train, RESUMED, TrainingListener.none());
                CheckpointTest.assertSameParameters(resumed, zero);
            }
        }
    }

    @Test
    void applyToMakesTheHiddenLayersSigmoidAndTheCheckRefusesOthers() {
        ModelConfig preset = Presets.byName("semantic-hashing", 784);
        ModelConfig stacked = new RbmPretraining(2).applyTo(preset);
        assertEquals(preset.encoder().layers().stream().map(LayerSpec::units).toList(),
                stacked.encoder().layers().stream().map(LayerSpec::units).toList());
        assertTrue(stacked.encoder().layers().stream().allMatch(l -> l.activation() == Activation.SIGMOID));
        assertTrue(stacked.decoder().layers().stream().allMatch(l -> l.activation() == Activation.SIGMOID));
        assertEquals(preset.penalties(), stacked.penalties());
        assertEquals(List.of("rbm-layer-0", "rbm-layer-1", "rbm-layer-2", "train"),
                stacked.procedure().plan(stacked, 4).stream().map(TrainingProcedure.PhasePlan::name).toList());
        assertEquals(List.of("train"), new RbmPretraining(0).plan(stacked, 4).stream()
                .map(TrainingProcedure.PhasePlan::name).toList());
        IllegalArgumentException relu = assertThrows(IllegalArgumentException.class,
                () -> preset.withProcedure(new RbmPretraining(2)));
        assertTrue(relu.getMessage().contains("sigmoid"), relu.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RbmPretraining(1, 0, 0.9, 0, 1, false));
        assertThrows(IllegalArgumentException.class, () -> new RbmPretraining(1, 0.1, 0.9, 0, 0, false));
        assertNotEquals(new RbmPretraining(2), new RbmPretraining(3));
    }
}
