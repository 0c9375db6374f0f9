package ae.models.retrieval;

/**
 * Eigenvalues and eigenvectors of a small symmetric matrix by cyclic Jacobi rotations (float64), for PCA-ITQ's
 * principal axes and its orthogonal Procrustes steps. A private helper until ae.tensor has a symmetric
 * eigendecomposition of its own.
 */
final class SymmetricEigen {
    /** Eigenvalues, descending. */
    final double[] values;
    /** vectors[i][k]: component i of the eigenvector of values[k] (eigenvectors in columns). */
    final double[][] vectors;

    private SymmetricEigen(double[] values, double[][] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /** Decomposes the symmetric {@code a} (n x n, row-major; not modified). */
    static SymmetricEigen of(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("a square matrix is needed, row " + i + " has " + a[i].length);
            }
            m[i] = a[i].clone();
        }
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double total = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = m[i][j] * m[i][j];
                    total += s;
                    if (i != j) {
                        off += s;
                    }
                }
            }
            if (off <= 1e-26 * total || off == 0) {
                break;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = m[p][q];
                    if (Math.abs(apq) < 1e-300) {
                        continue;
                    }
                    double theta = (m[q][q] - m[p][p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    rotate(m, v, p, q, c, s, n);
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = m[i][i];
        }
        // Sort descending, with the vectors' columns.
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x]));
        double[] sortedValues = new double[n];
        double[][] sortedVectors = new double[n][n];
        for (int k = 0; k < n; k++) {
            sortedValues[k] = values[order[k]];
            for (int i = 0; i < n; i++) {
                sortedVectors[i][k] = v[i][order[k]];
            }
        }
        return new SymmetricEigen(sortedValues, sortedVectors);
    }

    /** m <- J^T m J and v <- v J for the rotation J in the (p, q) plane that zeroes m[p][q]. */
    private static void rotate(double[][] m, double[][] v, int p, int q, double c, double s, int n) {
        double[] rp = m[p];
        double[] rq = m[q];
        for (int k = 0; k < n; k++) {
            double x = rp[k];
            double y = rq[k];
            rp[k] = c * x - s * y;
            rq[k] = s * x + c * y;
        }
        for (int k = 0; k < n; k++) {
            double[] row = m[k];
            double x = row[p];
            double y = row[q];
            row[p] = c * x - s * y;
            row[q] = s * x + c * y;
        }
        for (int k = 0; k < n; k++) {
            double[] row = v[k];
            double x = row[p];
            double y = row[q];
            row[p] = c * x - s * y;
            row[q] = s * x + c * y;
        }
    }
}
