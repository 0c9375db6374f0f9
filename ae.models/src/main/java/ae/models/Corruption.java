package ae.models;

import ae.autodiff.GraphBuilder;
import ae.autodiff.Node;

/**
 * A corruption process {@code C(x~ | x)} for denoising: the encoder sees x~, the loss compares the reconstruction
 * with the clean x. Noise is redrawn every training step from the training seed and the step number, so a resumed
 * run draws the same noise as an uninterrupted one. Evaluation never corrupts.
 */
public interface Corruption extends Part {
    /** The corrupted {@code x}, recorded into {@code builder}; {@code x} itself when nothing is corrupted. */
    Node apply(GraphBuilder builder, Node x);

    /** No corruption. */
    static Corruption none() {
        return NoCorruption.INSTANCE;
    }

    /** Throws {@link IllegalArgumentException}, naming {@code kind}, unless {@code p} is a probability in [0, 1]. */
    static void requireProbability(String kind, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(kind + ": a corruption probability must be in [0, 1], got " + p);
        }
    }
}
