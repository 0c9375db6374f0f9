package ae.tensor;

import java.util.Arrays;

/**
 * The eigendecomposition {@code A = V diag(w) V^T} of a real symmetric matrix, in float64: Householder reduction to
 * tridiagonal form, then the implicit QL algorithm with Wilkinson shifts (the EISPACK routines tred2 and tql2, after
 * the public-domain JAMA translation). Eigenvalues come in descending order, each eigenvector of unit length; the
 * eigenvectors are orthonormal to rounding even when eigenvalues repeat.
 */
public final class SymmetricEigendecomposition {
    private static final double EPSILON = Math.ulp(1.0);
    private static final int MAX_ITERATIONS_PER_EIGENVALUE = 60;

    private final int n;
    private final double[] values;
    /** Row {@code j} is the eigenvector of {@code values[j]}. */
    private final double[][] vectors;

    private SymmetricEigendecomposition(int n, double[] values, double[][] vectors) {
        this.n = n;
        this.values = values;
        this.vectors = vectors;
    }

    /**
     * Decomposes the symmetric {@code n x n} matrix stored row-major in {@code matrix} (left unchanged). Entries must
     * be finite and the matrix symmetric to within a few ulps of its largest entry.
     */
    public static SymmetricEigendecomposition of(double[] matrix, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a symmetric eigendecomposition needs n >= 1, got " + n);
        }
        if (matrix.length != (long) n * n) {
            throw new IllegalArgumentException("an " + n + "x" + n + " matrix has " + (long) n * n
                    + " entries, got " + matrix.length);
        }
        double largest = 0;
        for (int i = 0; i < matrix.length; i++) {
            if (!Double.isFinite(matrix[i])) {
                throw new IllegalArgumentException("matrix entry (" + i / n + ", " + i % n + ") is " + matrix[i]);
            }
            largest = Math.max(largest, Math.abs(matrix[i]));
        }
        double tolerance = 64 * EPSILON * largest;
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double a = matrix[i * n + j];
                double b = matrix[j * n + i];
                if (Math.abs(a - b) > tolerance) {
                    throw new IllegalArgumentException("the matrix is not symmetric: entry (" + i + ", " + j + ") is "
                            + a + " but (" + j + ", " + i + ") is " + b);
                }
                v[i][j] = 0.5 * (a + b);
            }
        }
        double[] d = new double[n];
        double[] e = new double[n];
        tridiagonalize(v, d, e, n);
        double[][] z = transpose(v, n);
        diagonalize(z, d, e, n);
        return sorted(n, d, z);
    }

    /** A tensor's decomposition: a square rank-2 tensor of either element type. */
    public static SymmetricEigendecomposition of(Tensor matrix) {
        if (matrix.rank() != 2 || matrix.rows() != matrix.cols()) {
            throw new IllegalArgumentException("a symmetric eigendecomposition needs a square matrix, got "
                    + Shapes.format(matrix.shape()));
        }
        int n = matrix.rows();
        double[] values = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                values[i * n + j] = matrix.get(i, j);
            }
        }
        return of(values, n);
    }

    /** The order {@code n} of the decomposed {@code n x n} matrix. */
    public int size() {
        return n;
    }

    /** The eigenvalues, largest first. */
    public double[] eigenvalues() {
        return values.clone();
    }

    /** Eigenvalue {@code index}, counted from the largest. */
    public double eigenvalue(int index) {
        return values[index];
    }

    /** Component {@code row} of the eigenvector of eigenvalue {@code index}. */
    public double eigenvector(int index, int row) {
        return vectors[index][row];
    }

    /** The eigenvector of eigenvalue {@code index}, a fresh array of unit length. */
    public double[] eigenvector(int index) {
        return vectors[index].clone();
    }

    /** The eigenvectors as the columns of an {@code n x n} row-major matrix V, so that {@code A = V diag(w) V^T}. */
    public double[] eigenvectorMatrix() {
        double[] out = new double[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                out[i * n + j] = vectors[j][i];
            }
        }
        return out;
    }

    /** Householder reduction of the symmetric {@code v} to tridiagonal form; v becomes the orthogonal transform. */
    private static void tridiagonalize(double[][] v, double[] d, double[] e, int n) {
        System.arraycopy(v[n - 1], 0, d, 0, n);
        for (int i = n - 1; i > 0; i--) {
            double scale = 0;
            double h = 0;
            for (int k = 0; k < i; k++) {
                scale += Math.abs(d[k]);
            }
            if (scale == 0) {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++) {
                    d[j] = v[i - 1][j];
                    v[i][j] = 0;
                    v[j][i] = 0;
                }
            } else {
                for (int k = 0; k < i; k++) {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                double f = d[i - 1];
                double g = Math.sqrt(h);
                if (f > 0) {
                    g = -g;
                }
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                Arrays.fill(e, 0, i, 0);
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    v[j][i] = f;
                    g = e[j] + v[j][j] * f;
                    for (int k = j + 1; k <= i - 1; k++) {
                        g += v[k][j] * d[k];
                        e[k] += v[k][j] * f;
                    }
                    e[j] = g;
                }
                f = 0;
                for (int j = 0; j < i; j++) {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) {
                    e[j] -= hh * d[j];
                }
                for (int j = 0; j < i; j++) {
                    f = d[j];
                    g = e[j];
                    for (int k = j; k <= i - 1; k++) {
                        v[k][j] -= f * e[k] + g * d[k];
                    }
                    d[j] = v[i - 1][j];
                    v[i][j] = 0;
                }
            }
            d[i] = h;
        }
        for (int i = 0; i < n - 1; i++) {
            v[n - 1][i] = v[i][i];
            v[i][i] = 1;
            double h = d[i + 1];
            if (h != 0) {
                for (int k = 0; k <= i; k++) {
                    d[k] = v[k][i + 1] / h;
                }
                for (int j = 0; j <= i; j++) {
                    double g = 0;
                    for (int k = 0; k <= i; k++) {
                        g += v[k][i + 1] * v[k][j];
                    }
                    for (int k = 0; k <= i; k++) {
                        v[k][j] -= g * d[k];
                    }
                }
            }
            for (int k = 0; k <= i; k++) {
                v[k][i + 1] = 0;
            }
        }
        for (int j = 0; j < n; j++) {
            d[j] = v[n - 1][j];
            v[n - 1][j] = 0;
        }
        v[n - 1][n - 1] = 1;
        e[0] = 0;
    }

    /**
     * Implicit QL on the tridiagonal (d, e); {@code z} holds the transform transposed (row i is column i of V), so
     * that each rotation runs along two contiguous rows.
     */
    private static void diagonalize(double[][] z, double[] d, double[] e, int n) {
        for (int i = 1; i < n; i++) {
            e[i - 1] = e[i];
        }
        e[n - 1] = 0;
        double f = 0;
        double tst1 = 0;
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n - 1 && Math.abs(e[m]) > EPSILON * tst1) {
                m++;
            }
            if (m > l) {
                int iterations = 0;
                do {
                    if (++iterations > MAX_ITERATIONS_PER_EIGENVALUE) {
                        throw new ArithmeticException("the QL iteration did not converge for eigenvalue " + l
                                + " of " + n + " after " + MAX_ITERATIONS_PER_EIGENVALUE + " iterations");
                    }
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2 * e[l]);
                    double r = Math.hypot(p, 1);
                    if (p < 0) {
                        r = -r;
                    }
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) {
                        d[i] -= h;
                    }
                    f += h;
                    p = d[m];
                    double c = 1;
                    double c2 = c;
                    double c3 = c;
                    double el1 = e[l + 1];
                    double s = 0;
                    double s2 = 0;
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Math.hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        double[] zi = z[i];
                        double[] zi1 = z[i + 1];
                        for (int k = 0; k < n; k++) {
                            double t = zi1[k];
                            zi1[k] = s * zi[k] + c * t;
                            zi[k] = c * zi[k] - s * t;
                        }
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(e[l]) > EPSILON * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
    }

    private static double[][] transpose(double[][] v, int n) {
        double[][] t = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                t[j][i] = v[i][j];
            }
        }
        return t;
    }

    private static SymmetricEigendecomposition sorted(int n, double[] d, double[][] z) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(d[b], d[a]));
        double[] values = new double[n];
        double[][] vectors = new double[n][];
        for (int i = 0; i < n; i++) {
            values[i] = d[order[i]];
            vectors[i] = z[order[i]];
        }
        return new SymmetricEigendecomposition(n, values, vectors);
    }
}
