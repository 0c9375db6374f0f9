package ae.autodiff;

import ae.tensor.TensorOps;

/** {@code y = c * x} for a constant c: how loss terms are weighted. */
final class ScaleOp extends Op {
    private final TensorOps ops;
    private final Node x;
    private final double factor;

    public ScaleOp(Workspace ws, Node x, double factor, Node output) {
        super("scale[" + factor + "]", output, x);
        this.ops = ws.ops();
        this.x = x;
        this.factor = factor;
    }

    @Override
    public void forward() {
        ops.scale(factor, x.value(), output.value());
    }

    @Override
    public void backward() {
        if (x.resolvePendingGradient() != null) {
            ops.axpy(factor, output.resolvePendingGradient(), x.resolvePendingGradient());
        }
    }
}
