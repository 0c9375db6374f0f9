package ae.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.tensor.Activation;
import ae.autodiff.Parameter;
import ae.data.Dataset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingBehaviourTest {
    private static final int D = 16;

    @Test
    void theSameSeedAndThreadCountGiveTheSameBits() {
        ModelConfig config = Presets.denoising(D, 6, new SaltAndPepperNoise(0.1))
                .withPenalties(List.of(new ContractivePenalty(0.1)));
        TrainingConfig training = TestData.quick(3).withThreads(2);
        try (Dataset data = TestData.swissRoll(256, D, 8);
             FittedAutoencoder a = Autoencoder.of(config).fit(data, training, TrainingListener.none());
             FittedAutoencoder b = Autoencoder.of(config).fit(data, training, TrainingListener.none())) {
            CheckpointTest.assertSameParameters(a, b);
        }
    }

    @Test
    void aDivergingRunStopsWithAMessageAndKeepsTheLastGoodEpoch() {
        ModelConfig linear = Presets.mirrored("linear", D, new int[] {4}, Activation.IDENTITY, Activation.IDENTITY,
                Activation.IDENTITY, SquaredErrorLikelihood.INSTANCE, List.of(), Corruption.none());
        TrainingConfig explosive = TestData.quick(30).withOptimizer(OptimizerConfig.momentum(0.5, 0.9));
        try (Dataset data = TestData.swissRoll(256, D, 8);
             FittedAutoencoder diverged = Autoencoder.of(linear).fit(data, explosive, TrainingListener.none())) {
            TrainingHistory h = diverged.history();
            assertEquals(TrainingHistory.Outcome.DIVERGED, h.outcome(), h.message());
            int good = h.epochs().size();
            assertTrue(h.message().contains("epoch " + (good + 1)) && h.message().contains("end of epoch " + good)
                    && (h.message().contains("NaN") || h.message().contains("infinite")
                    || h.message().contains("times its first step's")), h.message());
            for (Parameter p : diverged.parameters()) {
                for (float v : p.value().toFloatArray()) {
                    assertTrue(Float.isFinite(v), p.name());
                }
            }
            try (FittedAutoencoder lastGood = Autoencoder.of(linear).fit(data, explosive.withEpochs(good),
                    TrainingListener.none())) {
                CheckpointTest.assertSameParameters(lastGood, diverged);
            }
        }
    }

    @Test
    void aFiniteButExplodingObjectiveStopsTrainingAtAHugeLearningRate() {
        // Cross-entropy saturates instead of overflowing: at a learning rate of 1e3 the objective stays finite.
        TrainingConfig huge = TestData.quick(5).withOptimizer(OptimizerConfig.adam(1e3));
        try (Dataset data = TestData.swissRoll(256, D, 8);
             FittedAutoencoder diverged = Autoencoder.of(Presets.undercomplete(D, 4)).fit(data, huge,
                     TrainingListener.none())) {
            TrainingHistory h = diverged.history();
            assertEquals(TrainingHistory.Outcome.DIVERGED, h.outcome(), h.message());
            assertTrue(h.message().contains("learning rate too high") && h.message().contains("step "), h.message());
        }
        try (Dataset data = TestData.swissRoll(256, D, 8);
             FittedAutoencoder fine = Autoencoder.of(Presets.undercomplete(D, 4)).fit(data, TestData.quick(5),
                     TrainingListener.none())) {
            assertEquals(TrainingHistory.Outcome.COMPLETED, fine.history().outcome(), fine.history().message());
        }
    }

    @Test
    void earlyStoppingEndsTrainingWhenValidationStopsImproving() {
        // So small a rate that float32 parameters cannot move: the validation loss stays put.
        TrainingConfig frozen = TestData.quick(20).withOptimizer(OptimizerConfig.adam(1e-12)).withValidation(0.25, 2);
        try (Dataset data = TestData.swissRoll(128, D, 8);
             FittedAutoencoder model = Autoencoder.of(Presets.undercomplete(D, 4)).fit(data, frozen,
                     TrainingListener.none())) {
            TrainingHistory h = model.history();
            assertEquals(TrainingHistory.Outcome.EARLY_STOPPED, h.outcome(), h.message());
            assertEquals(3, h.epochs().size());
            assertTrue(h.message().contains("keeps epoch 1's parameters"), h.message());
            assertTrue(Double.isFinite(h.last().validationLoss()));
        }
    }
}
