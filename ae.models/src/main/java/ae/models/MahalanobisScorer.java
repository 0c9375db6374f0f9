package ae.models;

import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.List;

/**
 * The squared Mahalanobis distance of a row's code (the mean of p(h|x)) to the Gaussian fitted to the training rows'
 * codes: {@code (h - m)^T S^-1 (h - m)}, where S is the codes' covariance shrunk toward a multiple of the identity,
 * {@code (1 - shrinkage) S + shrinkage tr(S)/k I}, so that a code dimension the training rows never move in does not
 * make S singular.
 */
public record MahalanobisScorer(double shrinkage) implements AnomalyScorer {
    public static final PartKind<MahalanobisScorer> KIND = PartKind.of(MahalanobisScorer.class, "mahalanobis",
            "the squared Mahalanobis distance of the code to the training codes' Gaussian",
            List.of(Setting.real("shrinkage", 1e-3, "--shrinkage", "how far the mahalanobis scorer shrinks the codes'"
                    + " covariance toward a multiple of the identity, in [0, 1]", MahalanobisScorer::shrinkage)),
            v -> new MahalanobisScorer(v.real("shrinkage")));

    /** Checks the setting; throws {@link IllegalArgumentException} for a shrinkage outside [0, 1]. */
    public MahalanobisScorer {
        if (!(shrinkage >= 0 && shrinkage <= 1)) {
            throw new IllegalArgumentException("mahalanobis: shrinkage must be in [0, 1], got " + shrinkage);
        }
    }

    @Override
    public PartKind<MahalanobisScorer> kind() {
        return KIND;
    }

    @Override
    public boolean learnsFromTrainingRows() {
        return true;
    }

    @Override
    public Fitted fit(FittedAutoencoder model, Tensor train) {
        AnomalyScorers.requireRows("scorer mahalanobis", train, model.config().inputDimension());
        int k = model.config().codeSize();
        double[] mean = new double[k];
        double[][] covariance = new double[k][k];
        try (TensorScope scope = TensorScope.open("training codes")) {
            double[][] codes = AnomalyScorers.rowsOf(model.encode(train, scope));
            for (double[] h : codes) {
                for (int a = 0; a < k; a++) {
                    mean[a] += h[a] / codes.length;
                }
            }
            for (double[] h : codes) {
                for (int a = 0; a < k; a++) {
                    double da = h[a] - mean[a];
                    for (int b = 0; b <= a; b++) {
                        covariance[a][b] += da * (h[b] - mean[b]) / codes.length;
                    }
                }
            }
        }
        double trace = 0;
        for (int a = 0; a < k; a++) {
            trace += covariance[a][a];
        }
        double ridge = shrinkage * trace / k;
        for (int a = 0; a < k; a++) {
            for (int b = 0; b <= a; b++) {
                covariance[a][b] *= 1 - shrinkage;
            }
            covariance[a][a] += ridge;
        }
        double[][] cholesky = AnomalyScorers.cholesky(covariance, "scorer mahalanobis: the training codes' covariance");
        return x -> {
            try (TensorScope scope = TensorScope.open("codes")) {
                double[][] codes = AnomalyScorers.rowsOf(model.encode(x, scope));
                double[] scores = new double[codes.length];
                double[] z = new double[k];
                for (int i = 0; i < codes.length; i++) {
                    // Solve L z = h - m; the squared distance is |z|^2.
                    double sum = 0;
                    for (int a = 0; a < k; a++) {
                        double v = codes[i][a] - mean[a];
                        for (int b = 0; b < a; b++) {
                            v -= cholesky[a][b] * z[b];
                        }
                        z[a] = v / cholesky[a][a];
                        sum += z[a] * z[a];
                    }
                    scores[i] = sum;
                }
                return scores;
            }
        };
    }
}
