package ae.data;

import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * A mixture of Gaussians with diagonal covariances, {@code p(x) = sum_k w_k N(x; mu_k, diag(var_k))}, whose log
 * density and score {@code grad log p(x) = sum_k r_k(x) (mu_k - x) / var_k} (with responsibilities
 * {@code r_k(x)} the posterior of component k) have closed forms: a ground truth for score estimation by denoising
 * autoencoders.
 *
 * <p>Log densities are combined by log-sum-exp, so points far from every component still get finite values and
 * well-defined responsibilities. Immutable.
 */
public final class GaussianMixture {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final double LOG_TWO_PI = Math.log(2 * Math.PI);

    private final double[] weights;
    private final double[][] means;
    private final double[][] variances;
    /** log w_k - 1/2 sum_j log(2 pi var_kj): the part of each component's log density that does not depend on x. */
    private final double[] logNormalizers;

    private GaussianMixture(double[] weights, double[][] means, double[][] variances) {
        this.weights = weights;
        this.means = means;
        this.variances = variances;
        this.logNormalizers = new double[weights.length];
        for (int k = 0; k < weights.length; k++) {
            double s = Math.log(weights[k]);
            for (double v : variances[k]) {
                s -= 0.5 * (LOG_TWO_PI + Math.log(v));
            }
            logNormalizers[k] = s;
        }
    }

    /**
     * A mixture from explicit parameters (copied). Weights must be positive and are normalized to sum to 1;
     * variances must be positive.
     */
    public static GaussianMixture of(double[] weights, double[][] means, double[][] variances) {
        int k = weights.length;
        if (k == 0 || means.length != k || variances.length != k) {
            throw new IllegalArgumentException("need the same non-zero number of weights, means and variances, got "
                    + k + ", " + means.length + ", " + variances.length);
        }
        int d = means[0].length;
        if (d == 0) {
            throw new IllegalArgumentException("dimension must be >= 1");
        }
        double total = 0;
        for (double w : weights) {
            if (!(w > 0) || !Double.isFinite(w)) {
                throw new IllegalArgumentException("weights must be finite and > 0, got " + w);
            }
            total += w;
        }
        double[] w = new double[k];
        double[][] mu = new double[k][];
        double[][] var = new double[k][];
        for (int c = 0; c < k; c++) {
            w[c] = weights[c] / total;
            if (means[c].length != d || variances[c].length != d) {
                throw new IllegalArgumentException("component " + c + " has a mean of length " + means[c].length
                        + " and variances of length " + variances[c].length + ", not " + d);
            }
            mu[c] = means[c].clone();
            var[c] = variances[c].clone();
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(mu[c][j]) || !(var[c][j] > 0) || !Double.isFinite(var[c][j])) {
                    throw new IllegalArgumentException("component " + c + ", coordinate " + j + ": mean " + mu[c][j]
                            + " must be finite and variance " + var[c][j] + " finite and > 0");
                }
            }
        }
        return new GaussianMixture(w, mu, var);
    }

    /**
     * A seeded random mixture: equal weights, means drawn from {@code N(0, spread^2 I)}, every variance
     * {@code sigma^2}.
     */
    public static GaussianMixture random(int components, int dimension, double spread, double sigma, long seed) {
        if (components < 1 || dimension < 1) {
            throw new IllegalArgumentException("components and dimension must be >= 1");
        }
        Gaussians g = new Gaussians(Seeds.derive(seed, Seeds.SAMPLE_STREAM, 1));
        double[] w = new double[components];
        double[][] mu = new double[components][dimension];
        double[][] var = new double[components][dimension];
        for (int c = 0; c < components; c++) {
            w[c] = 1;
            for (int j = 0; j < dimension; j++) {
                mu[c][j] = spread * g.next();
                var[c][j] = sigma * sigma;
            }
        }
        return of(w, mu, var);
    }

    /** The number of mixture components. */
    public int components() {
        return weights.length;
    }

    /** The dimension of the points. */
    public int dimension() {
        return means[0].length;
    }

    /** The mixing weight of {@code component}; the weights sum to 1. */
    public double weight(int component) {
        return weights[component];
    }

    /** The mean of {@code component}; a copy. */
    public double[] mean(int component) {
        return means[component].clone();
    }

    /** The diagonal of {@code component}'s covariance; a copy. */
    public double[] variances(int component) {
        return variances[component].clone();
    }

    /**
     * This mixture convolved with {@code N(0, sigma^2 I)}: the density of {@code x + sigma eps}, every variance grown
     * by {@code sigma^2}. What a denoising autoencoder trained with Gaussian corruption sigma estimates the score of.
     */
    public GaussianMixture smoothed(double sigma) {
        if (!(sigma >= 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("sigma must be a finite standard deviation >= 0, got " + sigma);
        }
        double[][] grown = new double[variances.length][];
        for (int k = 0; k < variances.length; k++) {
            grown[k] = variances[k].clone();
            for (int j = 0; j < grown[k].length; j++) {
                grown[k][j] += sigma * sigma;
            }
        }
        return new GaussianMixture(weights.clone(), means, grown);
    }

    /** {@code log p(x)}. */
    public double logDensity(double[] x) {
        requireDimension(x.length);
        double[] terms = new double[weights.length];
        return componentLogTerms(x, terms);
    }

    /** {@code grad log p(x)} at {@code x}, into a new array. */
    public double[] score(double[] x) {
        double[] out = new double[dimension()];
        score(x, out, new double[weights.length]);
        return out;
    }

    /** The score of every row of {@code x} ({@code n x d}, float32) into the rows of {@code out}. */
    public void score(Tensor x, Tensor out) {
        int d = dimension();
        if (x.rank() != 2 || x.cols() != d) {
            throw new IllegalArgumentException("points must be n x " + d + ", got " + x);
        }
        ae.tensor.Shapes.requireSameShape("points", x, "scores", out);
        double[] row = new double[d];
        double[] grad = new double[d];
        double[] terms = new double[weights.length];
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < d; j++) {
                row[j] = x.get(i, j);
            }
            score(row, grad, terms);
            for (int j = 0; j < d; j++) {
                out.set(i, j, grad[j]);
            }
        }
    }

    private void score(double[] x, double[] out, double[] terms) {
        requireDimension(x.length);
        double logP = componentLogTerms(x, terms);
        java.util.Arrays.fill(out, 0);
        for (int k = 0; k < weights.length; k++) {
            double responsibility = Math.exp(terms[k] - logP);
            for (int j = 0; j < out.length; j++) {
                out[j] += responsibility * (means[k][j] - x[j]) / variances[k][j];
            }
        }
    }

    /** Fills {@code terms[k] = log w_k + log N(x; mu_k, var_k)} and returns their log-sum-exp, {@code log p(x)}. */
    private double componentLogTerms(double[] x, double[] terms) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < weights.length; k++) {
            double s = logNormalizers[k];
            for (int j = 0; j < x.length; j++) {
                double c = x[j] - means[k][j];
                s -= 0.5 * c * c / variances[k][j];
            }
            terms[k] = s;
            max = Math.max(max, s);
        }
        double sum = 0;
        for (double t : terms) {
            sum += Math.exp(t - max);
        }
        return max + Math.log(sum);
    }

    private void requireDimension(int length) {
        if (length != dimension()) {
            throw new IllegalArgumentException("point has " + length + " coordinates, the mixture " + dimension());
        }
    }

    /**
     * {@code n} seeded draws as a dataset labelled with the component each came from. Seeds use
     * {@code Seeds.derive(seed, Seeds.SAMPLE_STREAM, 0)}.
     */
    public Dataset sample(int n, long seed, String name) {
        Objects.requireNonNull(name, "name");
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        int d = dimension();
        Gaussians g = new Gaussians(Seeds.derive(seed, Seeds.SAMPLE_STREAM, 0));
        int[] labels = new int[n];
        TensorScope scope = TensorScope.open(name);
        try {
            Tensor features = scope.allocateFloat(n, d);
            MemorySegment seg = features.segment();
            for (int i = 0; i < n; i++) {
                double u = g.uniform();
                int k = 0;
                double cumulative = weights[0];
                while (u >= cumulative && k < weights.length - 1) {
                    cumulative += weights[++k];
                }
                labels[i] = k;
                for (int j = 0; j < d; j++) {
                    seg.setAtIndex(F32, (long) i * d + j, (float) (means[k][j] + Math.sqrt(variances[k][j]) * g.next()));
                }
            }
            return Dataset.owning(name, scope, features, labels);
        } catch (RuntimeException e) {
            scope.close();
            throw e;
        }
    }
}
