package ae.models;

import ae.autodiff.Node;
import ae.tensor.Activation;
import java.util.List;

/**
 * The CAE+H term {@code weight * E ||J(x) - J(x + eps)||_F^2}, eps ~ N(0, sigma^2 I), averaged over
 * {@code samples} draws; combine it with {@link ContractivePenalty} for the full CAE+H objective. Needs a one-layer
 * encoder (in a stacked model, each pretrained layer is one).
 */
public record HigherOrderContractivePenalty(double weight, double sigma, int samples) implements Penalty {
    public static final PartKind<HigherOrderContractivePenalty> KIND = PartKind.of(
            HigherOrderContractivePenalty.class, "higher-order-contractive",
            "E||J(x) - J(x + eps)||_F^2, eps ~ N(0, sigma^2 I): the Jacobian's change near the data (CAE+H)",
            List.of(Setting.real("weight", 0.1, "--hessian", "weight of the higher-order term E||J(x) - J(x+eps)||^2",
                            HigherOrderContractivePenalty::weight),
                    Setting.real("sigma", 0.1, "--hessian-sigma", "standard deviation of eps in the higher-order term",
                            HigherOrderContractivePenalty::sigma),
                    Setting.integer("samples", 4, "--hessian-samples", "draws of eps per sample in the higher-order"
                            + " term", HigherOrderContractivePenalty::samples)),
            v -> new HigherOrderContractivePenalty(v.real("weight"), v.real("sigma"), v.integer("samples")));

    /**
     * Checks the settings; throws {@link IllegalArgumentException} for a negative weight, or a non-positive sigma or
     * sample count.
     */
    public HigherOrderContractivePenalty {
        Penalty.requireWeight("higher-order-contractive", weight);
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("higher-order-contractive: sigma must be finite and > 0, got " + sigma);
        }
        if (samples < 1) {
            throw new IllegalArgumentException("higher-order-contractive: needs >= 1 sample of eps, got " + samples);
        }
    }

    @Override
    public PartKind<HigherOrderContractivePenalty> kind() {
        return KIND;
    }

    @Override
    public Node term(PenaltySite site) {
        return site.builder().higherOrderContractivePenalty(site.code(), sigma, samples);
    }

    @Override
    public void check(String model, int encoderDepth, Activation codeActivation) {
        if (encoderDepth != 1) {
            throw new IllegalArgumentException("model '" + model + "': the higher-order contractive penalty needs a"
                    + " one-layer encoder, this one has " + encoderDepth + " (pretrain the layers greedily instead)");
        }
    }
}
