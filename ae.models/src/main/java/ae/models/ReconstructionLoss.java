package ae.models;

/**
 * How a reconstruction is compared with its target, per sample summed over features, averaged over the batch.
 */
public enum ReconstructionLoss {
    /**
     * Binary cross-entropy for data in [0, 1] against a sigmoid reconstruction, computed from the logits as
     * {@code max(z,0) - z t + log1p(exp(-|z|))} so that saturated outputs give finite losses and gradients.
     */
    BINARY_CROSS_ENTROPY,
    /** Squared error {@code sum_j (r_j - x_j)^2}. */
    SQUARED_ERROR
}
