package ae.models;

import ae.autodiff.Node;
import ae.autodiff.Primitive;
import ae.tensor.Activation;
import ae.tensor.Tensor;
import java.util.List;

/**
 * The parametric encoder of predictive sparse decomposition (Kavukcuoglu, Ranzato and LeCun): {@code f(x) = G tanh(W x
 * + b)} with G a learned diagonal gain, one dense layer. Parameters {@code encoder.0.weight} [code, in],
 * {@code encoder.0.bias} and {@code encoder.gain} [code], which starts at 1. The gain lets the bounded activation
 * predict codes of any size.
 */
public record PredictiveEncoder(List<LayerSpec> layers) implements Encoder {
    public static final PartKind<PredictiveEncoder> KIND = PartKind.of(PredictiveEncoder.class, "predictive",
            "the encoder of predictive sparse decomposition, f(x) = G act(W x + b) with a learned diagonal gain G",
            List.of(Setting.layers("layers", "the one layer, the code", PredictiveEncoder::layers)),
            v -> new PredictiveEncoder(v.layers("layers")));

    /** Checks the layers; throws {@link IllegalArgumentException} unless there is exactly one. */
    public PredictiveEncoder {
        layers = List.copyOf(layers);
        if (layers.size() != 1) {
            throw new IllegalArgumentException("a predictive encoder has exactly one layer, got " + layers.size());
        }
    }

    /** {@code f(x) = G tanh(W x + b)} with {@code code} values. */
    public static PredictiveEncoder tanh(int code) {
        return new PredictiveEncoder(List.of(LayerSpec.of(code, Activation.TANH)));
    }

    @Override
    public PartKind<PredictiveEncoder> kind() {
        return KIND;
    }

    @Override
    public int codeSize() {
        return layers.getFirst().units();
    }

    /** The gain makes the code unbounded whatever the layer's activation. */
    @Override
    public Activation codeActivation() {
        return Activation.IDENTITY;
    }

    @Override
    public int depth() {
        return 1;
    }

    @Override
    public boolean stochastic() {
        return false;
    }

    @Override
    public PredictiveEncoder withWidths(int[] widths) {
        if (widths.length != 1) {
            throw new IllegalArgumentException("a predictive encoder has one layer, so one width, got "
                    + widths.length);
        }
        return new PredictiveEncoder(Encoder.resized(layers, widths, "predictive encoder"));
    }

    @Override
    public void declare(ParameterPlan plan, int inputDimension) {
        int code = codeSize();
        plan.weight("encoder.0.weight", code, inputDimension);
        plan.bias("encoder.0.bias", code, inputDimension);
        plan.constant("encoder.gain", 1, code);
    }

    @Override
    public Code encode(GraphContext context, Node x) {
        Node h = context.dense(x, "encoder.0", null, layers.getFirst().activation());
        Node gain = context.node("encoder.gain");
        return Code.deterministic(context.builder().apply(ColumnGain.INSTANCE, h.rows(), h.cols(), h, gain));
    }

    /** {@code out[i][j] = h[i][j] g[j]}: a diagonal matrix on the right of the batch. */
    static final class ColumnGain implements Primitive {
        static final ColumnGain INSTANCE = new ColumnGain();

        @Override
        public String name() {
            return "columnGain";
        }

        @Override
        public void forward(Tensor[] inputs, Tensor output) {
            Tensor h = inputs[0];
            Tensor g = inputs[1];
            int rows = h.rows();
            int cols = h.cols();
            for (int j = 0; j < cols; j++) {
                double gain = g.getFlat(j);
                for (int i = 0; i < rows; i++) {
                    output.set(i, j, h.get(i, j) * gain);
                }
            }
        }

        @Override
        public void backward(Tensor[] inputs, Tensor output, Tensor outputGradient, Tensor[] inputGradients) {
            Tensor h = inputs[0];
            Tensor g = inputs[1];
            int rows = h.rows();
            int cols = h.cols();
            for (int j = 0; j < cols; j++) {
                double gain = g.getFlat(j);
                double gainGradient = 0;
                for (int i = 0; i < rows; i++) {
                    double d = outputGradient.get(i, j);
                    gainGradient += d * h.get(i, j);
                    if (inputGradients[0] != null) {
                        inputGradients[0].set(i, j, inputGradients[0].get(i, j) + d * gain);
                    }
                }
                if (inputGradients[1] != null) {
                    inputGradients[1].setFlat(j, inputGradients[1].getFlat(j) + gainGradient);
                }
            }
        }
    }
}
