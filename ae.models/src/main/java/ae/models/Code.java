package ae.models;

import ae.autodiff.Node;

/**
 * What an encoder gives for a batch: the code the decoder reads, the code's mean, and the loss term the encoder
 * brings.
 *
 * @param sample the code the decoder reads: a draw of p(h|x) when the graph samples, else the mean
 * @param mean the deterministic code {@code f(x)}, or the mean of p(h|x)
 * @param logVariance the log-variance of a Gaussian p(h|x) with learned variance, else null
 * @param lossTerm the weighted term the encoder adds to the objective (a Gaussian encoder's KL to its prior), or null
 */
public record Code(Node sample, Node mean, Node logVariance, Node lossTerm) {
    /** A deterministic code: the sample is the mean, no loss term. */
    public static Code deterministic(Node h) {
        return new Code(h, h, null, null);
    }
}
