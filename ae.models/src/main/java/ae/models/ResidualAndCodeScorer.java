package ae.models;

import ae.tensor.Tensor;
import java.util.List;

/**
 * Distance from the model's manifold plus distance along it: the {@link ReconstructionErrorScorer normalized squared
 * reconstruction error} (off the manifold) and, weighted, the {@link MahalanobisScorer Mahalanobis distance} of the
 * code (on it), each divided by its mean over the training rows so that neither dominates by its units. For PCA this
 * is, up to the weights, the negative log-likelihood of probabilistic PCA; for an autoencoder it is the same idea on
 * a curved manifold.
 */
public record ResidualAndCodeScorer(double codeWeight, double shrinkage) implements AnomalyScorer {
    public static final PartKind<ResidualAndCodeScorer> KIND = PartKind.of(ResidualAndCodeScorer.class,
            "residual-and-code", "the normalized squared reconstruction error plus, weighted, the Mahalanobis"
                    + " distance of the code, each relative to its mean over the training rows",
            List.of(Setting.real("code-weight", 0.5, "--code-weight", "the weight of the code's Mahalanobis distance"
                            + " in the residual-and-code scorer", ResidualAndCodeScorer::codeWeight),
                    Setting.real("shrinkage", 1e-3, "--shrinkage", "how far the mahalanobis scorer shrinks the codes'"
                            + " covariance toward a multiple of the identity, in [0, 1]",
                            ResidualAndCodeScorer::shrinkage)),
            v -> new ResidualAndCodeScorer(v.real("code-weight"), v.real("shrinkage")));

    /**
     * Checks the settings; throws {@link IllegalArgumentException} for a negative code weight or a shrinkage outside
     * [0, 1].
     */
    public ResidualAndCodeScorer {
        Penalty.requireWeight("residual-and-code code-weight", codeWeight);
        new MahalanobisScorer(shrinkage);
    }

    @Override
    public PartKind<ResidualAndCodeScorer> kind() {
        return KIND;
    }

    @Override
    public boolean learnsFromTrainingRows() {
        return true;
    }

    @Override
    public Fitted fit(FittedAutoencoder model, Tensor train) {
        AnomalyScorers.requireRows("scorer residual-and-code", train, model.config().inputDimension());
        Fitted residual = new ReconstructionErrorScorer(false, true).fit(model, train);
        Fitted code = new MahalanobisScorer(shrinkage).fit(model, train);
        double residualScale = mean(residual.score(train));
        double codeScale = mean(code.score(train));
        return x -> {
            double[] r = residual.score(x);
            double[] c = code.score(x);
            double[] out = new double[r.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = r[i] / residualScale + codeWeight * c[i] / codeScale;
            }
            return out;
        };
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return Math.max(sum / values.length, Double.MIN_NORMAL);
    }
}
