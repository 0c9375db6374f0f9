package ae.models;

import ae.data.BatchOptions;
import ae.data.Batcher;
import ae.data.Dataset;
import ae.data.FeatureScaling;
import ae.tensor.ComputePool;
import ae.tensor.Gemm;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.Arrays;

/**
 * Multinomial logistic regression, the linear probe of learned features (14.9): {@code p(y|x) = softmax(W z + b)} on
 * the features z standardized per feature (mean 0, variance 1 on the training rows), minimizing the mean negative
 * log-likelihood plus {@code l2/2 ||W||^2} by Adam over shuffled mini-batches. The products {@code Z W^T} and
 * {@code G^T Z} run on the engine's GEMM.
 *
 * @param epochs       passes over the training rows
 * @param batchSize    rows per step
 * @param learningRate Adam's step size (betas 0.9, 0.999)
 * @param l2           weight of the squared-weight penalty (not on the biases)
 * @param seed         seed of the shuffling (the weights start at zero)
 */
public record LogisticRegression(int epochs, int batchSize, double learningRate, double l2, long seed) {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    /**
     * Checks the settings; throws {@link IllegalArgumentException} unless epochs and batch size are at least 1, the
     * learning rate positive and l2 non-negative.
     */
    public LogisticRegression {
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || !(l2 >= 0)) {
            throw new IllegalArgumentException("logistic regression needs epochs >= 1, batch >= 1, learning rate > 0"
                    + " and l2 >= 0; got " + epochs + ", " + batchSize + ", " + learningRate + ", " + l2);
        }
    }

    /** 20 epochs of batch 256, learning rate 1e-3, l2 1e-4. */
    public static LogisticRegression defaults() {
        return new LogisticRegression(20, 256, 1e-3, 1e-4, 0);
    }

    /** Fits the regression on the rows of {@code x} (n x d float32) with labels in [0, classes). */
    public Fitted fit(Tensor x, int[] labels, int classes, ComputePool pool) {
        int n = x.rows();
        int d = x.cols();
        if (labels.length != n) {
            throw new IllegalArgumentException(n + " rows of features but " + labels.length + " labels");
        }
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs >= 2 classes, got " + classes);
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label of row " + i + " is " + labels[i] + ", outside [0, "
                        + classes + ")");
            }
        }
        try (TensorScope scope = TensorScope.open("logistic regression")) {
            Tensor z = scope.allocateFloat(n, d);
            z.copyFrom(x);
            FeatureScaling scaling = FeatureScaling.fitStandardization(z, FeatureScaling.Pooling.PER_FEATURE);
            scaling.apply(z);
            Tensor weights = scope.allocateFloat(classes, d);
            Tensor gradient = scope.allocateFloat(classes, d);
            int rows = Math.min(batchSize, n);
            Tensor logits = scope.allocateFloat(rows, classes);
            double[] bias = new double[classes];
            double[] biasGradient = new double[classes];
            double[] m = new double[classes * d + classes];
            double[] v = new double[classes * d + classes];
            double[] probabilities = new double[classes];
            long step = 0;
            try (Dataset data = Dataset.wrap("probe features", z, labels);
                 Batcher batches = Batcher.create(data, new BatchOptions(batchSize, true, false, seed))) {
                for (int epoch = 0; epoch < epochs; epoch++) {
                    batches.startEpoch(epoch);
                    while (batches.next()) {
                        int b = batches.rows();
                        Tensor batch = batches.features();
                        Tensor out = b == rows ? logits : logits.rows(0, b);
                        Gemm.multiply(pool, 1, batch, false, weights, true, 0, out);
                        int[] y = batches.labels();
                        Arrays.fill(biasGradient, 0);
                        // out becomes dL/dlogits = (softmax - onehot) / b, row by row.
                        for (int r = 0; r < b; r++) {
                            softmax(out, r, bias, probabilities);
                            for (int c = 0; c < classes; c++) {
                                double g = (probabilities[c] - (y[r] == c ? 1 : 0)) / b;
                                out.set(r, c, g);
                                biasGradient[c] += g;
                            }
                        }
                        Gemm.multiply(pool, 1, out, true, batch, false, 0, gradient);
                        step++;
                        double correction1 = 1 - Math.pow(BETA1, step);
                        double correction2 = 1 - Math.pow(BETA2, step);
                        for (int c = 0; c < classes; c++) {
                            for (int j = 0; j < d; j++) {
                                double w = weights.get(c, j);
                                double g = gradient.get(c, j) + l2 * w;
                                int k = c * d + j;
                                m[k] = BETA1 * m[k] + (1 - BETA1) * g;
                                v[k] = BETA2 * v[k] + (1 - BETA2) * g * g;
                                weights.set(c, j, w - learningRate * (m[k] / correction1)
                                        / (Math.sqrt(v[k] / correction2) + EPSILON));
                            }
                            int k = classes * d + c;
                            double g = biasGradient[c];
                            m[k] = BETA1 * m[k] + (1 - BETA1) * g;
                            v[k] = BETA2 * v[k] + (1 - BETA2) * g * g;
                            bias[c] -= learningRate * (m[k] / correction1) / (Math.sqrt(v[k] / correction2) + EPSILON);
                        }
                    }
                }
            }
            return new Fitted(scaling, weights.toFloatArray(), bias, classes, d);
        }
    }

    /** Writes softmax(logits row r + bias) into {@code into}. */
    private static void softmax(Tensor logits, int r, double[] bias, double[] into) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < into.length; c++) {
            into[c] = logits.get(r, c) + bias[c];
            max = Math.max(max, into[c]);
        }
        double sum = 0;
        for (int c = 0; c < into.length; c++) {
            into[c] = Math.exp(into[c] - max);
            sum += into[c];
        }
        for (int c = 0; c < into.length; c++) {
            into[c] /= sum;
        }
    }

    /** A fitted regression: the standardization and the weights. */
    public static final class Fitted {
        private final FeatureScaling scaling;
        private final float[] weights;
        private final double[] bias;
        private final int classes;
        private final int dimension;

        Fitted(FeatureScaling scaling, float[] weights, double[] bias, int classes, int dimension) {
            this.scaling = scaling;
            this.weights = weights;
            this.bias = bias;
            this.classes = classes;
            this.dimension = dimension;
        }

        /** The number of classes the model predicts. */
        public int classes() {
            return classes;
        }

        /** The most probable class of each row of {@code x} (n x d). */
        public int[] predict(Tensor x, ComputePool pool) {
            if (x.cols() != dimension) {
                throw new IllegalArgumentException("the regression reads " + dimension + " features, the data has "
                        + x.cols());
            }
            int n = x.rows();
            try (TensorScope scope = TensorScope.open("logistic regression predictions")) {
                Tensor z = scope.allocateFloat(n, dimension);
                z.copyFrom(x);
                scaling.apply(z);
                Tensor w = scope.fromArray(weights, classes, dimension);
                Tensor logits = scope.allocateFloat(n, classes);
                Gemm.multiply(pool, 1, z, false, w, true, 0, logits);
                int[] out = new int[n];
                for (int r = 0; r < n; r++) {
                    int best = 0;
                    double bestValue = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < classes; c++) {
                        double value = logits.get(r, c) + bias[c];
                        if (value > bestValue) {
                            bestValue = value;
                            best = c;
                        }
                    }
                    out[r] = best;
                }
                return out;
            }
        }

        /** The fraction of rows of {@code x} whose predicted class is their label. */
        public double accuracy(Tensor x, int[] labels, ComputePool pool) {
            int[] predicted = predict(x, pool);
            if (labels.length != predicted.length) {
                throw new IllegalArgumentException(predicted.length + " rows but " + labels.length + " labels");
            }
            int right = 0;
            for (int i = 0; i < labels.length; i++) {
                if (predicted[i] == labels[i]) {
                    right++;
                }
            }
            return (double) right / labels.length;
        }
    }
}
