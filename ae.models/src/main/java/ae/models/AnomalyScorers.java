package ae.models;

import ae.tensor.Tensor;
import java.util.List;

/**
 * The anomaly scorers ae knows, by stable name, each model's default scorer, and the area under the ROC curve that
 * measures them.
 */
public final class AnomalyScorers {
    private static final List<PartKind<? extends AnomalyScorer>> KINDS = List.of(
            ModelLossScorer.KIND, ReconstructionErrorScorer.SQUARED_ERROR, ReconstructionErrorScorer.BCE,
            MonteCarloScorer.NEGATIVE_ELBO, MonteCarloScorer.IWAE, MonteCarloScorer.RECONSTRUCTION_PROBABILITY,
            MahalanobisScorer.KIND, NearestNeighboursScorer.KIND, ResidualAndCodeScorer.KIND, ScoreFieldScorer.KIND);

    private AnomalyScorers() {
    }

    /** Every scorer kind, in the order of the help. */
    public static List<PartKind<? extends AnomalyScorer>> kinds() {
        return KINDS;
    }

    /** The scorer kind called {@code name}; IllegalArgumentException listing the known ones. */
    public static PartKind<? extends AnomalyScorer> kind(String name) {
        for (PartKind<? extends AnomalyScorer> k : KINDS) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown scorer '" + name + "' (known: "
                + String.join(", ", KINDS.stream().map(PartKind::name).toList()) + ")");
    }

    /** The scorer called {@code name} with its default settings. */
    public static AnomalyScorer byName(String name) {
        return kind(name).defaults();
    }

    /**
     * The scorer for {@code model} when none is chosen: the scorer of the preset the model is named after if it has
     * one (the {@code anomaly} preset's), else the importance-weighted likelihood for a model with a prior and the
     * model's own loss for the others (docs/anomaly-detection.md has the measurements).
     */
    public static AnomalyScorer defaultFor(ModelConfig model) {
        for (Presets.Preset preset : Presets.all()) {
            if (preset.name().equals(model.name()) && preset.scorer() != null) {
                return preset.scorerForDimension(model.inputDimension());
            }
        }
        if (model.encoder().hasPrior()) {
            return new MonteCarloScorer(MonteCarloScorer.Estimate.IWAE, 16, 0);
        }
        return new ModelLossScorer();
    }

    /**
     * The area under the ROC curve of {@code scores} for telling the rows marked {@code anomalous} from the others:
     * the probability that an anomaly scores above a normal row, ties counting one half. NaN scores are refused.
     */
    public static double auroc(double[] scores, boolean[] anomalous) {
        if (scores.length != anomalous.length) {
            throw new IllegalArgumentException("auroc: " + scores.length + " scores but " + anomalous.length
                    + " labels");
        }
        Integer[] order = new Integer[scores.length];
        long positives = 0;
        for (int i = 0; i < order.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("auroc: score " + i + " is NaN");
            }
            order[i] = i;
            positives += anomalous[i] ? 1 : 0;
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("auroc needs anomalies and normal rows, got " + positives
                    + " anomalies of " + scores.length);
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSum = 0;
        for (int start = 0; start < order.length; ) {
            int end = start;
            while (end + 1 < order.length && scores[order[end + 1]] == scores[order[start]]) {
                end++;
            }
            double midRank = (start + end) / 2.0 + 1;
            for (int i = start; i <= end; i++) {
                if (anomalous[order[i]]) {
                    rankSum += midRank;
                }
            }
            start = end + 1;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    static void requireRows(String what, Tensor x, int dimension) {
        if (x == null) {
            throw new IllegalArgumentException(what + " learns from the training rows: give them");
        }
        if (x.rank() != 2 || x.cols() != dimension) {
            throw new IllegalArgumentException(what + ": rows must be n x " + dimension + ", got "
                    + java.util.Arrays.toString(x.shape()));
        }
        if (x.rows() < 1) {
            throw new IllegalArgumentException(what + ": no rows");
        }
    }

    static double[][] rowsOf(Tensor t) {
        double[][] out = new double[t.rows()][t.cols()];
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = t.get(i, j);
            }
        }
        return out;
    }

    /**
     * The lower-triangular L with {@code L L^T = a} of a symmetric positive definite {@code a} (its lower triangle is
     * read); IllegalArgumentException naming {@code what} if it is not positive definite.
     */
    static double[][] cholesky(double[][] a, String what) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(sum > 0)) {
                        throw new IllegalArgumentException(what + " is not positive definite (pivot " + i + " is "
                                + sum + "): raise --shrinkage");
                    }
                    l[i][i] = Math.sqrt(sum);
                } else {
                    l[i][j] = sum / l[j][j];
                }
            }
        }
        return l;
    }
}
