package ae.autodiff;

import ae.tensor.TensorOps;
import java.lang.foreign.MemorySegment;

/**
 * {@code scale * sum(x)} or {@code scale * sum(x^2)} into a 1 x 1 node: sum and mean are {@code scale} 1 and
 * 1/size, weight decay and Jacobian norms the squared form.
 */
final class SumOp extends Op {
    private final TensorOps ops;
    private final Node x;
    private final double scale;
    private final boolean squares;

    public SumOp(Workspace ws, String name, Node x, double scale, boolean squares, Node output) {
        super(name, output, x);
        this.ops = ws.ops();
        this.x = x;
        this.scale = scale;
        this.squares = squares;
    }

    @Override
    public void forward() {
        double total = squares ? ops.sumOfSquares(x.value()) : ops.sum(x.value());
        Elements.setScalar(output.value(), scale * total);
    }

    @Override
    public void backward() {
        if (x.resolvePendingGradient() == null) {
            return;
        }
        double g = scale * Elements.scalar(output.resolvePendingGradient());
        if (squares) {
            ops.axpy(2 * g, x.value(), x.resolvePendingGradient());
            return;
        }
        MemorySegment d = x.resolvePendingGradient().segment();
        boolean f32 = Elements.isF32(x.resolvePendingGradient());
        long dOff = x.resolvePendingGradient().offset();
        long n = x.resolvePendingGradient().size();
        for (long i = 0; i < n; i++) {
            Elements.add(d, f32, dOff + i, g);
        }
    }
}
