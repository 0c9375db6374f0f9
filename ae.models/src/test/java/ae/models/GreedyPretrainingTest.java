package ae.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.data.Dataset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Greedy layer-wise pretraining then fine-tuning beats random initialization at equal end-to-end epochs. */
class GreedyPretrainingTest {
    @Test
    void pretrainedDeepSigmoidNetReconstructsBetter() {
        int d = 16;
        ModelConfig stacked = Presets.stacked(d, new int[] {12, 8, 4}, 3, List.of(), new MaskingNoise(0.1));
        ModelConfig random = stacked.withProcedure(TrainingProcedure.backpropagation());
        TrainingConfig training = TestData.quick(4);
        try (Dataset data = TestData.swissRoll(512, d, 21);
             FittedAutoencoder pretrained = Autoencoder.of(stacked).fit(data, training, TrainingListener.none());
             FittedAutoencoder fromRandom = Autoencoder.of(random).fit(data, training, TrainingListener.none())) {
            double floor = TestData.meanEntropy(data);
            double a = pretrained.meanLoss(data) - floor;
            double b = fromRandom.meanLoss(data) - floor;
            System.out.printf("excess BCE after 4 end-to-end epochs: pretrained %.4f, random init %.4f%n", a, b);
            assertTrue(a < b, "pretrained " + a + ", random init " + b);
        }
    }
}
