package ae.models.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import ae.tensor.ComputePool;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The linear algebra of the baselines (Jacobi eigenvectors, the Procrustes rotation) and ITQ's objective. */
class ProjectionHashTest {
    @Test
    void jacobiFindsTheEigenpairsOfSymmetricMatrices() {
        qt().forAll(integers().between(1, 14), longs().all()).checkAssert((n, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            double[][] a = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    a[i][j] = a[j][i] = r.nextDouble(-2, 2);
                }
            }
            SymmetricEigen e = SymmetricEigen.of(a);
            for (int k = 0; k < n; k++) {
                if (k > 0) {
                    assertTrue(e.values[k] <= e.values[k - 1], "descending");
                }
                for (int i = 0; i < n; i++) {
                    double av = 0;
                    for (int j = 0; j < n; j++) {
                        av += a[i][j] * e.vectors[j][k];
                    }
                    assertEquals(e.values[k] * e.vectors[i][k], av, 1e-9, "A v = lambda v");
                }
                for (int l = 0; l < n; l++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) {
                        dot += e.vectors[i][k] * e.vectors[i][l];
                    }
                    assertEquals(k == l ? 1 : 0, dot, 1e-9, "orthonormal");
                }
            }
        });
    }

    @Test
    void polarGivesTheOrthogonalMatrixNearestTheProcrustesTarget() {
        qt().forAll(integers().between(1, 10), longs().all()).checkAssert((b, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            double[][] m = new double[b][b];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < b; j++) {
                    m[i][j] = r.nextDouble(-1, 1);
                }
            }
            double[][] p = ProjectionHash.polar(m);
            double best = trace(p, m);
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < b; j++) {
                    double dot = 0;
                    for (int k = 0; k < b; k++) {
                        dot += p[k][i] * p[k][j];
                    }
                    assertEquals(i == j ? 1 : 0, dot, 1e-8, "orthogonal");
                }
            }
            // max over orthogonal R of tr(R^T M) is reached by the polar factor: no random rotation does better.
            for (int t = 0; t < 20; t++) {
                assertTrue(trace(ProjectionHash.randomRotation(b, r), m) <= best + 1e-9);
            }
        });
    }

    private static double trace(double[][] rotation, double[][] m) {
        double s = 0;
        for (int i = 0; i < m.length; i++) {
            for (int k = 0; k < m.length; k++) {
                s += rotation[k][i] * m[k][i];
            }
        }
        return s;
    }

    @Test
    void iterativeQuantizationBalancesTheBitsOfPcaAndCodesAreSignsOfCentredProjections() {
        // Elongated Gaussian data: plain PCA puts all the variance in the first bits; ITQ's rotation spreads it.
        SplittableRandom r = new SplittableRandom(2);
        int n = 600;
        int d = 10;
        try (TensorScope scope = TensorScope.open("test");
             ComputePool pool = ComputePool.create(1)) {
            Tensor x = scope.allocateFloat(n, d);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    x.set(i, j, 3 + r.nextGaussian() * (j < 4 ? 5.0 / (j + 1) : 0.1));
                }
            }
            ProjectionHash.PrincipalAxes pca = ProjectionHash.principalAxes(x, pool);
            assertTrue(pca.variances()[0] > 20 && pca.variances()[9] < 0.02, java.util.Arrays.toString(
                    pca.variances()));
            ProjectionHash itq = ProjectionHash.iterativeQuantization(pca, x, 4, 50, 1, pool);
            BinaryCodes codes = itq.hash(x, pool);
            for (int j = 0; j < 4; j++) {
                int ones = 0;
                for (int i = 0; i < n; i++) {
                    ones += codes.bit(i, j) ? 1 : 0;
                }
                assertTrue(ones > n / 4 && ones < 3 * n / 4, "bit " + j + " is balanced on centred data: " + ones);
            }
            ProjectionHash lsh = ProjectionHash.randomHyperplanes(x, 8, 3);
            assertEquals(8, lsh.hash(x, pool).bits());
        }
    }
}
