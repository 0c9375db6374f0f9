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
    private final Tensor grad;
    /** The gradient holds stale values that stand for zeros: see {@link Node#claimGradient()}. */
    private boolean gradPending;

    Parameter(String name, Tensor value, Tensor grad) {
        this.name = Objects.requireNonNull(name, "name");
        this.value = value;
        this.grad = grad;
    }

    public String name() {
        return name;
    }

    /** The current value; optimizers update it in place. */
    public Tensor value() {
        return value;
    }

    /** The gradient written by the last {@link Graph#backward} of a graph that uses this parameter. */
    public Tensor grad() {
        return gradOrNull();
    }

    Tensor gradOrNull() {
        if (gradPending) {
            gradPending = false;
            ae.autodiff.internal.Elements.zero(grad);
        }
        return grad;
    }

    boolean claimGradient() {
        boolean unwritten = gradPending;
        gradPending = false;
        return unwritten;
    }

    void markGradientPending() {
        if (grad != null) {
            gradPending = true;
        }
    }

    public DType dtype() {
        return value.dtype();
    }

    public int[] shape() {
        return value.shape();
    }

    public long size() {
        return value.size();
    }

    public void zeroGrad() {
        gradPending = false;
        ae.autodiff.internal.Elements.zero(grad);
    }

    @Override
    public String toString() {
        return "Parameter[" + name + " " + ae.tensor.Shapes.format(value.shape()) + " " + value.dtype() + "]";
    }
}
