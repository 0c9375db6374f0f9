package ae.data;

import java.util.SplittableRandom;

/**
 * Standard normal draws by the Box-Muller transform on {@link SplittableRandom}, with {@link StrictMath} so that a
 * seed gives the same values on every platform and JDK (the JDK's own {@code nextGaussian} algorithm is not
 * specified and has changed between releases).
 */
final class Gaussians {
    private final SplittableRandom random;
    private double spare;
    private boolean hasSpare;

    Gaussians(long seed) {
        this.random = new SplittableRandom(seed);
    }

    double uniform() {
        return random.nextDouble();
    }

    double next() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        // 1 - u lies in (0, 1], so the logarithm is finite.
        double radius = StrictMath.sqrt(-2 * StrictMath.log(1 - random.nextDouble()));
        double angle = 2 * StrictMath.PI * random.nextDouble();
        spare = radius * StrictMath.sin(angle);
        hasSpare = true;
        return radius * StrictMath.cos(angle);
    }

    /**
     * A {@code rows x cols} matrix with orthonormal columns drawn uniformly (Gram-Schmidt on Gaussian columns, done
     * twice so that rounding leaves the columns orthogonal to machine precision).
     */
    static double[][] orthonormalFrame(int rows, int cols, long seed) {
        if (cols > rows) {
            throw new IllegalArgumentException("cannot fit " + cols + " orthonormal columns in dimension " + rows);
        }
        Gaussians g = new Gaussians(seed);
        double[][] q = new double[cols][rows];
        for (int c = 0; c < cols; c++) {
            double[] v = q[c];
            for (int r = 0; r < rows; r++) {
                v[r] = g.next();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < c; p++) {
                    double dot = dot(q[p], v);
                    for (int r = 0; r < rows; r++) {
                        v[r] -= dot * q[p][r];
                    }
                }
            }
            double norm = Math.sqrt(dot(v, v));
            for (int r = 0; r < rows; r++) {
                v[r] /= norm;
            }
        }
        double[][] frame = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                frame[r][c] = q[c][r];
            }
        }
        return frame;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
