package ae.tensor;

/**
 * The thin singular value decomposition {@code A = U diag(s) V^T} of a small dense matrix in float64, by one-sided
 * Jacobi rotations (Hestenes): columns of a working copy are rotated in pairs until all are orthogonal; their norms
 * are the singular values and the accumulated rotations V. Accurate to working precision even for tiny singular
 * values, which is what a Jacobian's fast-decaying spectrum needs; meant for matrices of up to a few hundred columns
 * (per-example Jacobians), not for large ones.
 */
public final class SingularValueDecomposition {
    private static final int MAX_SWEEPS = 60;

    private final double[] singularValues;
    /** Right singular vectors as rows, in the order of the singular values. */
    private final double[][] right;
    /** Left singular vectors as rows (m entries each); zero where the singular value is zero. */
    private final double[][] left;

    private SingularValueDecomposition(double[] singularValues, double[][] right, double[][] left) {
        this.singularValues = singularValues;
        this.right = right;
        this.left = left;
    }

    /** The decomposition of the {@code m x n} matrix {@code a} (rows of equal length; not modified). */
    public static SingularValueDecomposition of(double[][] a) {
        int m = a.length;
        if (m == 0 || a[0].length == 0) {
            throw new IllegalArgumentException("SVD of an empty matrix");
        }
        int n = a[0].length;
        // Work on columns: w[j] is column j of A V (length m), v[j] column j of V; rotating both keeps W = A V.
        double[][] w = new double[n][m];
        for (int i = 0; i < m; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("row " + i + " has " + a[i].length + " entries, row 0 has " + n);
            }
            for (int j = 0; j < n; j++) {
                if (!Double.isFinite(a[i][j])) {
                    throw new IllegalArgumentException("SVD of a matrix with a non-finite entry at (" + i + ", " + j
                            + "): " + a[i][j]);
                }
                w[j][i] = a[i][j];
            }
        }
        double[][] v = new double[n][n];
        for (int j = 0; j < n; j++) {
            v[j][j] = 1;
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double alpha = dot(w[p], w[p]);
                    double beta = dot(w[q], w[q]);
                    double gamma = dot(w[p], w[q]);
                    if (gamma == 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    if (zeta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(1 + t * t);
                    double s = c * t;
                    rotate(w[p], w[q], c, s);
                    rotate(v[p], v[q], c, s);
                }
            }
            if (!rotated) {
                break;
            }
        }
        Integer[] order = new Integer[n];
        double[] norms = new double[n];
        for (int j = 0; j < n; j++) {
            order[j] = j;
            norms[j] = Math.sqrt(dot(w[j], w[j]));
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(norms[y], norms[x]));
        int r = Math.min(m, n);
        double[] s = new double[r];
        double[][] right = new double[r][n];
        double[][] left = new double[r][m];
        for (int k = 0; k < r; k++) {
            int j = order[k];
            s[k] = norms[j];
            right[k] = v[j].clone();
            if (s[k] > 0) {
                for (int i = 0; i < m; i++) {
                    left[k][i] = w[j][i] / s[k];
                }
            }
        }
        return new SingularValueDecomposition(s, right, left);
    }

    /** The {@code min(m, n)} singular values, largest first; a copy. */
    public double[] singularValues() {
        return singularValues.clone();
    }

    /** Right singular vector {@code k} (length n), of the k-th largest singular value; a copy. */
    public double[] rightSingularVector(int k) {
        return right[k].clone();
    }

    /** Left singular vector {@code k} (length m); a copy. Zero when the singular value is zero. */
    public double[] leftSingularVector(int k) {
        return left[k].clone();
    }

    private static void rotate(double[] x, double[] y, double c, double s) {
        for (int i = 0; i < x.length; i++) {
            double a = x[i];
            double b = y[i];
            x[i] = c * a - s * b;
            y[i] = s * a + c * b;
        }
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }
}
