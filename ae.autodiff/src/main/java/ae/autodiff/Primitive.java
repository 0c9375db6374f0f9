package ae.autodiff;

import ae.tensor.Tensor;

/**
 * A caller-defined operation for {@link GraphBuilder#apply}: a forward that overwrites its output, and a backward that
 * ADDS its contribution to the gradient of every input that has one. Both run on every replay, so they should not
 * allocate.
 */
public interface Primitive {
    /** Appears in gradient-check messages. */
    String name();

    /** Writes {@code output} from {@code inputs}. */
    void forward(Tensor[] inputs, Tensor output);

    /**
     * Adds {@code d(loss)/d(inputs[i])} into {@code inputGradients[i]}, given {@code outputGradient}; an entry is null
     * where the input needs no gradient.
     */
    void backward(Tensor[] inputs, Tensor output, Tensor outputGradient, Tensor[] inputGradients);
}
