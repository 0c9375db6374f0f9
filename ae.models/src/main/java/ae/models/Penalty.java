package ae.models;

/**
 * A regularizer added to the reconstruction loss, weighted; penalties compose by being listed together in a
 * {@link ModelConfig}. Each is averaged over the batch like the loss, so weights mean the same at any batch size.
 */
public sealed interface Penalty {
    /** The factor the penalty is multiplied by before it is added to the loss. */
    double weight();

    /** {@code weight * sum_j |h_j|} on the code h: sparse codes by an L1 prior. */
    record L1Code(double weight) implements Penalty {
        public L1Code {
            requireWeight(weight);
        }
    }

    /**
     * {@code weight * sum_j KL(rho || mean over the batch of h_j)}: pushes each code unit's mean activation toward
     * {@code rho}. The code must be sigmoid, so that activations are in (0, 1).
     */
    record KlSparsity(double weight, double rho) implements Penalty {
        public KlSparsity {
            requireWeight(weight);
            if (!(rho > 0 && rho < 1)) {
                throw new IllegalArgumentException("KL sparsity target rho must be in (0, 1), got " + rho);
            }
        }
    }

    /**
     * {@code weight * ||dh/dx||_F^2}, h the code. A one-layer encoder gets the closed form (no extra GEMM); a deeper
     * one gets the exact norm by forward-mode products when {@code probes == 0} (memory grows as batch x input x
     * width) or an unbiased Hutchinson estimate with {@code probes} Rademacher vectors per sample.
     */
    record Contractive(double weight, int probes) implements Penalty {
        public Contractive {
            requireWeight(weight);
            if (probes < 0) {
                throw new IllegalArgumentException("contractive probes must be >= 0 (0: exact), got " + probes);
            }
        }

        public Contractive(double weight) {
            this(weight, 0);
        }
    }

    /**
     * The CAE+H term {@code weight * E ||J(x) - J(x + eps)||_F^2}, eps ~ N(0, sigma^2 I), averaged over
     * {@code corruptions} draws; combine it with {@link Contractive} for the full CAE+H objective. Needs a one-layer
     * encoder (in a stacked model, each pretrained layer is one).
     */
    record HigherOrderContractive(double weight, double sigma, int corruptions) implements Penalty {
        public HigherOrderContractive {
            requireWeight(weight);
            if (!(sigma > 0) || !Double.isFinite(sigma)) {
                throw new IllegalArgumentException("higher-order contractive sigma must be finite and > 0, got " + sigma);
            }
            if (corruptions < 1) {
                throw new IllegalArgumentException("higher-order contractive needs >= 1 corruption, got " + corruptions);
            }
        }
    }

    /** {@code weight * sum of squared weights} over every layer's weight matrix (biases are not decayed). */
    record WeightDecay(double weight) implements Penalty {
        public WeightDecay {
            requireWeight(weight);
        }
    }

    private static void requireWeight(double weight) {
        if (!(weight >= 0) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException("a penalty weight must be finite and >= 0, got " + weight);
        }
    }
}
