package ae.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.data.Dataset;
import ae.data.NpyFiles;
import ae.tensor.Activation;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints written by format version 1 (the golden files under golden-v1 were saved by ae before the parts
 * redesign, with the encodings, reconstructions and scores it computed for 16 rows) keep loading: the configuration
 * is translated, the parameters and training state come back, and the model computes what it computed then.
 */
class CheckpointVersion1Test {
    @TempDir
    Path dir;

    private Path fixture(String name) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("golden-v1/" + name)) {
            if (in == null) {
                throw new IOException("no test resource golden-v1/" + name);
            }
            Files.copy(in, file);
        }
        return file;
    }

    private float[] array(String name) throws IOException {
        try (Dataset d = NpyFiles.read(fixture(name), name)) {
            return d.features().toFloatArray();
        }
    }

    private void assertComputesAsVersion1(String name, FittedAutoencoder model) throws IOException {
        try (Dataset input = NpyFiles.read(fixture("v1-input.npy"), "input");
             TensorScope scope = TensorScope.open("outputs")) {
            Tensor x = input.features();
            assertClose(array(name + ".codes.npy"), model.encode(x, scope).toFloatArray(), name + " codes");
            assertClose(array(name + ".reconstructions.npy"), model.reconstruct(x, scope).toFloatArray(),
                    name + " reconstructions");
            double[] scores = model.scoreSamples(x);
            float[] expected = array(name + ".scores.npy");
            for (int i = 0; i < scores.length; i++) {
                assertEquals(expected[i], scores[i], 1e-5 * Math.max(1, Math.abs(expected[i])), name + " score " + i);
            }
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 + 1e-5 * Math.abs(expected[i]), what + " [" + i + "]");
        }
    }

    @Test
    void contractiveTiedWithEarlyStoppingState() throws IOException {
        try (FittedAutoencoder m = FittedAutoencoder.load(fixture("v1-contractive-tied.ckpt"))) {
            ModelConfig c = m.config();
            assertEquals("contractive", c.name());
            assertEquals(12, c.inputDimension());
            assertEquals(new DeterministicEncoder(List.of(LayerSpec.of(5, Activation.SIGMOID))), c.encoder());
            assertTrue(c.decoder().tied());
            assertEquals(BernoulliLikelihood.INSTANCE, c.likelihood());
            assertEquals(List.of(new ContractivePenalty(0.1, 0), new WeightDecayPenalty(1e-4)), c.penalties());
            assertEquals(Corruption.none(), c.corruption());
            assertEquals(new LearningRateSchedule.StepDecay(2, 0.5), m.trainingConfig().schedule());
            assertEquals(0.2, m.trainingConfig().validationFraction());
            assertEquals(5, m.trainingConfig().earlyStoppingPatience());
            assertEquals(3, m.history().epochs().size());
            assertTrue(m.state.best != null, "the best epoch's parameters come back");
            assertComputesAsVersion1("v1-contractive-tied", m);
        }
    }

    @Test
    void stackedSavedInTheMiddleOfPretrainingResumes() throws IOException {
        try (FittedAutoencoder m = FittedAutoencoder.load(fixture("v1-stacked-midpretraining.ckpt"));
             Dataset data = TestData.swissRoll(120, 12, 11)) {
            assertEquals(new GreedyLayerWise(2, List.of(new KlSparsityPenalty(0.1, 0.2)), new MaskingNoise(0.25)),
                    m.config().procedure());
            assertEquals(Initialization.GLOROT_UNIFORM, m.config().initialization());
            assertEquals(new OptimizerConfig.Sgd(0.05, 0.9, false, 0), m.trainingConfig().optimizer());
            assertEquals(new LearningRateSchedule.Cosine(4, 0.1), m.trainingConfig().schedule());
            assertEquals(1, m.state.phase);
            assertEquals(1, m.state.epochsDone);
            assertComputesAsVersion1("v1-stacked-midpretraining", m);
            TrainingHistory h = m.resume(data, m.trainingConfig(), TrainingListener.none());
            assertEquals(TrainingHistory.Outcome.COMPLETED, h.outcome());
            assertEquals(List.of("pretrain-layer-0", "pretrain-layer-0", "pretrain-layer-1", "pretrain-layer-1",
                    "train", "train"), h.epochs().stream().map(EpochReport::phase).toList());
        }
    }

    @Test
    void squaredErrorHigherOrderContractiveAdamW() throws IOException {
        try (FittedAutoencoder m = FittedAutoencoder.load(fixture("v1-hoc-squared.ckpt"))) {
            ModelConfig c = m.config();
            assertEquals(SquaredErrorLikelihood.INSTANCE, c.likelihood());
            assertEquals(List.of(new ContractivePenalty(0.05, 0), new HigherOrderContractivePenalty(0.02, 0.1, 2),
                    new L1Penalty(1e-3)), c.penalties());
            assertEquals(new GaussianNoise(0.05), c.corruption());
            assertEquals(Activation.IDENTITY, c.decoder().outputActivation());
            assertEquals(new OptimizerConfig.AdamW(1e-2, 0.9, 0.999, 1e-8, 1e-3), m.trainingConfig().optimizer());
            assertComputesAsVersion1("v1-hoc-squared", m);
        }
    }

    @Test
    void deepWithProbesAndSaltAndPepper() throws IOException {
        try (FittedAutoencoder m = FittedAutoencoder.load(fixture("v1-deep-probes.ckpt"))) {
            assertEquals(List.of(new L1Penalty(1e-3), new ContractivePenalty(0.01, 2)), m.config().penalties());
            assertEquals(new SaltAndPepperNoise(0.1), m.config().corruption());
            assertEquals(3, m.config().encoder().depth());
            assertComputesAsVersion1("v1-deep-probes", m);
        }
    }

    @Test
    void savingAVersion1ModelWritesVersion2WithTheSameContent() throws IOException {
        Path v2 = dir.resolve("again.ckpt");
        try (FittedAutoencoder m = FittedAutoencoder.load(fixture("v1-stacked-midpretraining.ckpt"))) {
            m.save(v2);
            try (FittedAutoencoder again = FittedAutoencoder.load(v2)) {
                assertEquals(m.config(), again.config());
                assertEquals(m.trainingConfig(), again.trainingConfig());
                assertEquals(m.history().epochs(), again.history().epochs());
                assertComputesAsVersion1("v1-stacked-midpretraining", again);
            }
        }
        byte[] bytes = Files.readAllBytes(v2);
        assertEquals(Checkpoints.VERSION, bytes[8]);
    }
}
