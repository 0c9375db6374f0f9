package ae.models;

import ae.autodiff.Node;
import ae.tensor.Activation;
import java.util.ArrayList;
import java.util.List;

/**
 * The dense layers from the code back to the input's width: parameters {@code decoder.<i>.weight} [out, in] (absent
 * when tied) and {@code decoder.<i>.bias}. With tied weights, layer {@code i} uses the transpose of encoder layer
 * {@code L-1-i}'s weight, so its widths must mirror the encoder's. The last layer's output parameterizes the
 * model's {@link Likelihood} p(x|h); under a Bernoulli likelihood it is handed over as logits.
 */
public record Decoder(List<LayerSpec> layers, boolean tied) implements Part {
    public static final PartKind<Decoder> KIND = PartKind.of(Decoder.class, "dense",
            "dense layers from the code to the input's width, optionally tied to the encoder's weights",
            List.of(Setting.layers("layers", "the layers from the code side, the last one the reconstruction",
                            Decoder::layers),
                    Setting.bool("tied", false, null, "tie each layer's weight to the transposed weight of its mirror"
                            + " encoder layer", Decoder::tied)),
            v -> new Decoder(v.layers("layers"), v.bool("tied")));

    /** Checks the layers; throws {@link IllegalArgumentException} if there are none. */
    public Decoder {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a decoder needs at least one layer");
        }
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
        return mirroring(encoder, inputDimension, hidden, outputActivation(), tied);
    }

    /** This decoder with its weights tied ({@code true}: the transposes of the encoder's) or its own. */
    public Decoder withTied(boolean tie) {
        return new Decoder(layers, tie);
    }

    /** This decoder with the last layer's activation replaced by {@code output}. */
    public Decoder withOutputActivation(Activation output) {
        List<LayerSpec> changed = new ArrayList<>(layers);
        changed.set(changed.size() - 1, LayerSpec.of(layers.getLast().units(), output));
        return new Decoder(changed, tied);
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
