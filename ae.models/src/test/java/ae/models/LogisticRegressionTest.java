package ae.models;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.tensor.ComputePool;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {
    /** Three Gaussian classes in 6 dimensions whose means differ along the first two features only. */
    private static Tensor clusters(TensorScope scope, int n, int[] labels, long seed, double offset) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[n * 6];
        for (int r = 0; r < n; r++) {
            labels[r] = random.nextInt(3);
            for (int j = 0; j < 6; j++) {
                // Features of very different scales: the probe standardizes them.
                values[r * 6 + j] = (float) ((random.nextGaussian() + offset) * (j + 1) * (j == 5 ? 100 : 1));
            }
            values[r * 6] += (float) (4 * Math.cos(2 * Math.PI * labels[r] / 3));
            values[r * 6 + 1] += (float) (8 * Math.sin(2 * Math.PI * labels[r] / 3));
        }
        return scope.fromArray(values, n, 6);
    }

    @Test
    void separatesClassesItCanSeparateAndNotOnesItCannot() {
        ComputePool pool = ComputePool.common();
        try (TensorScope scope = TensorScope.open("probe test")) {
            int[] trainLabels = new int[900];
            int[] testLabels = new int[300];
            Tensor train = clusters(scope, 900, trainLabels, 1, 3);
            Tensor test = clusters(scope, 300, testLabels, 2, 3);
            LogisticRegression probe = new LogisticRegression(30, 64, 1e-2, 1e-4, 5);
            double accuracy = probe.fit(train, trainLabels, 3, pool).accuracy(test, testLabels, pool);
            assertTrue(accuracy > 0.95, "accuracy " + accuracy);
            // Labels independent of the features: held-out accuracy stays near chance (1/3).
            int[] shuffled = new int[300];
            SplittableRandom random = new SplittableRandom(9);
            for (int i = 0; i < 300; i++) {
                shuffled[i] = random.nextInt(3);
            }
            double chance = probe.fit(train, trainLabels, 3, pool).accuracy(test, shuffled, pool);
            assertTrue(chance < 0.45, "accuracy on unrelated labels " + chance);
        }
    }

    @Test
    void badLabelsAreRefused() {
        ComputePool pool = ComputePool.common();
        try (TensorScope scope = TensorScope.open("probe test")) {
            Tensor x = scope.allocateFloat(4, 2);
            LogisticRegression probe = LogisticRegression.defaults();
            assertThrows(IllegalArgumentException.class, () -> probe.fit(x, new int[] {0, 1, 2, 3}, 3, pool));
            assertThrows(IllegalArgumentException.class, () -> probe.fit(x, new int[] {0, 1, 1}, 2, pool));
            assertThrows(IllegalArgumentException.class, () -> new LogisticRegression(0, 1, 1e-3, 0, 0));
        }
    }
}
