package ae.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SymmetricEigendecompositionTest {
    /** A = Q diag(w) Q^T for a random orthogonal Q (a product of Householder reflections). */
    private static double[] withSpectrum(double[] w, long seed) {
        int n = w.length;
        double[] q = new double[n * n];
        for (int i = 0; i < n; i++) {
            q[i * n + i] = 1;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int reflection = 0; reflection < n; reflection++) {
            double[] u = new double[n];
            double norm = 0;
            for (int i = 0; i < n; i++) {
                u[i] = random.nextGaussian();
                norm += u[i] * u[i];
            }
            // Q <- Q (I - 2 u u^T / |u|^2)
            for (int row = 0; row < n; row++) {
                double dot = 0;
                for (int k = 0; k < n; k++) {
                    dot += q[row * n + k] * u[k];
                }
                for (int k = 0; k < n; k++) {
                    q[row * n + k] -= 2 * dot / norm * u[k];
                }
            }
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += q[i * n + k] * w[k] * q[j * n + k];
                }
                a[i * n + j] = s;
            }
        }
        // Exactly symmetric, as a covariance is.
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                a[i * n + j] = a[j * n + i];
            }
        }
        return a;
    }

    private static void assertDecomposes(double[] a, int n, double[] expectedDescending, double tolerance) {
        SymmetricEigendecomposition e = SymmetricEigendecomposition.of(a, n);
        double scale = 1;
        for (double x : a) {
            scale = Math.max(scale, Math.abs(x));
        }
        for (int i = 0; i < n; i++) {
            assertEquals(expectedDescending[i], e.eigenvalue(i), tolerance * scale, "eigenvalue " + i);
        }
        for (int i = 0; i + 1 < n; i++) {
            assertTrue(e.eigenvalue(i) >= e.eigenvalue(i + 1), "descending at " + i);
        }
        double[] v = e.eigenvectorMatrix();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double reconstructed = 0;
                double gram = 0;
                for (int k = 0; k < n; k++) {
                    reconstructed += v[i * n + k] * e.eigenvalue(k) * v[j * n + k];
                    gram += v[k * n + i] * v[k * n + j];
                }
                assertEquals(a[i * n + j], reconstructed, tolerance * scale, "A at (" + i + ", " + j + ")");
                assertEquals(i == j ? 1 : 0, gram, tolerance, "V^T V at (" + i + ", " + j + ")");
            }
        }
    }

    private static double[] descending(double[] w) {
        double[] sorted = w.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length / 2; i++) {
            double t = sorted[i];
            sorted[i] = sorted[sorted.length - 1 - i];
            sorted[sorted.length - 1 - i] = t;
        }
        return sorted;
    }

    @Test
    void randomSpectraAreRecovered() {
        qt().withExamples(40).forAll(integers().between(1, 40), longs().all()).checkAssert((n, seed) -> {
            SplittableRandom random = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                w[i] = random.nextDouble(-10, 10);
            }
            assertDecomposes(withSpectrum(w, seed), n, descending(w), 1e-10);
        });
    }

    @Test
    void repeatedAndZeroEigenvaluesKeepOrthonormalVectors() {
        double[] w = {3, 3, 3, 0, 0, -1, 5, 5};
        assertDecomposes(withSpectrum(w, 7), w.length, descending(w), 1e-10);
    }

    @Test
    void aCovarianceOfLowRankHasItsRankPositiveEigenvalues() {
        int n = 30;
        double[] w = new double[n];
        for (int i = 0; i < 4; i++) {
            w[i] = Math.pow(10, -i);
        }
        assertDecomposes(withSpectrum(w, 11), n, descending(w), 1e-12);
    }

    @Test
    void theSecondDifferenceMatrixHasItsKnownSpectrum() {
        int n = 64;
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = 2;
            if (i + 1 < n) {
                a[i * n + i + 1] = -1;
                a[(i + 1) * n + i] = -1;
            }
        }
        double[] expected = new double[n];
        for (int k = 1; k <= n; k++) {
            expected[k - 1] = 2 - 2 * Math.cos(k * Math.PI / (n + 1));
        }
        assertDecomposes(a, n, descending(expected), 1e-12);
    }

    @Test
    void diagonalAndZeroMatrices() {
        assertDecomposes(new double[] {4, 0, 0, 0, -2, 0, 0, 0, 9}, 3, new double[] {9, 4, -2}, 1e-15);
        assertDecomposes(new double[16], 4, new double[4], 0);
        assertDecomposes(new double[] {-3.5}, 1, new double[] {-3.5}, 0);
    }

    @Test
    void tensorsOfEitherTypeAreDecomposed() {
        try (TensorScope scope = TensorScope.open("eigen")) {
            Tensor a = scope.fromArray(new float[] {2, 1, 1, 2}, 2, 2);
            SymmetricEigendecomposition e = SymmetricEigendecomposition.of(a);
            assertEquals(3, e.eigenvalue(0), 1e-12);
            assertEquals(1, e.eigenvalue(1), 1e-12);
            assertEquals(Math.abs(e.eigenvector(0, 0)), Math.abs(e.eigenvector(0, 1)), 1e-12);
        }
    }

    @Test
    void badMatricesAreRefusedByName() {
        IllegalArgumentException asymmetric = assertThrows(IllegalArgumentException.class,
                () -> SymmetricEigendecomposition.of(new double[] {1, 2, 3, 4}, 2));
        assertTrue(asymmetric.getMessage().contains("(0, 1)"), asymmetric.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> SymmetricEigendecomposition.of(new double[] {1, 0, 0, Double.NaN}, 2));
        assertTrue(nan.getMessage().contains("(1, 1)"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigendecomposition.of(new double[3], 2));
        try (TensorScope scope = TensorScope.open("eigen")) {
            assertThrows(IllegalArgumentException.class,
                    () -> SymmetricEigendecomposition.of(scope.allocateDouble(2, 3)));
        }
    }
}
