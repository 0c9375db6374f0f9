package ae.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.autodiff.Parameter;
import ae.data.Dataset;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GradientStepsTest {
    @Test
    void gradientsThenUpdatesOverTheEpochOrderReproduceFitBitForBit() {
        int n = 230;
        int d = 10;
        int batch = 32;
        float[] flat = new float[n * d];
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < flat.length; i++) {
            flat[i] = (float) random.nextDouble();
        }
        ModelConfig config = Presets.contractive(d, 4, 0.1);
        TrainingConfig training = TrainingConfig.defaults().withEpochs(2).withBatchSize(batch).withThreads(1)
                .withSeed(9);
        try (Dataset data = Dataset.copyOf("uniform", flat, n, d, null);
             FittedAutoencoder fitted = Autoencoder.of(config).fit(data, training, TrainingListener.none());
             FittedAutoencoder byHand = Autoencoder.of(config).initialize(training);
             TensorScope scope = TensorScope.open("batch")) {
            GradientSteps steps = byHand.gradientSteps();
            Tensor x = scope.allocateFloat(batch, d);
            int stepsPerEpoch = n / batch;
            for (int epoch = 0; epoch < 2; epoch++) {
                int[] order = steps.epochOrder(n, epoch);
                for (int b = 0; b < stepsPerEpoch; b++) {
                    for (int r = 0; r < batch; r++) {
                        for (int j = 0; j < d; j++) {
                            x.set(r, j, flat[order[b * batch + r] * d + j]);
                        }
                    }
                    steps.computeGradients(x, steps.stepsDone());
                    steps.applyGradients(stepsPerEpoch);
                }
                steps.finishEpoch(new EpochReport("train", epoch + 1, 0, Double.NaN, 0, 0));
            }
            assertEquals(2 * stepsPerEpoch, steps.stepsDone());
            for (Parameter p : fitted.parameters()) {
                assertArrayEquals(p.value().toFloatArray(), byHand.parameter(p.name()).value().toFloatArray(),
                        p.name());
            }
        }
    }

    @Test
    void aModelFittedByWholeEpochsIsRefusedWithoutLeavingItsFitOpen() {
        TrainingConfig training = TrainingConfig.defaults().withEpochs(1).withThreads(1);
        try (FittedAutoencoder pca = Autoencoder.of(Presets.pca(64, 4)).initialize(training)) {
            long before = TensorScope.liveBytes();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, pca::gradientSteps);
            assertTrue(e.getMessage().contains("fits whole epochs"), e.getMessage());
            // The 64 x 64 sums of the principal-components fit opened to ask are freed again.
            assertEquals(before, TensorScope.liveBytes());
        }
    }
}
