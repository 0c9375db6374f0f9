package ae.autodiff.internal;

import ae.tensor.Activation;
import ae.autodiff.Node;
import ae.tensor.TensorOps;

/** {@code y = act(x)} elementwise. */
public final class ActivationOp extends Op {
    private final Node x;
    private final Activation activation;
    private final TensorOps ops;

    public ActivationOp(Workspace ws, Node x, Activation activation, Node output) {
        super(activation.name().toLowerCase(java.util.Locale.ROOT), output, x);
        this.ops = ws.ops();
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
        ops.activation(activation, x.value(), output.value());
    }

    @Override
    public void backward() {
        if (x.requiresGrad()) {
            boolean overwrite = x.claimGradient();
            ops.activationBackward(activation, output.value(), x.value(), output.grad(), x.gradOrNull(), !overwrite);
        }
    }
}
