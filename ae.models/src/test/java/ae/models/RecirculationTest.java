package ae.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.data.Dataset;
import ae.data.Datasets;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Recirculation on the encoder problems of Hinton and McClelland, on images, and against the true gradient. */
class RecirculationTest {
    /** The n one-hot patterns of n units. */
    private static Dataset oneHot(int n) {
        float[] values = new float[n * n];
        for (int i = 0; i < n; i++) {
            values[i * n + i] = 1;
        }
        return Dataset.copyOf("one-hot " + n, values, n, n, null);
    }

    /** Trains an n-code-n encoder problem by recirculation, one batch of every pattern per step. */
    private static FittedAutoencoder encoderProblem(int n, int code, long seed, int steps, double learningRate) {
        ModelConfig config = Presets.recirculation(n, code, 0.75);
        TrainingConfig training = TrainingConfig.defaults().withEpochs(1).withBatchSize(n).withThreads(1)
                .withSeed(seed).withOptimizer(OptimizerConfig.sgd(learningRate));
        FittedAutoencoder model = Autoencoder.of(config).initialize(training);
        try (Dataset data = oneHot(n); TrainingStepper stepper = model.stepper(data)) {
            for (int s = 0; s < steps; s++) {
                stepper.step();
            }
        }
        return model;
    }

    private static boolean reconstructsExactly(FittedAutoencoder model, int n) {
        try (Dataset data = oneHot(n); TensorScope scope = TensorScope.open("reconstruct")) {
            Tensor r = model.reconstruct(data.features(), scope);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if ((r.get(i, j) > 0.5) != (i == j)) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    @ParameterizedTest
    @CsvSource({"4, 2, 1", "4, 2, 2", "4, 2, 3", "8, 3, 1", "8, 3, 2", "8, 3, 3"})
    void solvesTheEncoderProblem(int n, int code, long seed) {
        try (FittedAutoencoder model = encoderProblem(n, code, seed, 4000, 5)) {
            assertTrue(reconstructsExactly(model, n), n + "-" + code + "-" + n + " from seed " + seed
                    + " does not reconstruct every pattern after thresholding at 0.5");
        }
    }

    /** Rows {@code from} to {@code to} of the embedded Fashion-MNIST sample. */
    private static Dataset fashion(Dataset all, int from, int to) {
        return all.subset("fashion " + from + "-" + to, IntStream.range(from, to).toArray());
    }

    /**
     * On Fashion-MNIST the reconstruction error falls, the update stays within 90 degrees of the negative gradient
     * all through training, and the test loss is set beside backpropagation's on the same architecture and epochs.
     */
    @Test
    void onFashionMnistTheErrorFallsAndTheUpdateFollowsTheGradient() throws Exception {
        int epochs = 4;
        try (Dataset all = Datasets.load("fashion-mnist-sample");
             Dataset train = fashion(all, 0, 2000);
             Dataset test = fashion(all, 9000, 10000)) {
            ModelConfig config = Presets.recirculation(all.dimension(), 64, 0.75);
            TrainingConfig training = TrainingConfig.defaults().withEpochs(epochs).withBatchSize(32).withThreads(1)
                    .withSeed(3).withOptimizer(OptimizerConfig.sgd(0.5));
            List<Double> angles = new ArrayList<>();
            double before;
            double after;
            try (FittedAutoencoder model = Autoencoder.of(config).initialize(training);
                 TrainingStepper stepper = model.stepper(train)) {
                Tensor probe = train.features().rows(0, 128);
                before = model.meanLoss(test);
                int stepsPerEpoch = train.size() / 32;
                for (int s = 0; s < epochs * stepsPerEpoch; s++) {
                    if (s % (stepsPerEpoch / 2) == 0) {
                        angles.add(Recirculation.angleToGradient(model, probe));
                    }
                    stepper.step();
                }
                angles.add(Recirculation.angleToGradient(model, probe));
                after = model.meanLoss(test);
            }
            double backprop;
            try (FittedAutoencoder model = Autoencoder.of(config.withProcedure(TrainingProcedure.backpropagation()))
                    .initialize(training);
                 TrainingStepper stepper = model.stepper(train)) {
                for (int s = 0; s < epochs * (train.size() / 32); s++) {
                    stepper.step();
                }
                backprop = model.meanLoss(test);
            }
            System.out.printf("recirculation 784-64-784 on 2,000 Fashion-MNIST images, %d epochs of SGD 0.5:"
                    + " test squared error %.2f -> %.2f (backpropagation, same epochs: %.2f); angle to the negative"
                    + " gradient over training (degrees): %s%n", epochs, before, after, backprop,
                    angles.stream().map(a -> String.format("%.1f", a)).toList());
            assertTrue(after < 0.8 * before, "the test error went from " + before + " to " + after);
            for (double angle : angles) {
                assertTrue(angle < 90, "an update at " + angle + " degrees to the negative gradient: " + angles);
            }
        }
    }

    @Test
    void aCheckpointRoundTripsTheProcedure(@TempDir Path dir) throws Exception {
        ModelConfig config = Presets.recirculation(8, 3, 0.75).withProcedure(new Recirculation(0.6, true));
        TrainingConfig training = TrainingConfig.defaults().withEpochs(2).withBatchSize(8).withThreads(1)
                .withOptimizer(OptimizerConfig.sgd(5));
        try (Dataset eight = oneHot(8);
             FittedAutoencoder model = Autoencoder.of(config).fit(eight, training, TrainingListener.none())) {
            Path file = dir.resolve("recirculation.ckpt");
            model.save(file);
            try (FittedAutoencoder loaded = FittedAutoencoder.load(file);
                 Dataset data = oneHot(8);
                 TensorScope scope = TensorScope.open("round trip")) {
                assertEquals(model.config(), loaded.config());
                assertArrayEquals(model.reconstruct(data.features(), scope).toFloatArray(),
                        loaded.reconstruct(data.features(), scope).toFloatArray());
            }
        }
    }

    @Test
    void regressingTheHiddenStateAlsoSolvesTheEncoderProblem() {
        ModelConfig config = Presets.recirculation(4, 2, 0.75).withProcedure(new Recirculation(0.75, true));
        TrainingConfig training = TrainingConfig.defaults().withEpochs(1).withBatchSize(4).withThreads(1)
                .withSeed(1).withOptimizer(OptimizerConfig.sgd(5));
        try (FittedAutoencoder model = Autoencoder.of(config).initialize(training);
             Dataset data = oneHot(4);
             TrainingStepper stepper = model.stepper(data)) {
            for (int s = 0; s < 6000; s++) {
                stepper.step();
            }
            assertTrue(reconstructsExactly(model, 4));
        }
    }

    @Test
    void refusesWhatItCannotTrain() {
        IllegalArgumentException deep = assertThrows(IllegalArgumentException.class,
                () -> Presets.deep(16, 8, 4).withProcedure(new Recirculation(0.75, false)));
        assertTrue(deep.getMessage().contains("one deterministic hidden layer"), deep.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Recirculation(1, false));
        assertThrows(IllegalArgumentException.class, () -> new Recirculation(-0.1, false));
    }
}
