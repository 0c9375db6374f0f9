package ae.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.data.Dataset;
import ae.tensor.SymmetricEigendecomposition;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PCA as a model: the exact fit against a direct eigendecomposition, the model's commands, and its checkpoint. */
class PrincipalComponentsTest {
    static final int D = 12;

    /**
     * Rows {@code mu + sum_i sqrt(lambda_i) z_i q_i + noise} for an orthonormal basis q (a random rotation), with
     * variances 9, 4, 1 along q_0..q_2 and 0.01 along the others: a clear spectrum.
     */
    static Dataset clearSpectrum(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] q = orthonormalBasis(D, random);
        double[] sd = new double[D];
        for (int i = 0; i < D; i++) {
            sd[i] = i == 0 ? 3 : i == 1 ? 2 : i == 2 ? 1 : 0.1;
        }
        float[] values = new float[n * D];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < D; i++) {
                double z = random.nextGaussian() * sd[i];
                for (int j = 0; j < D; j++) {
                    values[r * D + j] += (float) (z * q[i][j]);
                }
            }
            for (int j = 0; j < D; j++) {
                values[r * D + j] += (float) (0.5 + 0.1 * j);
            }
        }
        return Dataset.copyOf("clear spectrum", values, n, D, null);
    }

    static double[][] orthonormalBasis(int d, SplittableRandom random) {
        double[][] q = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                q[i][j] = random.nextGaussian();
            }
            for (int p = 0; p < i; p++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += q[i][j] * q[p][j];
                }
                for (int j = 0; j < d; j++) {
                    q[i][j] -= dot * q[p][j];
                }
            }
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += q[i][j] * q[i][j];
            }
            for (int j = 0; j < d; j++) {
                q[i][j] /= Math.sqrt(norm);
            }
        }
        return q;
    }

    /** The sample covariance by the two-pass formula, independently of the model's accumulation. */
    static double[] covariance(Dataset data) {
        int n = data.size();
        double[] mean = new double[D];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < D; j++) {
                mean[j] += data.get(r, j) / n;
            }
        }
        double[] c = new double[D * D];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < D; i++) {
                for (int j = 0; j < D; j++) {
                    c[i * D + j] += (data.get(r, i) - mean[i]) * (data.get(r, j) - mean[j]) / n;
                }
            }
        }
        return c;
    }

    /** The cosines of the principal angles between the spans of two sets of k vectors (rows), smallest first. */
    static double[] principalAngleCosines(double[][] a, double[][] b) {
        double[][] qa = orthonormalized(a);
        double[][] qb = orthonormalized(b);
        int k = qa.length;
        double[] m = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += dot(qa[p], qb[i]) * dot(qa[p], qb[j]);
                }
                m[i * k + j] = s;
            }
        }
        double[] squared = SymmetricEigendecomposition.of(m, k).eigenvalues();
        double[] out = new double[k];
        for (int i = 0; i < k; i++) {
            out[i] = Math.sqrt(Math.max(0, Math.min(1, squared[k - 1 - i])));
        }
        return out;
    }

    private static double[][] orthonormalized(double[][] vectors) {
        double[][] q = new double[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            q[i] = vectors[i].clone();
            for (int p = 0; p < i; p++) {
                double dot = dot(q[i], q[p]);
                for (int j = 0; j < q[i].length; j++) {
                    q[i][j] -= dot * q[p][j];
                }
            }
            double norm = Math.sqrt(dot(q[i], q[i]));
            for (int j = 0; j < q[i].length; j++) {
                q[i][j] /= norm;
            }
        }
        return q;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** The rows of the encoder weight of a one-layer model: the directions its code reads. */
    static double[][] encoderRows(FittedAutoencoder model, String name, boolean transposed) {
        Tensor w = model.parameter(name).value();
        int k = transposed ? w.cols() : w.rows();
        double[][] out = new double[k][D];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < D; j++) {
                out[c][j] = transposed ? w.get(j, c) : w.get(c, j);
            }
        }
        return out;
    }

    @Test
    void theFitIsTheCovariancesLeadingEigenvectors() {
        int k = 3;
        // 1001 rows in batches of 32: the last batch is partial, and must be read too.
        try (Dataset data = clearSpectrum(1001, 5);
             FittedAutoencoder pca = Autoencoder.of(Presets.pca(D, k)).fit(data, TestData.quick(10),
                     TrainingListener.none())) {
            SymmetricEigendecomposition expected = SymmetricEigendecomposition.of(covariance(data), D);
            double[] variances = PrincipalComponents.variances(pca);
            double total = 0;
            for (int i = 0; i < D; i++) {
                total += expected.eigenvalue(i);
            }
            double[][] leading = new double[k][];
            for (int c = 0; c < k; c++) {
                // Kept as float32 parameters.
                assertEquals(expected.eigenvalue(c), variances[c], 1e-6 * total, "variance " + c);
                leading[c] = expected.eigenvector(c);
                double[] fitted = encoderRows(pca, "encoder.0.weight", false)[c];
                assertEquals(1, Math.abs(dot(fitted, leading[c])), 1e-6, "component " + c);
            }
            assertEquals(total, variances[k], 1e-6 * total);
            double[] cosines = principalAngleCosines(encoderRows(pca, "decoder.0.weight", true), leading);
            assertTrue(cosines[0] > 1 - 1e-9, "decoder span");
            double left = total - variances[0] - variances[1] - variances[2];
            assertEquals(left, pca.meanLoss(data), 1e-4 * total, "mean squared error = the variance left out");
            assertEquals(left, pca.history().epochs().getLast().trainLoss(), 1e-6 * total);
            assertEquals(1, pca.history().epochs().size(), "one pass whatever the epochs asked");
            double[] ratio = PrincipalComponents.explainedVarianceRatio(pca);
            assertTrue(ratio[0] > ratio[1] && ratio[1] > ratio[2] && ratio[2] > 0);
            assertEquals((variances[0] + variances[1] + variances[2]) / total, ratio[0] + ratio[1] + ratio[2], 1e-6);
            try (TensorScope scope = TensorScope.open("codes")) {
                Tensor codes = pca.encode(data.features(), scope);
                // Codes are centred and uncorrelated, with the components' variances.
                for (int c = 0; c < k; c++) {
                    double mean = 0;
                    double square = 0;
                    for (int r = 0; r < data.size(); r++) {
                        mean += codes.get(r, c) / data.size();
                        square += codes.get(r, c) * codes.get(r, c) / data.size();
                    }
                    assertEquals(0, mean, 1e-4, "code mean " + c);
                    assertEquals(variances[c], square, 1e-4 * variances[c], "code variance " + c);
                }
            }
        }
    }

    @Test
    void aCheckpointKeepsTheComponentsAndVariances(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("pca.ckpt");
        try (Dataset data = clearSpectrum(300, 9);
             FittedAutoencoder pca = Autoencoder.of(Presets.pca(D, 2)).fit(data, TestData.quick(1),
                     TrainingListener.none())) {
            pca.save(file);
            try (FittedAutoencoder loaded = FittedAutoencoder.load(file, 1)) {
                double[] a = PrincipalComponents.variances(pca);
                double[] b = PrincipalComponents.variances(loaded);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(a[i], b[i], 1e-6 * Math.abs(a[i]));
                }
                assertEquals(pca.meanLoss(data), loaded.meanLoss(data), 1e-6);
                assertTrue(loaded.config().procedure() instanceof PrincipalComponents);
            }
        }
        assertTrue(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1).contains("principal-components"));
    }

    @Test
    void modelsPcaCannotFitAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Presets.pca(4, 5));
        assertThrows(IllegalArgumentException.class,
                () -> Presets.deep(D, 8, 3).withProcedure(PrincipalComponents.INSTANCE));
        ModelConfig learnedVariance = Presets.pca(D, 2).withLikelihood(GaussianLikelihood.INSTANCE);
        ModelConfig penalized = Presets.pca(D, 2).withPenalties(List.of(new WeightDecayPenalty(0.1)));
        try (Dataset data = clearSpectrum(50, 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Autoencoder.of(learnedVariance).fit(data, TestData.quick(1), TrainingListener.none()));
            assertTrue(e.getMessage().contains("squared error"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> Autoencoder.of(penalized).fit(data, TestData.quick(1), TrainingListener.none()));
            assertTrue(e.getMessage().contains("no penalty"), e.getMessage());
        }
        try (Dataset data = TestData.swissRoll(50, D, 1);
             FittedAutoencoder deep = Autoencoder.of(Presets.deep(D, 8, 3)).fit(data, TestData.quick(1),
                     TrainingListener.none())) {
            assertThrows(IllegalArgumentException.class, () -> PrincipalComponents.variances(deep));
        }
    }
}
