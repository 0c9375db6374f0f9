package ae.models;

import ae.autodiff.Node;
import ae.tensor.Activation;
import java.util.List;

/**
 * The map from x to a {@link Code}: deterministic, {@code h = f(x)}, or stochastic, a distribution p(h|x) that can be
 * sampled. An encoder declares its own parameters ({@code encoder.*}) and records its part of every graph.
 */
public interface Encoder extends Part {
    /** The code's width. */
    int codeSize();

    /** The activation of the code's mean (identity for a Gaussian encoder's mean head). */
    Activation codeActivation();

    /** Dense layers from the input to the code's mean. */
    int depth();

    /**
     * The layers from the input side, the last one the code's (for a Gaussian encoder, its mean head): what the
     * decoder mirrors and {@code --hidden} resizes.
     */
    List<LayerSpec> layers();

    /** True if p(h|x) has noise: the code can be sampled. */
    boolean stochastic();

    /**
     * True if the encoder is the posterior of a latent-variable model with a prior p(h) (a VAE's), so that the
     * evidence lower bound and importance-weighted likelihoods are defined.
     */
    default boolean hasPrior() {
        return false;
    }

    /** This encoder with new layer widths from the input side, the last the code's, activations kept. */
    Encoder withWidths(int[] widths);

    /** Declares {@code encoder.*} parameters for {@code inputDimension} features. */
    void declare(ParameterPlan plan, int inputDimension);

    /** Records the encoding of {@code x}. */
    Code encode(GraphContext context, Node x);

    /** Layers with new widths, the activations kept (the last activation for every added layer). */
    static List<LayerSpec> resized(List<LayerSpec> layers, int[] widths, String what) {
        if (widths.length == 0) {
            throw new IllegalArgumentException(what + ": at least one width (the code's) is needed");
        }
        LayerSpec[] out = new LayerSpec[widths.length];
        for (int i = 0; i < widths.length; i++) {
            boolean code = i == widths.length - 1;
            LayerSpec like = code ? layers.getLast() : layers.get(Math.min(i, Math.max(0, layers.size() - 2)));
            out[i] = LayerSpec.of(widths[i], like.activation());
        }
        return List.of(out);
    }
}
