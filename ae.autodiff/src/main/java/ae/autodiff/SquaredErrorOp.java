package ae.autodiff;

import ae.tensor.Tensor;
import ae.tensor.TensorOps;

/**
 * Squared error {@code sum_j (p_j - t_j)^2}, averaged over rows; the forward computes {@code 2 (p - t) / rows} in the
 * same pass, which the backward scales into p's gradient (and, negated, into t's).
 */
final class SquaredErrorOp extends Op {
    private final TensorOps ops;
    private final Node prediction;
    private final Node target;
    private final Tensor predictionGradient;
    private final Tensor rowLosses;

    public SquaredErrorOp(Workspace ws, Node prediction, Node target, Node output) {
        super("squaredError", output, prediction, target);
        this.ops = ws.ops();
        this.prediction = prediction;
        this.target = target;
        this.predictionGradient = output.requiresGrad() ? ws.allocate(prediction.rows(), prediction.cols()) : null;
        this.rowLosses = ws.allocateVector(prediction.rows());
    }

    /** Per-sample losses of the last forward, [rows]. */
    public Tensor rowLosses() {
        return rowLosses;
    }

    @Override
    public void forward() {
        double total = ops.squaredError(prediction.value(), target.value(), 1.0 / prediction.rows(),
                predictionGradient, rowLosses);
        Elements.setScalar(output.value(), total / prediction.rows());
    }

    @Override
    public void backward() {
        double g = Elements.scalar(output.resolvePendingGradient());
        if (prediction.resolvePendingGradient() != null) {
            ops.axpy(g, predictionGradient, prediction.resolvePendingGradient());
        }
        if (target.resolvePendingGradient() != null) {
            ops.axpy(-g, predictionGradient, target.resolvePendingGradient());
        }
    }
}
