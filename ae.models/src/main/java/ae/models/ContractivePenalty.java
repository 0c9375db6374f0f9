package ae.models;

import ae.autodiff.GraphBuilder;
import ae.autodiff.Node;
import java.util.List;

/**
 * {@code weight * ||dh/dx||_F^2}, h the code. A one-layer encoder gets the closed form (no extra GEMM); a deeper
 * one gets the exact norm by forward-mode products when {@code probes == 0} (memory grows as batch x input x width)
 * or an unbiased Hutchinson estimate with {@code probes} Rademacher vectors per sample.
 */
public record ContractivePenalty(double weight, int probes) implements Penalty {
    public static final PartKind<ContractivePenalty> KIND = PartKind.of(ContractivePenalty.class, "contractive",
            "the squared Frobenius norm of the encoder's Jacobian, ||dh/dx||_F^2",
            List.of(Setting.real("weight", 0.1, "--contractive", "weight of the contractive penalty ||dh/dx||_F^2",
                            ContractivePenalty::weight),
                    Setting.integer("probes", 0, "--contractive-probes", "for encoders deeper than one layer: 0 for"
                            + " the exact norm, else the Rademacher probes per sample of an unbiased estimate",
                            ContractivePenalty::probes)),
            v -> new ContractivePenalty(v.real("weight"), v.integer("probes")));

    /**
     * Checks the settings; throws {@link IllegalArgumentException} for a negative or non-finite weight or negative
     * probes.
     */
    public ContractivePenalty {
        Penalty.requireWeight("contractive", weight);
        if (probes < 0) {
            throw new IllegalArgumentException("contractive: probes must be >= 0 (0: exact), got " + probes);
        }
    }

    /** The exact penalty. */
    public ContractivePenalty(double weight) {
        this(weight, 0);
    }

    @Override
    public PartKind<ContractivePenalty> kind() {
        return KIND;
    }

    @Override
    public Node term(PenaltySite site) {
        GraphBuilder b = site.builder();
        if (site.encoderDepth() == 1) {
            return b.contractivePenalty(site.code());
        }
        return probes == 0 ? b.jacobianNormSquared(site.encoderInput(), site.code())
                : b.jacobianNormSquaredEstimate(site.encoderInput(), site.code(), probes);
    }
}
