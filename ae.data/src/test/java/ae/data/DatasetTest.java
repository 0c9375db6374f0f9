package ae.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DatasetTest {
    private static float[] randomValues(int n, long seed, double offset, double spread) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (offset + spread * (r.nextDouble() - 0.5));
        }
        return v;
    }

    private static boolean isConstantColumn(float[] values, int n, int d, int column) {
        for (int i = 1; i < n; i++) {
            if (values[i * d + column] != values[column]) {
                return false;
            }
        }
        return true;
    }

    @Test
    void standardizationOfTwoRowsWithOneEqualFeature() {
        // The case that QuickTheories once drew: n = 2, d = 2, the first feature the same float in both rows.
        float[] values = {1001.4173f, 999.51794f, 1001.4173f, 999.60236f};
        try (Dataset data = Dataset.copyOf("x", values, 2, 2, null)) {
            data.standardize();
            float[] z = data.features().toFloatArray();
            assertEquals(0f, z[0]);
            assertEquals(0f, z[2]);
            assertEquals(-1f, z[1], 1e-3);
            assertEquals(1f, z[3], 1e-3);
        }
    }

    @Test
    void ownedDatasetFreesItsMemoryOnClose() {
        Dataset d = Dataset.copyOf("owned", new float[] {1, 2, 3, 4}, 2, 2, null);
        Tensor features = d.features();
        assertTrue(d.ownsMemory());
        d.close();
        assertFalse(d.isOpen());
        assertThrows(IllegalStateException.class, () -> features.get(0, 0));
        assertThrows(IllegalStateException.class, d::features);
    }

    @Test
    void wrappedDatasetLeavesTheCallersScopeOpen() {
        try (TensorScope scope = TensorScope.open("caller")) {
            Tensor t = scope.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
            Dataset d = Dataset.wrap("borrowed", t, new int[] {0, 1, 0});
            assertFalse(d.ownsMemory());
            d.close();
            assertEquals(6.0, t.get(2, 1));
            assertThrows(IllegalArgumentException.class, () -> Dataset.wrap("bad", t, new int[] {1}));
            assertThrows(IllegalArgumentException.class, () -> Dataset.wrap("strided", t.transpose(), null));
            assertThrows(IllegalArgumentException.class, () -> Dataset.wrap("f64", scope.allocateDouble(2, 2), null));
        }
    }

    @Test
    void minMaxScalingMapsToUnitIntervalAndInverts() {
        qt().forAll(integers().between(1, 30), integers().between(1, 7), longs().all()).checkAssert((n, d, seed) -> {
            float[] values = randomValues(n * d, seed, 40, 100);
            try (Dataset data = Dataset.copyOf("x", values, n, d, null)) {
                FeatureScaling s = data.scaleToUnitInterval();
                float[] scaled = data.features().toFloatArray();
                for (int j = 0; j < d; j++) {
                    float lo = Float.MAX_VALUE;
                    float hi = -Float.MAX_VALUE;
                    for (int i = 0; i < n; i++) {
                        lo = Math.min(lo, scaled[i * d + j]);
                        hi = Math.max(hi, scaled[i * d + j]);
                    }
                    assertEquals(0f, lo, 1e-6f);
                    if (n > 1) {
                        assertEquals(1f, hi, 1e-6f);
                    }
                }
                s.invert(data.features());
                float[] back = data.features().toFloatArray();
                for (int i = 0; i < values.length; i++) {
                    assertEquals(values[i], back[i], 1e-4 * (1 + Math.abs(values[i])));
                }
            }
        });
    }

    @Test
    void standardizationGivesZeroMeanUnitVarianceAndInverts() {
        qt().forAll(integers().between(2, 40), integers().between(1, 6), longs().all()).checkAssert((n, d, seed) -> {
            float[] values = randomValues(n * d, seed, 1000, 3);
            try (Dataset data = Dataset.copyOf("x", values, n, d, null)) {
                FeatureScaling s = data.standardize();
                assertEquals(FeatureScaling.Kind.STANDARDIZATION, s.kind());
                float[] z = data.features().toFloatArray();
                for (int j = 0; j < d; j++) {
                    double mean = 0;
                    double sq = 0;
                    for (int i = 0; i < n; i++) {
                        mean += z[i * d + j];
                    }
                    mean /= n;
                    for (int i = 0; i < n; i++) {
                        sq += (z[i * d + j] - mean) * (z[i * d + j] - mean);
                    }
                    assertEquals(0, mean, 1e-4);
                    // Two rows can draw the same float: a constant feature keeps scale 1, so it becomes all zeros.
                    assertEquals(isConstantColumn(values, n, d, j) ? 0 : 1, sq / n, 1e-3);
                }
                s.invert(data.features());
                float[] back = data.features().toFloatArray();
                for (int i = 0; i < values.length; i++) {
                    assertEquals(values[i], back[i], 1e-3);
                }
            }
        });
    }

    @Test
    void constantFeaturesAndPooledStatistics() {
        float[] values = {5, 1, 5, 3, 5, 5};
        try (Dataset data = Dataset.copyOf("x", values, 3, 2, null)) {
            FeatureScaling s = FeatureScaling.fitStandardization(data.features(), FeatureScaling.Pooling.PER_FEATURE);
            assertEquals(1.0, s.scales()[0], "a constant feature keeps scale 1 instead of dividing by zero");
            FeatureScaling pooled = FeatureScaling.fitMinMax(data.features(), FeatureScaling.Pooling.ALL_FEATURES);
            assertArrayEquals(new double[] {1, 1}, pooled.shifts());
            assertArrayEquals(new double[] {4, 4}, pooled.scales());
            pooled.apply(data.features());
            assertArrayEquals(new float[] {1, 0, 1, 0.5f, 1, 1}, data.features().toFloatArray());
            FeatureScaling restored = FeatureScaling.of(pooled.kind(), pooled.shifts(), pooled.scales());
            restored.invert(data.features());
            assertArrayEquals(values, data.features().toFloatArray());
            try (Dataset other = Dataset.copyOf("y", new float[] {1, 2, 3}, 1, 3, null)) {
                assertThrows(IllegalArgumentException.class, () -> pooled.apply(other.features()));
            }
        }
    }

    @Test
    void splitIsSeededDisjointAndComplete() {
        qt().forAll(integers().between(2, 200), longs().all()).checkAssert((n, seed) -> {
            float[] values = new float[n];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                values[i] = i;
                labels[i] = i % 7;
            }
            try (Dataset data = Dataset.copyOf("d", values, n, 1, labels);
                    TrainValidationSplit a = data.split(0.25, seed);
                    TrainValidationSplit b = data.split(0.25, seed)) {
                int validation = (int) Math.round(n * 0.25);
                if (validation < 1 || validation >= n) {
                    return;
                }
                assertEquals(validation, a.validation().size());
                assertEquals(n - validation, a.train().size());
                assertArrayEquals(a.validation().features().toFloatArray(), b.validation().features().toFloatArray());
                float[] all = new float[n];
                System.arraycopy(a.train().features().toFloatArray(), 0, all, 0, n - validation);
                System.arraycopy(a.validation().features().toFloatArray(), 0, all, n - validation, validation);
                Arrays.sort(all);
                for (int i = 0; i < n; i++) {
                    assertEquals(i, all[i], "every row lands in exactly one part");
                }
                for (Dataset part : new Dataset[] {a.train(), a.validation()}) {
                    for (int i = 0; i < part.size(); i++) {
                        assertEquals((int) part.get(i, 0) % 7, part.label(i), "labels travel with their rows");
                    }
                }
            } catch (IllegalArgumentException tooSmall) {
                assertTrue(Math.round(n * 0.25) < 1 || Math.round(n * 0.25) >= n, tooSmall.getMessage());
            }
        });
    }

    @Test
    void differentSeedsGiveDifferentSplits() {
        float[] values = new float[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        try (Dataset data = Dataset.copyOf("d", values, 1000, 1, null);
                TrainValidationSplit a = data.split(0.1, 1);
                TrainValidationSplit b = data.split(0.1, 2)) {
            assertFalse(Arrays.equals(a.validation().features().toFloatArray(),
                    b.validation().features().toFloatArray()));
            assertThrows(IllegalArgumentException.class, () -> data.split(1.0, 1));
            assertThrows(IllegalArgumentException.class, () -> data.split(0.0001, 1));
        }
    }
}
