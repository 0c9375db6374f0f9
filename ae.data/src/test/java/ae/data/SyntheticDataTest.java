package ae.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import org.junit.jupiter.api.Test;

class SyntheticDataTest {
    @Test
    void everyNameGivesItsDimensionSizeAndTruth() {
        for (String name : SyntheticData.NAMES) {
            try (SyntheticData s = SyntheticData.generate(name, 40, 0.05, 7, 0)) {
                int natural = name.equals("swiss-roll") || name.equals("s-curve") || name.equals("sphere") ? 3 : 2;
                assertEquals(40, s.data().size(), name);
                assertEquals(natural, s.data().dimension(), name);
                if (name.equals("gaussian-mixture")) {
                    assertNotNull(s.mixture());
                    assertNull(s.manifold());
                } else {
                    assertNotNull(s.manifold(), name);
                }
            }
            try (SyntheticData s = SyntheticData.generate(name, 10, 0.05, 7, 10)) {
                assertEquals(10, s.data().dimension(), name);
            }
        }
    }

    @Test
    void rejectsUnknownNamesAndSmallEmbeddings() {
        assertThrows(IllegalArgumentException.class, () -> SyntheticData.generate("torus", 10, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> SyntheticData.generate("swiss-roll", 10, 0, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> SyntheticData.generate("gaussian-mixture", 10, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> SyntheticData.generate("circle", 10, 0, 1, -1));
    }

    @Test
    void smoothedMixtureGrowsEveryVariance() {
        GaussianMixture m = SyntheticData.pentagon(0.1).smoothed(0.2);
        assertArrayEquals(new double[] {0.15 * 0.15 + 0.01 + 0.04, 0.15 * 0.15 + 0.01 + 0.04}, m.variances(3), 1e-12);
    }

    /** The smoothed score of a curve is the gradient of the log of its integrated density. */
    @Test
    void curveSmoothedScoreIsTheGradientOfTheLogDensity() {
        try (ManifoldSample circle = Manifolds.circle(5, 1, 3, 0.05, 2);
             ManifoldSample spiral = Manifolds.spiral(5, 2, 0.05, 2)) {
            qt().withExamples(30).forAll(integers().between(0, 1), doubles().between(-1.3, 1.3),
                    doubles().between(-1.3, 1.3), doubles().between(0.02, 0.3)).checkAssert((which, a, b, sigma) -> {
                        ManifoldSample sample = which == 0 ? circle : spiral;
                        double[] x = sample.ambientDimension() == 3 ? new double[] {a, b, 0.1} : new double[] {a, b};
                        double[] score = sample.smoothedScore(x, sigma, 20000);
                        for (int r = 0; r < x.length; r++) {
                            double h = 1e-5;
                            double[] plus = x.clone();
                            double[] minus = x.clone();
                            plus[r] += h;
                            minus[r] -= h;
                            double numeric = (logDensity(sample, plus, sigma) - logDensity(sample, minus, sigma))
                                    / (2 * h);
                            assertEquals(numeric, score[r], 1e-3 * (1 + Math.abs(numeric)), sample.kind() + " " + r);
                        }
                    });
        }
    }

    /** log of the sum over a fine grid of the curve of N(x; c(t), s^2 I), up to a constant: by direct summation. */
    private static double logDensity(ManifoldSample sample, double[] x, double sigma) {
        double variance = sample.noise() * sample.noise() + sigma * sigma;
        boolean circle = sample.kind() == Manifolds.Kind.CIRCLE;
        double[][] frame = sample.frame();
        int grid = 20000;
        double[] logs = new double[grid];
        double largest = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < grid; j++) {
            double t = circle ? 2 * Math.PI * j / grid : Math.PI + 4 * Math.PI * (j + 0.5) / grid;
            double[] natural = circle ? new double[] {Math.cos(t), Math.sin(t)}
                    : new double[] {t * Math.cos(t) / (5 * Math.PI), t * Math.sin(t) / (5 * Math.PI)};
            double distance = 0;
            for (int r = 0; r < x.length; r++) {
                double c = 0;
                for (int q = 0; q < natural.length; q++) {
                    c += frame[r][q] * natural[q];
                }
                distance += (x[r] - c) * (x[r] - c);
            }
            logs[j] = -distance / (2 * variance);
            largest = Math.max(largest, logs[j]);
        }
        double total = 0;
        for (double l : logs) {
            total += Math.exp(l - largest);
        }
        return largest + Math.log(total);
    }
}
