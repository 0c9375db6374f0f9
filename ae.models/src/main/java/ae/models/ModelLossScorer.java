package ae.models;

import ae.tensor.Tensor;
import java.util.List;

/**
 * The model's own per-row loss, {@link FittedAutoencoder#scoreSamples}: its likelihood's reconstruction loss of the
 * mean code (for a Gaussian decoder with learned variances, a squared error normalized per feature by what training
 * learned), or for a model with a prior the negative reconstruction log-probability.
 */
public record ModelLossScorer() implements AnomalyScorer {
    public static final PartKind<ModelLossScorer> KIND = PartKind.of(ModelLossScorer.class, "model-loss",
            "the model's own reconstruction loss per row (what FittedAutoencoder.scoreSamples gives)",
            List.of(), v -> new ModelLossScorer());

    @Override
    public PartKind<ModelLossScorer> kind() {
        return KIND;
    }

    @Override
    public boolean learnsFromTrainingRows() {
        return false;
    }

    @Override
    public Fitted fit(FittedAutoencoder model, Tensor train) {
        return model::scoreSamples;
    }
}
