package ae.models;

import ae.autodiff.Node;
import ae.tensor.Activation;
import ae.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The dense layers from the code back to the input's width: parameters {@code decoder.<i>.weight} [out, in] (absent
 * when tied) and {@code decoder.<i>.bias}. With tied weights, layer {@code i} uses the transpose of encoder layer
 * {@code L-1-i}'s weight, so its widths must mirror the encoder's. The last layer's output parameterizes the
 * model's {@link Likelihood} p(x|h); under a Bernoulli likelihood it is handed over as logits.
 *
 * <p>{@code maxColumnNorm > 0} bounds the norm of every column of every untied decoder weight (the weights leaving
 * one unit) after each training step: the guard against the contractive penalty's degenerate solution, an encoder
 * shrunk against a decoder grown to make up for it (seed 14.7). 0 leaves the columns free.
 */
public record Decoder(List<LayerSpec> layers, boolean tied, double maxColumnNorm) implements Part {
    public static final PartKind<Decoder> KIND = PartKind.of(Decoder.class, "dense",
            "dense layers from the code to the input's width, optionally tied to the encoder's weights",
            List.of(Setting.layers("layers", "the layers from the code side, the last one the reconstruction",
                            Decoder::layers),
                    Setting.bool("tied", false, null, "tie each layer's weight to the transposed weight of its mirror"
                            + " encoder layer", Decoder::tied),
                    Setting.real("max-column-norm", 0.0, "--max-decoder-norm", "after every training step, scale"
                            + " down each column of the decoder's weights (the weights leaving one unit) whose norm"
                            + " exceeds this; 0 for no bound", Decoder::maxColumnNorm)),
            v -> new Decoder(v.layers("layers"), v.bool("tied"), v.real("max-column-norm")));

    /** Checks the layers; throws {@link IllegalArgumentException} if there are none. */
    public Decoder {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a decoder needs at least one layer");
        }
        if (!(maxColumnNorm >= 0) || !Double.isFinite(maxColumnNorm)) {
            throw new IllegalArgumentException("a decoder's max-column-norm must be finite and >= 0 (0: no bound),"
                    + " got " + maxColumnNorm);
        }
    }

    /** A decoder whose columns are free (no {@link #maxColumnNorm}). */
    public Decoder(List<LayerSpec> layers, boolean tied) {
        this(layers, tied, 0);
    }

    /**
     * The mirror of encoder layers {@code encoder} for {@code inputDimension} features: the encoder's widths in
     * reverse (without the code), then the input's width; {@code hidden} between layers, {@code output} last.
     */
    public static Decoder mirroring(List<LayerSpec> encoder, int inputDimension, Activation hidden, Activation output,
                                    boolean tied) {
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = encoder.size() - 2; i >= 0; i--) {
            layers.add(LayerSpec.of(encoder.get(i).units(), hidden));
        }
        layers.add(LayerSpec.of(inputDimension, output));
        return new Decoder(layers, tied);
    }

    @Override
    public PartKind<Decoder> kind() {
        return KIND;
    }

    /** The activation of the last layer, whose output is the reconstruction. */
    public Activation outputActivation() {
        return layers.getLast().activation();
    }

    /** This decoder mirroring new encoder widths, its activations and tying kept. */
    public Decoder mirroring(List<LayerSpec> encoder, int inputDimension) {
        Activation hidden = layers.size() > 1 ? layers.getFirst().activation() : encoder.getFirst().activation();
        return mirroring(encoder, inputDimension, hidden, outputActivation(), tied).withMaxColumnNorm(maxColumnNorm);
    }

    /** This decoder with its weights tied ({@code true}: the transposes of the encoder's) or its own. */
    public Decoder withTied(boolean tie) {
        return new Decoder(layers, tie, maxColumnNorm);
    }

    /** This decoder with every column's norm bounded by {@code bound} after each training step (0: free). */
    public Decoder withMaxColumnNorm(double bound) {
        return new Decoder(layers, tied, bound);
    }

    /** This decoder with the last layer's activation replaced by {@code output}. */
    public Decoder withOutputActivation(Activation output) {
        List<LayerSpec> changed = new ArrayList<>(layers);
        changed.set(changed.size() - 1, LayerSpec.of(layers.getLast().units(), output));
        return new Decoder(changed, tied, maxColumnNorm);
    }

    /** Input width of layer {@code i}. */
    int layerInput(int i, int codeSize) {
        return i == 0 ? codeSize : layers.get(i - 1).units();
    }

    void declare(ParameterPlan plan, int codeSize) {
        for (int i = 0; i < layers.size(); i++) {
            int in = layerInput(i, codeSize);
            int out = layers.get(i).units();
            if (tied) {
                plan.skip();
            } else {
                plan.weight("decoder." + i + ".weight", out, in);
            }
            plan.bias("decoder." + i + ".bias", out, in);
        }
    }

    /**
     * Scales down every column of the untied decoder weights in {@code parameters} whose norm exceeds
     * {@link #maxColumnNorm}; nothing when there is no bound. Allocates nothing.
     */
    void constrain(ModelParameters parameters) {
        if (maxColumnNorm == 0 || tied) {
            return;
        }
        for (int i = 0; i < layers.size(); i++) {
            Tensor w = parameters.get("decoder." + i + ".weight").value();
            for (int j = 0; j < w.cols(); j++) {
                double squares = 0;
                for (int r = 0; r < w.rows(); r++) {
                    double v = w.get(r, j);
                    squares += v * v;
                }
                if (squares > maxColumnNorm * maxColumnNorm) {
                    double factor = maxColumnNorm / Math.sqrt(squares);
                    for (int r = 0; r < w.rows(); r++) {
                        w.set(r, j, w.get(r, j) * factor);
                    }
                }
            }
        }
    }

    /** Records the decoding of {@code code}; the last layer's output as the likelihood reads it. */
    Node decode(GraphContext context, Node code, Likelihood likelihood) {
        Node h = code;
        int last = layers.size() - 1;
        for (int i = 0; i <= last; i++) {
            Activation act = i == last && likelihood.readsLogits() ? Activation.IDENTITY : layers.get(i).activation();
            h = context.dense(h, "decoder." + i, tied ? "encoder." + (layers.size() - 1 - i) + ".weight" : null, act);
        }
        return h;
    }

    /** Records decoder layer {@code i} alone (greedy pretraining pairs it with its mirror encoder layer). */
    Node decodeLayer(GraphContext context, Node x, int i, Activation activation) {
        return context.dense(x, "decoder." + i, tied ? "encoder." + (layers.size() - 1 - i) + ".weight" : null,
                activation);
    }
}
