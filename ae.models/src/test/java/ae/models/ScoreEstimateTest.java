package ae.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ae.data.SyntheticData;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import org.junit.jupiter.api.Test;

class ScoreEstimateTest {
    @Test
    void vectorFieldIsReconstructionMinusInputAndTheScoreItsScaling() {
        try (SyntheticData data = SyntheticData.generate("circle", 300, 0.05, 1, 0);
             FittedAutoencoder model = Autoencoder.of(Presets.byName("denoising-score", 2))
                     .fit(data.data(), TestData.quick(1), TrainingListener.none());
             TensorScope scope = TensorScope.open("test")) {
            assertFalse(model.config().likelihood().needsUnitInterval());
            Tensor x = data.data().features();
            Tensor r = model.reconstruct(x, scope);
            Tensor field = model.vectorField(x, scope);
            Tensor score = model.scoreEstimate(x, 0.2, scope);
            for (int i = 0; i < x.rows(); i++) {
                for (int j = 0; j < 2; j++) {
                    double expected = r.get(i, j) - x.get(i, j);
                    assertEquals(expected, field.get(i, j), 1e-6);
                    assertEquals(expected / 0.04, score.get(i, j), 1e-4 * (1 + Math.abs(expected / 0.04)));
                }
            }
            assertThrows(IllegalArgumentException.class, () -> model.scoreEstimate(x, 0, scope));
        }
    }
}
