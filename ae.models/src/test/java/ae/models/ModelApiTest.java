package ae.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.autodiff.Parameter;
import ae.data.Dataset;
import ae.tensor.Activation;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ModelApiTest {
    private static final int D = 12;

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "momentum", "nesterov", "adam", "adamw"})
    void everyOptimizerLowersTheLoss(String name) {
        OptimizerConfig optimizer = switch (name) {
            case "sgd" -> OptimizerConfig.sgd(0.5);
            case "momentum" -> OptimizerConfig.momentum(0.1, 0.9);
            case "nesterov" -> OptimizerConfig.nesterov(0.1, 0.9);
            case "adam" -> OptimizerConfig.adam(0.01);
            default -> OptimizerConfig.adamW(0.01, 0.01);
        };
        try (Dataset data = TestData.swissRoll(256, D, 2);
             FittedAutoencoder model = Autoencoder.of(Presets.undercomplete(D, 4)).fit(data,
                     TestData.quick(5).withOptimizer(optimizer)
                             .withSchedule(new LearningRateSchedule.Cosine(5, 0.1)), TrainingListener.none())) {
            List<EpochReport> h = model.history().epochs();
            assertTrue(h.getLast().trainLoss() < h.getFirst().trainLoss(), name + ": " + h);
        }
    }

    @Test
    void tiedDecodersUseTheTransposedEncoderWeights() {
        ModelConfig untied = Presets.mirrored("tied", D, new int[] {5}, Activation.SIGMOID, Activation.SIGMOID,
                Activation.SIGMOID, BernoulliLikelihood.INSTANCE, List.of(), Corruption.none());
        ModelConfig config = untied.withDecoder(untied.decoder().withTied(true))
                .withInitialization(Initialization.GLOROT_UNIFORM);
        try (Dataset data = TestData.swissRoll(128, D, 2);
             FittedAutoencoder model = Autoencoder.of(config).fit(data, TestData.quick(2), TrainingListener.none());
             TensorScope scope = TensorScope.open("out")) {
            assertEquals(List.of("encoder.0.weight", "encoder.0.bias", "decoder.0.bias"),
                    model.parameters().stream().map(Parameter::name).toList());
            Tensor w = model.parameters().get(0).value();
            Tensor b = model.parameters().get(1).value();
            Tensor c = model.parameters().get(2).value();
            Tensor r = model.reconstruct(data.features(), scope);
            for (int row = 0; row < 3; row++) {
                double[] h = new double[5];
                for (int j = 0; j < 5; j++) {
                    double a = b.getFlat(j);
                    for (int k = 0; k < D; k++) {
                        a += data.get(row, k) * w.get(j, k);
                    }
                    h[j] = 1 / (1 + Math.exp(-a));
                }
                for (int k = 0; k < D; k++) {
                    double a = c.getFlat(k);
                    for (int j = 0; j < 5; j++) {
                        a += h[j] * w.get(j, k);
                    }
                    assertEquals(1 / (1 + Math.exp(-a)), r.get(row, k), 1e-5);
                }
            }
        }
    }

    @Test
    void sampleScoresAverageToTheLossAndFlagOutliers() {
        // Squared error: binary cross-entropy against soft targets has a per-sample floor that varies with the data.
        ModelConfig config = Presets.mirrored("mse", D, new int[] {4}, Activation.SIGMOID, Activation.SIGMOID,
                Activation.SIGMOID, SquaredErrorLikelihood.INSTANCE, List.of(), Corruption.none());
        try (Dataset data = TestData.swissRoll(256, D, 2);
             FittedAutoencoder model = Autoencoder.of(config).fit(data, TestData.quick(6),
                     TrainingListener.none());
             TensorScope scope = TensorScope.open("outliers")) {
            double[] scores = model.scoreSamples(data);
            assertEquals(256, scores.length);
            double mean = java.util.Arrays.stream(scores).average().orElseThrow();
            assertEquals(model.meanLoss(data), mean, 1e-4 * mean);
            Tensor outliers = scope.allocateFloat(4, D);
            for (int i = 0; i < 4; i++) {
                for (int k = 0; k < D; k++) {
                    outliers.set(i, k, (i + k) % 2);
                }
            }
            double[] outlierScores = model.scoreSamples(outliers);
            double worstInlier = java.util.Arrays.stream(scores).max().orElseThrow();
            for (double s : outlierScores) {
                assertTrue(s > worstInlier, "outlier " + s + " vs worst inlier " + worstInlier);
            }
        }
    }

    @Test
    void codesDecodeToTheReconstruction() {
        try (Dataset data = TestData.swissRoll(300, D, 2);
             FittedAutoencoder model = Autoencoder.of(Presets.deep(D, 8, 3)).fit(data, TestData.quick(1),
                     TrainingListener.none());
             TensorScope scope = TensorScope.open("codes")) {
            Tensor codes = model.encode(data.features(), scope);
            assertEquals(3, codes.cols());
            float[] viaCodes = model.decode(codes, scope).toFloatArray();
            float[] direct = model.reconstruct(data.features(), scope).toFloatArray();
            for (int i = 0; i < direct.length; i++) {
                assertEquals(direct[i], viaCodes[i], 1e-6);
            }
        }
    }

    @Test
    void mismatchedDataIsRefusedWithTheShapes() {
        try (Dataset data = TestData.swissRoll(64, D + 1, 2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Autoencoder.of(Presets.undercomplete(D, 4)).fit(data, TestData.quick(1), TrainingListener.none()));
            assertTrue(e.getMessage().contains("13 features") && e.getMessage().contains("takes 12"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Presets.sparseKl(D, 4, 0.05, 1).withEncoder(new DeterministicEncoder(
                        List.of(LayerSpec.of(4, Activation.RELU)))));
        assertTrue(e.getMessage().contains("KL sparsity needs a sigmoid code"), e.getMessage());
    }
}
