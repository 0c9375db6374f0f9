package ae.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GaussianMixtureTest {
    @Test
    void scoreIsTheGradientOfTheLogDensity() {
        qt().forAll(integers().between(1, 5), integers().between(1, 6), longs().all()).checkAssert((k, d, seed) -> {
            GaussianMixture m = GaussianMixture.random(k, d, 2, 0.7, seed);
            SplittableRandom r = new SplittableRandom(seed);
            for (int trial = 0; trial < 5; trial++) {
                double[] x = new double[d];
                for (int j = 0; j < d; j++) {
                    x[j] = 3 * (r.nextDouble() - 0.5) * 2;
                }
                double[] score = m.score(x);
                for (int j = 0; j < d; j++) {
                    double h = 1e-5;
                    double[] plus = x.clone();
                    double[] minus = x.clone();
                    plus[j] += h;
                    minus[j] -= h;
                    double numeric = (m.logDensity(plus) - m.logDensity(minus)) / (2 * h);
                    assertEquals(numeric, score[j], 1e-6 + 1e-5 * Math.abs(numeric), "coordinate " + j);
                }
            }
        });
    }

    @Test
    void singleGaussianHasTheTextbookDensityAndScore() {
        GaussianMixture g = GaussianMixture.of(new double[] {3}, new double[][] {{1, -2}},
                new double[][] {{4, 0.25}});
        double[] x = {2, -1};
        double expected = -Math.log(2 * Math.PI) - 0.5 * Math.log(4 * 0.25) - 0.5 * (1.0 / 4 + 1.0 / 0.25);
        assertEquals(expected, g.logDensity(x), 1e-12);
        double[] score = g.score(x);
        assertEquals(-1.0 / 4, score[0], 1e-12);
        assertEquals(-1.0 / 0.25, score[1], 1e-12);
        assertEquals(1.0, g.weight(0), "weights are normalized");
    }

    @Test
    void farPointsStayFinite() {
        GaussianMixture m = GaussianMixture.random(3, 4, 1, 0.1, 5);
        double[] far = {1e4, -1e4, 1e4, 0};
        assertTrue(Double.isFinite(m.logDensity(far)));
        for (double s : m.score(far)) {
            assertTrue(Double.isFinite(s));
        }
    }

    @Test
    void batchedScoreMatchesPointwise() {
        GaussianMixture m = GaussianMixture.random(4, 3, 2, 0.5, 9);
        try (Dataset d = m.sample(50, 1, "gmm"); TensorScope scope = TensorScope.open("scores")) {
            Tensor out = scope.allocateFloat(50, 3);
            m.score(d.features(), out);
            for (int i = 0; i < 50; i++) {
                double[] x = {d.get(i, 0), d.get(i, 1), d.get(i, 2)};
                double[] s = m.score(x);
                for (int j = 0; j < 3; j++) {
                    assertEquals((float) s[j], out.get(i, j), 1e-6 * (1 + Math.abs(s[j])));
                }
            }
        }
    }

    @Test
    void samplesFollowTheWeightsAndMeans() {
        GaussianMixture m = GaussianMixture.of(new double[] {1, 3}, new double[][] {{-5, 0}, {5, 1}},
                new double[][] {{1, 1}, {0.25, 4}});
        int n = 20_000;
        try (Dataset d = m.sample(n, 3, "gmm")) {
            int[] counts = new int[2];
            double[][] sums = new double[2][2];
            for (int i = 0; i < n; i++) {
                int k = d.label(i);
                counts[k]++;
                sums[k][0] += d.get(i, 0);
                sums[k][1] += d.get(i, 1);
            }
            assertEquals(0.75, counts[1] / (double) n, 0.02);
            assertEquals(-5, sums[0][0] / counts[0], 0.05);
            assertEquals(1, sums[1][1] / counts[1], 0.05);
        }
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class,
                () -> GaussianMixture.of(new double[] {1}, new double[][] {{0}}, new double[][] {{0}}));
        assertThrows(IllegalArgumentException.class,
                () -> GaussianMixture.of(new double[] {-1}, new double[][] {{0}}, new double[][] {{1}}));
        assertThrows(IllegalArgumentException.class,
                () -> GaussianMixture.of(new double[] {1, 1}, new double[][] {{0}}, new double[][] {{1}}));
        assertThrows(IllegalArgumentException.class, () -> GaussianMixture.random(2, 2, 1, 1, 1).score(new double[3]));
    }
}
