package ae.tensor;

/**
 * Principal angles between subspaces of {@code R^d} spanned by given vectors (float64): the angles whose cosines are
 * the singular values of {@code Qa^T Qb}, with Qa and Qb orthonormal bases of the two spans.
 */
public final class Subspaces {
    private Subspaces() {
    }

    /**
     * The principal angles in radians, smallest first, between the spans of the rows of {@code a} and of {@code b}
     * (each of full rank; as many angles as the smaller span has dimensions).
     */
    public static double[] principalAngles(double[][] a, double[][] b) {
        double[][] qa = orthonormalBasis(a);
        double[][] qb = orthonormalBasis(b);
        if (qa[0].length != qb[0].length) {
            throw new IllegalArgumentException("subspaces of R^" + qa[0].length + " and R^" + qb[0].length);
        }
        double[][] overlap = new double[qa.length][qb.length];
        for (int i = 0; i < qa.length; i++) {
            for (int j = 0; j < qb.length; j++) {
                double s = 0;
                for (int r = 0; r < qa[i].length; r++) {
                    s += qa[i][r] * qb[j][r];
                }
                overlap[i][j] = s;
            }
        }
        double[] cosines = SingularValueDecomposition.of(overlap).singularValues();
        double[] angles = new double[cosines.length];
        for (int k = 0; k < cosines.length; k++) {
            angles[k] = Math.acos(Math.min(1, cosines[k]));
        }
        return angles;
    }

    /** The largest principal angle in degrees: 0 when one span holds the other, 90 when some direction misses it. */
    public static double largestAngleDegrees(double[][] a, double[][] b) {
        double[] angles = principalAngles(a, b);
        return Math.toDegrees(angles[angles.length - 1]);
    }

    /** Orthonormal rows spanning the rows of {@code a} (Gram-Schmidt twice); refuses rows that are dependent. */
    public static double[][] orthonormalBasis(double[][] a) {
        if (a.length == 0 || a[0].length == 0) {
            throw new IllegalArgumentException("a subspace needs at least one non-empty vector");
        }
        double[][] q = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            if (a[i].length != a[0].length) {
                throw new IllegalArgumentException("vector " + i + " has " + a[i].length + " entries, vector 0 has "
                        + a[0].length);
            }
            double[] v = a[i].clone();
            double original = Math.sqrt(dot(v, v));
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < i; p++) {
                    double d = dot(q[p], v);
                    for (int r = 0; r < v.length; r++) {
                        v[r] -= d * q[p][r];
                    }
                }
            }
            double norm = Math.sqrt(dot(v, v));
            if (!(norm > 1e-12 * original) || !(original > 0)) {
                throw new IllegalArgumentException("vector " + i + " is zero or in the span of the ones before it");
            }
            for (int r = 0; r < v.length; r++) {
                v[r] /= norm;
            }
            q[i] = v;
        }
        return q;
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }
}
