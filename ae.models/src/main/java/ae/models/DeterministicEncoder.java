package ae.models;

import ae.autodiff.Node;
import ae.tensor.Activation;
import java.util.List;

/** {@code h = f(x)}: a stack of dense layers, parameters {@code encoder.<i>.weight} [out, in] and {@code .bias}. */
public record DeterministicEncoder(List<LayerSpec> layers) implements Encoder {
    public static final PartKind<DeterministicEncoder> KIND = PartKind.of(DeterministicEncoder.class, "deterministic",
            "a deterministic encoder h = f(x), dense layers",
            List.of(Setting.layers("layers", "the layers from the input side, the last one the code",
                    DeterministicEncoder::layers)),
            v -> new DeterministicEncoder(v.layers("layers")));

    /** Checks the layers; throws {@link IllegalArgumentException} if there are none. */
    public DeterministicEncoder {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a deterministic encoder needs at least one layer");
        }
    }

    @Override
    public PartKind<DeterministicEncoder> kind() {
        return KIND;
    }

    @Override
    public int codeSize() {
        return layers.getLast().units();
    }

    @Override
    public Activation codeActivation() {
        return layers.getLast().activation();
    }

    @Override
    public int depth() {
        return layers.size();
    }

    @Override
    public boolean stochastic() {
        return false;
    }

    @Override
    public DeterministicEncoder withWidths(int[] widths) {
        return new DeterministicEncoder(Encoder.resized(layers, widths, "deterministic encoder"));
    }

    /** Input width of layer {@code i}. */
    int layerInput(int i, int inputDimension) {
        return i == 0 ? inputDimension : layers.get(i - 1).units();
    }

    @Override
    public void declare(ParameterPlan plan, int inputDimension) {
        for (int i = 0; i < layers.size(); i++) {
            int in = layerInput(i, inputDimension);
            int out = layers.get(i).units();
            plan.weight("encoder." + i + ".weight", out, in);
            plan.bias("encoder." + i + ".bias", out, in);
        }
    }

    @Override
    public Code encode(GraphContext context, Node x) {
        Node h = x;
        for (int i = 0; i < layers.size(); i++) {
            h = context.dense(h, "encoder." + i, null, layers.get(i).activation());
        }
        return Code.deterministic(h);
    }
}
