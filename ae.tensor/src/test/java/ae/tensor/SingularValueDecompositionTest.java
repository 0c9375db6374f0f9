package ae.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SingularValueDecompositionTest {
    @Test
    void reconstructsTheMatrixWithOrthonormalFactorsAndSortedValues() {
        qt().withExamples(60).forAll(integers().between(1, 9), integers().between(1, 9), longs().all())
                .checkAssert((m, n, seed) -> {
                    Random random = new Random(seed);
                    double[][] a = new double[m][n];
                    for (double[] row : a) {
                        for (int j = 0; j < n; j++) {
                            row[j] = random.nextGaussian() * (random.nextBoolean() ? 1 : 1e-6);
                        }
                    }
                    SingularValueDecomposition svd = SingularValueDecomposition.of(a);
                    double[] s = svd.singularValues();
                    int r = Math.min(m, n);
                    assertEquals(r, s.length);
                    for (int k = 1; k < r; k++) {
                        assertTrue(s[k] <= s[k - 1], "descending");
                    }
                    for (int p = 0; p < r; p++) {
                        for (int q = 0; q < r; q++) {
                            assertEquals(p == q ? 1 : 0, dot(svd.rightSingularVector(p), svd.rightSingularVector(q)),
                                    1e-10);
                        }
                    }
                    double scale = s[0] + 1e-300;
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double sum = 0;
                            for (int k = 0; k < r; k++) {
                                sum += svd.leftSingularVector(k)[i] * s[k] * svd.rightSingularVector(k)[j];
                            }
                            assertEquals(a[i][j], sum, 1e-12 * scale, "entry " + i + ", " + j);
                        }
                    }
                });
    }

    @Test
    void knownDecomposition() {
        // [[3, 0], [4, 5]] has singular values 3 sqrt(5) and sqrt(5).
        double[] s = SingularValueDecomposition.of(new double[][] {{3, 0}, {4, 5}}).singularValues();
        assertArrayEquals(new double[] {3 * Math.sqrt(5), Math.sqrt(5)}, s, 1e-12);
        assertThrows(IllegalArgumentException.class, () -> SingularValueDecomposition.of(new double[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class,
                () -> SingularValueDecomposition.of(new double[][] {{1, Double.NaN}}));
    }

    @Test
    void principalAnglesOfKnownPlanes() {
        double theta = 0.3;
        double[][] xy = {{1, 0, 0}, {0, 1, 0}};
        double[][] tilted = {{2, 0, 0}, {0, Math.cos(theta), Math.sin(theta)}};
        double[] angles = Subspaces.principalAngles(xy, tilted);
        assertArrayEquals(new double[] {0, theta}, angles, 1e-12);
        assertEquals(Math.toDegrees(theta), Subspaces.largestAngleDegrees(tilted, xy), 1e-10);
        assertEquals(90, Subspaces.largestAngleDegrees(new double[][] {{0, 0, 1}}, xy), 1e-10);
        assertThrows(IllegalArgumentException.class, () -> Subspaces.orthonormalBasis(new double[][] {{1, 1}, {2, 2}}));
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }
}
