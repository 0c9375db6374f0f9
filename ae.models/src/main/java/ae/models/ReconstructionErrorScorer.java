package ae.models;

import ae.tensor.Activation;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.List;

/**
 * The reconstruction error of the mean code on clean input, summed over features: squared error, or binary cross
 * entropy for a model whose output is a probability. Normalized, each feature's error is divided by that feature's
 * mean error over the training rows, so that a pixel the model always reconstructs well counts as much as one it
 * never does (summed BCE otherwise favours images with few bright pixels).
 */
public record ReconstructionErrorScorer(boolean crossEntropy, boolean normalized) implements AnomalyScorer {
    public static final PartKind<ReconstructionErrorScorer> SQUARED_ERROR = kind(false);
    public static final PartKind<ReconstructionErrorScorer> BCE = kind(true);

    /** A normalized error never divides by less than this fraction of the mean over features of the error. */
    private static final double FLOOR = 1e-2;
    private static final float PROBABILITY_CLAMP = 1e-6f;

    private static PartKind<ReconstructionErrorScorer> kind(boolean crossEntropy) {
        return PartKind.of(ReconstructionErrorScorer.class, crossEntropy ? "bce" : "squared-error",
                crossEntropy ? "the binary cross entropy of the reconstruction, summed over features (needs a"
                        + " sigmoid output)"
                        : "the squared error of the reconstruction, summed over features",
                List.of(Setting.bool("normalized", false, "--normalized", "divide each feature's reconstruction error"
                                + " by its mean over the training rows (bce and squared-error scorers)",
                        ReconstructionErrorScorer::normalized)),
                v -> new ReconstructionErrorScorer(crossEntropy, v.bool("normalized")));
    }

    @Override
    public PartKind<ReconstructionErrorScorer> kind() {
        return crossEntropy ? BCE : SQUARED_ERROR;
    }

    @Override
    public boolean learnsFromTrainingRows() {
        return normalized;
    }

    @Override
    public void check(ModelConfig model) {
        if (crossEntropy && model.decoder().outputActivation() != Activation.SIGMOID) {
            throw new IllegalArgumentException("scorer bce needs reconstructions in (0, 1) (a sigmoid output, --loss"
                    + " bce); model '" + model.name() + "' has a " + model.decoder().outputActivation().name()
                    .toLowerCase(java.util.Locale.ROOT) + " output: use --scorer squared-error");
        }
    }

    @Override
    public Fitted fit(FittedAutoencoder model, Tensor train) {
        check(model.config());
        int d = model.config().inputDimension();
        double[] weights;
        if (normalized) {
            AnomalyScorers.requireRows("scorer " + kind().name() + " (normalized)", train, d);
            double[] summedError = new double[d];
            errors(model, train, (row, feature, error) -> summedError[feature] += error);
            weights = normalizers(summedError, train.rows());
        } else {
            weights = new double[d];
            java.util.Arrays.fill(weights, 1);
        }
        return x -> {
            double[] scores = new double[x.rows()];
            errors(model, x, (row, feature, error) -> scores[row] += weights[feature] * error);
            return scores;
        };
    }

    /**
     * Each feature's weight in a normalized score: one over its mean error ({@code summedError} over {@code rows}),
     * the mean never taken below {@link #FLOOR} times the mean over features.
     */
    static double[] normalizers(double[] summedError, int rows) {
        double overall = 0;
        for (double e : summedError) {
            overall += e / rows / summedError.length;
        }
        double floor = Math.max(FLOOR * overall, Double.MIN_NORMAL);
        double[] weights = new double[summedError.length];
        for (int j = 0; j < weights.length; j++) {
            weights[j] = 1 / Math.max(summedError[j] / rows, floor);
        }
        return weights;
    }

    @FunctionalInterface
    private interface ErrorConsumer {
        void accept(int row, int feature, double error);
    }

    private void errors(FittedAutoencoder model, Tensor x, ErrorConsumer consumer) {
        AnomalyScorers.requireRows("scorer " + kind().name(), x, model.config().inputDimension());
        int d = x.cols();
        float[] input = new float[d];
        float[] output = new float[d];
        int chunk = 1024;
        for (int from = 0; from < x.rows(); from += chunk) {
            int to = Math.min(x.rows(), from + chunk);
            try (TensorScope scope = TensorScope.open("reconstructions")) {
                Tensor rows = x.rows(from, to);
                Tensor reconstruction = model.reconstruct(rows, scope);
                for (int i = 0; i < to - from; i++) {
                    copyRow(rows, i, input);
                    copyRow(reconstruction, i, output);
                    for (int j = 0; j < d; j++) {
                        consumer.accept(from + i, j, error(input[j], output[j]));
                    }
                }
            }
        }
    }

    private double error(float target, float reconstruction) {
        if (!crossEntropy) {
            double r = target - reconstruction;
            return r * r;
        }
        double p = Math.min(1 - PROBABILITY_CLAMP, Math.max(PROBABILITY_CLAMP, reconstruction));
        return -(target * Math.log(p) + (1 - target) * Math.log1p(-p));
    }

    private static void copyRow(Tensor t, int row, float[] into) {
        for (int j = 0; j < into.length; j++) {
            into[j] = (float) t.get(row, j);
        }
    }
}
