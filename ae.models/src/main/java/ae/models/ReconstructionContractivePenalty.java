package ae.models;

import ae.autodiff.GraphBuilder;
import ae.autodiff.Node;
import ae.tensor.Activation;
import java.util.List;

/**
 * {@code weight * ||dr/dx||_F^2}, r = g(f(x)) the reconstruction (its mean: the sigmoid of the logits under a
 * Bernoulli likelihood): the contractive penalty put where it counts, on the whole autoencoder, the small-noise limit
 * of the denoising criterion (Alain and Bengio; seed 14.5.1, 14.7). Unlike the penalty on the code it cannot be dodged
 * by shrinking the encoder and growing the decoder. Exact by forward-mode products through encoder and decoder when
 * {@code probes == 0} (memory grows as batch x input x width), else an unbiased Hutchinson estimate.
 */
public record ReconstructionContractivePenalty(double weight, int probes) implements Penalty {
    public static final PartKind<ReconstructionContractivePenalty> KIND = PartKind.of(
            ReconstructionContractivePenalty.class, "reconstruction-contractive",
            "the squared Frobenius norm of the reconstruction's Jacobian, ||dr/dx||_F^2 with r = g(f(x))",
            List.of(Setting.real("weight", 0.1, "--reconstruction-contractive",
                            "weight of the reconstruction contractive penalty ||dr/dx||_F^2",
                            ReconstructionContractivePenalty::weight),
                    Setting.integer("probes", 0, null, "0 for the exact norm, else the Rademacher probes per sample"
                            + " of an unbiased estimate", ReconstructionContractivePenalty::probes)),
            v -> new ReconstructionContractivePenalty(v.real("weight"), v.integer("probes")));

    /** Checks the settings; throws {@link IllegalArgumentException} for a negative weight or negative probes. */
    public ReconstructionContractivePenalty {
        Penalty.requireWeight("reconstruction-contractive", weight);
        if (probes < 0) {
            throw new IllegalArgumentException("reconstruction-contractive: probes must be >= 0 (0: exact), got "
                    + probes);
        }
    }

    /** The exact penalty. */
    public ReconstructionContractivePenalty(double weight) {
        this(weight, 0);
    }

    @Override
    public PartKind<ReconstructionContractivePenalty> kind() {
        return KIND;
    }

    @Override
    public Node term(PenaltySite site) {
        GraphBuilder b = site.builder();
        Node r = site.reconstructionIsLogits() ? b.activation(site.reconstruction(), Activation.SIGMOID)
                : site.reconstruction();
        return probes == 0 ? b.jacobianNormSquared(site.encoderInput(), r)
                : b.jacobianNormSquaredEstimate(site.encoderInput(), r, probes);
    }
}
