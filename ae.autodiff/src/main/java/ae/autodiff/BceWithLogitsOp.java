package ae.autodiff;

import ae.tensor.Tensor;
import ae.tensor.TensorOps;

/**
 * Binary cross-entropy of {@code sigmoid(z)} against targets t in [0, 1], summed over columns and averaged over rows,
 * in the stable form {@code max(z, 0) - z t + log1p(exp(-|z|))}. The forward computes the loss and
 * {@code (sigmoid(z) - t) / rows} in one fused pass; the backward scales that into z's gradient. The targets get
 * {@code -z / rows}.
 */
final class BceWithLogitsOp extends Op {
    private final TensorOps ops;
    private final Node logits;
    private final Node target;
    private final Tensor logitGradient;
    private final Tensor rowLosses;

    public BceWithLogitsOp(Workspace ws, Node logits, Node target, Node output) {
        super("binaryCrossEntropyWithLogits", output, logits, target);
        this.ops = ws.ops();
        this.logits = logits;
        this.target = target;
        this.logitGradient = logits.requiresGrad() ? ws.allocate(logits.rows(), logits.cols()) : null;
        this.rowLosses = ws.allocateVector(logits.rows());
    }

    /** Per-sample losses of the last forward, [rows]. */
    public Tensor rowLosses() {
        return rowLosses;
    }

    @Override
    public void forward() {
        double total = ops.bceWithLogits(logits.value(), target.value(), 1.0 / logits.rows(), logitGradient, rowLosses);
        Elements.setScalar(output.value(), total / logits.rows());
    }

    @Override
    public void backward() {
        double g = Elements.scalar(output.resolvePendingGradient());
        GradientClaim dz = logitGradient == null ? null : logits.claimGradient();
        if (dz != null) {
            if (dz.overwrite()) {
                ops.scale(g, logitGradient, dz.tensor());
            } else {
                ops.axpy(g, logitGradient, dz.tensor());
            }
        }
        Tensor dt = target.resolvePendingGradient();
        if (dt != null) {
            ops.axpy(-g / logits.rows(), logits.value(), dt);
        }
    }
}
