package ae.autodiff;

import ae.tensor.DType;
import ae.tensor.Tensor;
import java.util.Objects;

/**
 * A learnable tensor and its gradient, owned by a {@link ParameterStore} rather than by any graph, so that one model
 * can build graphs of several batch sizes over the same parameters.
 */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private final GradientBuffer gradient;

    Parameter(String name, Tensor value, Tensor grad) {
        this.name = Objects.requireNonNull(name, "name");
        this.value = value;
        this.gradient = new GradientBuffer(grad);
    }

    /** The parameter's unique name within its store, e.g. {@code encoder.0.weight}. */
    public String name() {
        return name;
    }

    /** The current value; optimizers update it in place. */
    public Tensor value() {
        return value;
    }

    /**
     * The gradient written by the last {@link Graph#backward} of a graph that uses this parameter.
     *
     * @throws IllegalStateException during a backward pass that has not yet written it
     */
    public Tensor grad() {
        Tensor written = gradient.tensorIfWritten();
        if (written == null) {
            throw GradientBuffer.readWhilePending("parameter '" + name + "'");
        }
        return written;
    }

    /** The buffer the nodes of this parameter in every graph share. */
    GradientBuffer gradientBuffer() {
        return gradient;
    }

    void markGradientPending() {
        gradient.markPending();
    }

    /** Zeroes the gradient if it is pending (at the end of a backward pass that did not reach it). */
    void resolvePendingGradient() {
        gradient.resolvePending();
    }

    /** The element type of the value and the gradient. */
    public DType dtype() {
        return value.dtype();
    }

    /** The shape of the value (and of the gradient); a copy. */
    public int[] shape() {
        return value.shape();
    }

    /** The number of elements of the value. */
    public long size() {
        return value.size();
    }

    /** Sets the gradient to zero, before a backward pass that accumulates into it. */
    public void zeroGrad() {
        gradient.clear();
    }

    @Override
    public String toString() {
        return "Parameter[" + name + " " + ae.tensor.Shapes.format(value.shape()) + " " + value.dtype() + "]";
    }
}
