package ae.autodiff;

import ae.tensor.Activation;
import ae.tensor.TensorOps;

/** {@code y = act(x)} elementwise. */
final class ActivationOp extends Op {
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
        GradientClaim dx = x.claimGradient();
        if (dx != null) {
            ops.activationBackward(activation, output.value(), x.value(), output.resolvePendingGradient(), dx.tensor(),
                    dx.accumulate());
        }
    }
}
