package ae.models;

import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.List;

/**
 * The norm of a denoising autoencoder's estimate of the score, {@code ||r(x) - x|| / sigma^2} (seed 14.5.1): how
 * hard the learned vector field pulls a row back toward the data. Needs a model trained with Gaussian corruption of
 * standard deviation sigma.
 */
public record ScoreFieldScorer() implements AnomalyScorer {
    public static final PartKind<ScoreFieldScorer> KIND = PartKind.of(ScoreFieldScorer.class, "score-field",
            "the norm of a denoising model's score estimate, ||r(x) - x|| / sigma^2 (needs Gaussian corruption)",
            List.of(), v -> new ScoreFieldScorer());

    @Override
    public PartKind<ScoreFieldScorer> kind() {
        return KIND;
    }

    @Override
    public boolean learnsFromTrainingRows() {
        return false;
    }

    @Override
    public void check(ModelConfig model) {
        if (!(model.corruption() instanceof GaussianNoise noise) || noise.stddev() == 0) {
            throw new IllegalArgumentException("scorer score-field needs a denoising model trained with Gaussian"
                    + " corruption (e.g. --model denoising-gaussian); model '" + model.name() + "' has "
                    + model.corruption().describe() + " corruption");
        }
    }

    @Override
    public Fitted fit(FittedAutoencoder model, Tensor train) {
        check(model.config());
        double variance = Math.pow(((GaussianNoise) model.config().corruption()).stddev(), 2);
        return x -> {
            AnomalyScorers.requireRows("scorer score-field", x, model.config().inputDimension());
            double[] scores = new double[x.rows()];
            try (TensorScope scope = TensorScope.open("reconstructions")) {
                Tensor r = model.reconstruct(x, scope);
                for (int i = 0; i < scores.length; i++) {
                    double sum = 0;
                    for (int j = 0; j < x.cols(); j++) {
                        double v = r.get(i, j) - x.get(i, j);
                        sum += v * v;
                    }
                    scores[i] = Math.sqrt(sum) / variance;
                }
            }
            return scores;
        };
    }
}
