package ae.models;

import ae.autodiff.Node;
import ae.tensor.Activation;
import java.util.List;

/**
 * {@code weight * sum_j KL(rho || mean over the batch of h_j)}: pushes each code unit's mean activation toward
 * {@code rho}. The code must be sigmoid, so that activations are in (0, 1).
 */
public record KlSparsityPenalty(double weight, double rho) implements Penalty {
    public static final PartKind<KlSparsityPenalty> KIND = PartKind.of(KlSparsityPenalty.class, "kl-sparsity",
            "sum_j KL(rho || mean activation of code unit j): sparse sigmoid codes",
            List.of(Setting.real("weight", 3.0, "--kl", "weight of the KL sparsity penalty (needs a sigmoid code)",
                            KlSparsityPenalty::weight),
                    Setting.real("rho", 0.05, "--rho", "target mean activation of each code unit for KL sparsity",
                            KlSparsityPenalty::rho)),
            v -> new KlSparsityPenalty(v.real("weight"), v.real("rho")));

    /**
     * Checks the settings; throws {@link IllegalArgumentException} for a negative weight or a target {@code rho}
     * outside (0, 1).
     */
    public KlSparsityPenalty {
        Penalty.requireWeight("kl-sparsity", weight);
        if (!(rho > 0 && rho < 1)) {
            throw new IllegalArgumentException("kl-sparsity: the target rho must be in (0, 1), got " + rho);
        }
    }

    @Override
    public PartKind<KlSparsityPenalty> kind() {
        return KIND;
    }

    @Override
    public Node term(PenaltySite site) {
        return site.builder().klSparsity(site.code(), rho);
    }

    @Override
    public void check(String model, int encoderDepth, Activation codeActivation) {
        if (codeActivation != Activation.SIGMOID) {
            throw new IllegalArgumentException("model '" + model + "': KL sparsity needs a sigmoid code, the code is "
                    + ActivationNames.name(codeActivation));
        }
    }
}
