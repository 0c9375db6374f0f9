package ae.autodiff.internal;

import ae.autodiff.Activation;
import ae.autodiff.Node;
import ae.tensor.Tensor;

/** {@code y = act(x)} elementwise. */
public final class ActivationOp extends Op {
    private final Node x;
    private final Activation activation;

    public ActivationOp(Node x, Activation activation, Node output) {
        super(activation.name().toLowerCase(java.util.Locale.ROOT), output, x);
        this.x = x;
        this.activation = activation;
    }

    public Node x() {
        return x;
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public void forward() {
        Tensor y = output.value();
        y.copyFrom(x.value());
        ElementwiseKernels.biasActivation(y, null, activation);
    }

    @Override
    public void backward() {
        Tensor dx = x.gradOrNull();
        if (dx != null) {
            ElementwiseKernels.multiplyByDerivative(output.grad(), output.value(), activation, dx, true);
        }
    }
}
