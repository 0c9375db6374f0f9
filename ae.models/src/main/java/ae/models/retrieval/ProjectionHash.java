package ae.models.retrieval;

import ae.tensor.ComputePool;
import ae.tensor.Gemm;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.SplittableRandom;

/**
 * Binary codes by the signs of linear projections of centred data, {@code bit j = [(x - mean) . w_j > 0]}: the
 * hashing baselines. {@link #randomHyperplanes} is LSH for the angle (Charikar): Gaussian random directions.
 * {@link #iterativeQuantization} is PCA-ITQ (Gong and Lazebnik): the top principal directions, rotated by the
 * orthogonal R that minimizes the quantization error ||B - V R||_F, found by alternating B = sign(V R) with the
 * orthogonal Procrustes solution R = polar(V^T B).
 */
public final class ProjectionHash {
    private final double[] mean;
    /** projection[i][j]: component i of direction j (d x bits). */
    private final double[][] projection;
    private final int bits;

    private ProjectionHash(double[] mean, double[][] projection, int bits) {
        this.mean = mean;
        this.projection = projection;
        this.bits = bits;
    }

    /** Bits per code. */
    public int bits() {
        return bits;
    }

    /** The mean of the rows of {@code data} (float64). */
    public static double[] mean(Tensor data) {
        int n = data.rows();
        int d = data.cols();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += data.get(i, j);
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        return mean;
    }

    /** LSH: {@code bits} Gaussian random directions (seeded) through the mean of {@code data}. */
    public static ProjectionHash randomHyperplanes(Tensor data, int bits, long seed) {
        requireBits(bits);
        int d = data.cols();
        SplittableRandom random = new SplittableRandom(seed);
        double[][] w = new double[d][bits];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < bits; j++) {
                w[i][j] = gaussian(random);
            }
        }
        return new ProjectionHash(mean(data), w, bits);
    }

    /**
     * The principal axes of {@code data}: its mean and the eigenvectors of its covariance, largest variance
     * first. Computed once, they serve {@link #iterativeQuantization} at every code length.
     */
    public static PrincipalAxes principalAxes(Tensor data, ComputePool pool) {
        int n = data.rows();
        int d = data.cols();
        double[] mean = mean(data);
        double[][] covariance = new double[d][d];
        try (TensorScope scope = TensorScope.open("pca")) {
            Tensor centred = scope.allocateFloat(n, d);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    centred.set(i, j, data.get(i, j) - mean[j]);
                }
            }
            Tensor product = scope.allocateFloat(d, d);
            Gemm.multiply(pool, 1.0 / Math.max(1, n - 1), centred, true, centred, false, 0, product);
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    // Symmetrize: the float32 product need not be exactly symmetric.
                    covariance[i][j] = 0.5 * (product.get(i, j) + product.get(j, i));
                }
            }
        }
        SymmetricEigen eigen = SymmetricEigen.of(covariance);
        return new PrincipalAxes(mean, eigen.values, eigen.vectors);
    }

    /** The mean, variances (descending) and principal directions (columns of {@code axes}) of a data set. */
    public record PrincipalAxes(double[] mean, double[] variances, double[][] axes) {
    }

    /**
     * PCA-ITQ with {@code bits} bits: {@code data} projected on the top {@code bits} principal axes, then
     * {@code iterations} rounds of ITQ from a random (seeded) rotation.
     */
    public static ProjectionHash iterativeQuantization(PrincipalAxes pca, Tensor data, int bits, int iterations,
                                                       long seed, ComputePool pool) {
        requireBits(bits);
        int d = data.cols();
        int n = data.rows();
        if (bits > d) {
            throw new IllegalArgumentException("PCA-ITQ gives at most one bit per feature (" + d + "), asked "
                    + bits);
        }
        double[][] top = new double[d][bits];
        for (int i = 0; i < d; i++) {
            System.arraycopy(pca.axes()[i], 0, top[i], 0, bits);
        }
        ProjectionHash projected = new ProjectionHash(pca.mean(), top, bits);
        double[][] rotation = randomRotation(bits, new SplittableRandom(seed));
        try (TensorScope scope = TensorScope.open("itq")) {
            Tensor v = projected.project(data, scope, pool);
            Tensor r = scope.allocateFloat(bits, bits);
            Tensor vr = scope.allocateFloat(n, bits);
            Tensor signs = scope.allocateFloat(n, bits);
            Tensor vtb = scope.allocateFloat(bits, bits);
            for (int iteration = 0; iteration < iterations; iteration++) {
                copy(rotation, r);
                Gemm.multiply(pool, 1, v, false, r, false, 0, vr);
                for (long i = 0; i < (long) n * bits; i++) {
                    signs.setFlat(i, vr.getFlat(i) >= 0 ? 1 : -1);
                }
                Gemm.multiply(pool, 1, v, true, signs, false, 0, vtb);
                rotation = polar(toArray(vtb));
            }
        }
        double[][] w = new double[d][bits];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < bits; j++) {
                double s = 0;
                for (int k = 0; k < bits; k++) {
                    s += top[i][k] * rotation[k][j];
                }
                w[i][j] = s;
            }
        }
        return new ProjectionHash(pca.mean(), w, bits);
    }

    /** The codes of the rows of {@code x}. */
    public BinaryCodes hash(Tensor x, ComputePool pool) {
        try (TensorScope scope = TensorScope.open("hash")) {
            Tensor y = project(x, scope, pool);
            int n = x.rows();
            double[] values = new double[n * bits];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < bits; j++) {
                    values[i * bits + j] = y.get(i, j);
                }
            }
            return BinaryCodes.signs(values, n, bits);
        }
    }

    /** (x - mean) W, n x bits, float32. */
    private Tensor project(Tensor x, TensorScope scope, ComputePool pool) {
        int d = projection.length;
        if (x.cols() != d) {
            throw new IllegalArgumentException("rows of " + x.cols() + " features, the projection takes " + d);
        }
        Tensor w = scope.allocateFloat(d, bits);
        copy(projection, w);
        Tensor y = scope.allocateFloat(x.rows(), bits);
        Gemm.multiply(pool, 1, x, false, w, false, 0, y);
        for (int j = 0; j < bits; j++) {
            double offset = 0;
            for (int i = 0; i < d; i++) {
                offset += mean[i] * projection[i][j];
            }
            for (int i = 0; i < x.rows(); i++) {
                y.set(i, j, y.get(i, j) - offset);
            }
        }
        return y;
    }

    /** The orthogonal factor U W^T of M = U S W^T: M (M^T M)^(-1/2). */
    static double[][] polar(double[][] m) {
        int b = m.length;
        double[][] mtm = new double[b][b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                double s = 0;
                for (int k = 0; k < b; k++) {
                    s += m[k][i] * m[k][j];
                }
                mtm[i][j] = s;
            }
        }
        SymmetricEigen e = SymmetricEigen.of(mtm);
        double[][] inverseRoot = new double[b][b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                double s = 0;
                for (int k = 0; k < b; k++) {
                    double lambda = Math.max(e.values[k], 1e-12 * Math.max(e.values[0], 1e-300));
                    s += e.vectors[i][k] * e.vectors[j][k] / Math.sqrt(lambda);
                }
                inverseRoot[i][j] = s;
            }
        }
        double[][] p = multiply(m, inverseRoot);
        // Newton-Schulz steps P <- P (3I - P^T P) / 2 restore orthogonality where M is ill-conditioned (its
        // smallest singular values are then only known to about sqrt(eps) relative accuracy).
        for (int step = 0; step < 3; step++) {
            double[][] ptp = multiply(transpose(p), p);
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < b; j++) {
                    ptp[i][j] = ((i == j ? 3 : 0) - ptp[i][j]) / 2;
                }
            }
            p = multiply(p, ptp);
        }
        return p;
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int k = b.length;
        int m = b[0].length;
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < k; l++) {
                double x = a[i][l];
                for (int j = 0; j < m; j++) {
                    out[i][j] += x * b[l][j];
                }
            }
        }
        return out;
    }

    /** A random orthogonal matrix: Gram-Schmidt on Gaussian columns. */
    static double[][] randomRotation(int b, SplittableRandom random) {
        double[][] q = new double[b][b];
        for (int j = 0; j < b; j++) {
            double[] column = new double[b];
            for (int i = 0; i < b; i++) {
                column[i] = gaussian(random);
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < b; i++) {
                        dot += q[i][k] * column[i];
                    }
                    for (int i = 0; i < b; i++) {
                        column[i] -= dot * q[i][k];
                    }
                }
            }
            double norm = 0;
            for (double c : column) {
                norm += c * c;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < b; i++) {
                q[i][j] = column[i] / norm;
            }
        }
        return q;
    }

    private static double gaussian(SplittableRandom random) {
        double u = random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }

    private static void copy(double[][] from, Tensor to) {
        for (int i = 0; i < from.length; i++) {
            for (int j = 0; j < from[i].length; j++) {
                to.set(i, j, from[i][j]);
            }
        }
    }

    private static double[][] toArray(Tensor t) {
        double[][] out = new double[t.rows()][t.cols()];
        for (int i = 0; i < t.rows(); i++) {
            for (int j = 0; j < t.cols(); j++) {
                out[i][j] = t.get(i, j);
            }
        }
        return out;
    }

    private static void requireBits(int bits) {
        if (bits < 1) {
            throw new IllegalArgumentException("a code needs at least 1 bit, got " + bits);
        }
    }
}
