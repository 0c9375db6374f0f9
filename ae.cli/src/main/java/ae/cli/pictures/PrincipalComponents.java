package ae.cli.pictures;

import ae.tensor.ComputePool;
import ae.tensor.Gemm;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;

/**
 * The first principal components of a set of points, for drawing high-dimensional codes in two dimensions: the
 * leading eigenvectors of the covariance matrix by power iteration with deflation. Deterministic: a fixed start
 * vector, and each component's sign chosen so its largest entry is positive.
 */
public final class PrincipalComponents {
    private static final int ITERATIONS = 500;
    /** Power iteration stops once no entry of the unit vector moves by more than this. */
    private static final double CONVERGED = 1e-12;

    private final double[] mean;
    private final double[][] components;
    private final double[] variances;
    private final double totalVariance;

    private PrincipalComponents(double[] mean, double[][] components, double[] variances, double totalVariance) {
        this.mean = mean;
        this.components = components;
        this.variances = variances;
        this.totalVariance = totalVariance;
    }

    /** Fits {@code count} components to the rows of {@code points} (n x k, k >= count). */
    public static PrincipalComponents fit(float[][] points, int count) {
        int n = points.length;
        int k = points[0].length;
        double[] mean = new double[k];
        for (float[] p : points) {
            for (int j = 0; j < k; j++) {
                mean[j] += p[j];
            }
        }
        for (int j = 0; j < k; j++) {
            mean[j] /= n;
        }
        double[][] covariance = covariance(points, mean);
        double total = 0;
        for (int a = 0; a < k; a++) {
            total += covariance[a][a];
        }
        double[][] components = new double[count][];
        double[] variances = new double[count];
        for (int c = 0; c < count; c++) {
            double[] v = new double[k];
            for (int j = 0; j < k; j++) {
                v[j] = 1 + 0.01 * j;
            }
            normalize(v);
            double eigenvalue = 0;
            for (int it = 0; it < ITERATIONS; it++) {
                double[] next = multiply(covariance, v);
                eigenvalue = norm(next);
                if (eigenvalue == 0) {
                    break;
                }
                double change = 0;
                for (int j = 0; j < k; j++) {
                    next[j] /= eigenvalue;
                    change = Math.max(change, Math.abs(next[j] - v[j]));
                }
                v = next;
                if (change <= CONVERGED) {
                    break;
                }
            }
            orient(v);
            components[c] = v;
            variances[c] = eigenvalue;
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    covariance[a][b] -= eigenvalue * v[a] * v[b];
                }
            }
        }
        return new PrincipalComponents(mean, components, variances, total);
    }

    /**
     * The covariance of the rows, (X - mean)^T (X - mean) / (n - 1), by the float32 GEMM: at the end of a training
     * run its kernels are compiled, while a loop of its own (2,000 codes of 256 units: 66 million products) would
     * still run interpreted, which cost more than half a second of the command under load. A float32 covariance is
     * more than precise enough to choose the two axes of a picture.
     */
    private static double[][] covariance(float[][] points, double[] mean) {
        int n = points.length;
        int k = mean.length;
        float[] centred = new float[n * k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                centred[i * k + j] = (float) (points[i][j] - mean[j]);
            }
        }
        double[][] covariance = new double[k][k];
        try (TensorScope scope = TensorScope.open("principal components");
             ComputePool caller = ComputePool.create(1)) {
            Tensor x = scope.allocateFloat(n, k);
            x.copyFrom(centred);
            Tensor c = scope.allocateFloat(k, k);
            Gemm.multiply(caller, 1.0 / Math.max(1, n - 1), x, true, x, false, 0, c);
            float[] values = c.toFloatArray();
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    // Symmetric by construction, whichever triangle the GEMM rounded differently.
                    covariance[a][b] = a <= b ? values[a * k + b] : values[b * k + a];
                }
            }
        }
        return covariance;
    }

    /** Coordinate {@code component} of every point. */
    public double[] project(float[][] points, int component) {
        double[] w = components[component];
        double[] out = new double[points.length];
        for (int i = 0; i < points.length; i++) {
            double sum = 0;
            for (int j = 0; j < w.length; j++) {
                sum += (points[i][j] - mean[j]) * w[j];
            }
            out[i] = sum;
        }
        return out;
    }

    /** The fraction of the total variance along {@code component}. */
    public double explainedFraction(int component) {
        return totalVariance == 0 ? 0 : variances[component] / totalVariance;
    }

    private static double[] multiply(double[][] m, double[] v) {
        double[] out = new double[v.length];
        for (int a = 0; a < v.length; a++) {
            double sum = 0;
            double[] row = m[a];
            for (int b = 0; b < v.length; b++) {
                sum += row[b] * v[b];
            }
            out[a] = sum;
        }
        return out;
    }

    private static double norm(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }

    private static void normalize(double[] v) {
        double n = norm(v);
        for (int j = 0; j < v.length; j++) {
            v[j] /= n;
        }
    }

    private static void orient(double[] v) {
        int largest = 0;
        for (int j = 1; j < v.length; j++) {
            if (Math.abs(v[j]) > Math.abs(v[largest])) {
                largest = j;
            }
        }
        if (v[largest] < 0) {
            for (int j = 0; j < v.length; j++) {
                v[j] = -v[j];
            }
        }
    }
}
