package ae.models.retrieval;

import ae.tensor.SymmetricEigendecomposition;

/**
 * Eigenvalues and eigenvectors of a small symmetric matrix (float64, by ae.tensor's
 * {@link SymmetricEigendecomposition}), as the arrays PCA-ITQ's principal axes and its orthogonal Procrustes steps read.
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
        double[] flat = new double[n * n];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("a square matrix is needed, row " + i + " has " + a[i].length);
            }
            System.arraycopy(a[i], 0, flat, i * n, n);
        }
        SymmetricEigendecomposition e = SymmetricEigendecomposition.of(flat, n);
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int k = 0; k < n; k++) {
            values[k] = e.eigenvalue(k);
            for (int i = 0; i < n; i++) {
                vectors[i][k] = e.eigenvector(k, i);
            }
        }
        return new SymmetricEigen(values, vectors);
    }
}
