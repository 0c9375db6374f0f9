package ae.autodiff;

import ae.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * {@code sum_j KL(rho || rhoHat_j)} with {@code rhoHat_j} the mean over the batch of h_j, which must lie in (0, 1)
 * (sigmoid units). rhoHat is clamped to [1e-7, 1 - 1e-7] so that dead or saturated units give a large finite penalty;
 * where the clamp is active the gradient is that of the clamped function, zero.
 */
final class KlSparsityOp extends Op {
    private static final double CLAMP = 1e-7;

    private final Node h;
    private final double rho;
    private final Tensor meanActivation;

    public KlSparsityOp(Workspace ws, Node h, double rho, Node output) {
        super("klSparsity[" + rho + "]", output, h);
        if (!(rho > 0 && rho < 1)) {
            throw new IllegalArgumentException("target activation rho must be in (0, 1), got " + rho);
        }
        this.h = h;
        this.rho = rho;
        this.meanActivation = ws.allocate(1, h.cols());
    }

    @Override
    public void forward() {
        MemorySegment hs = h.value().segment();
        MemorySegment ms = meanActivation.segment();
        boolean f32 = Elements.isF32(h.value());
        long ho = h.value().offset();
        int rows = h.rows();
        int cols = h.cols();
        double total = 0;
        for (int j = 0; j < cols; j++) {
            double acc = 0;
            for (int i = 0; i < rows; i++) {
                acc += Elements.get(hs, f32, ho + (long) i * cols + j);
            }
            double mean = acc / rows;
            Elements.set(ms, f32, j, mean);
            double q = Math.min(Math.max(mean, CLAMP), 1 - CLAMP);
            total += rho * Math.log(rho / q) + (1 - rho) * Math.log((1 - rho) / (1 - q));
        }
        Elements.setScalar(output.value(), total);
    }

    @Override
    public void backward() {
        if (h.resolvePendingGradient() == null) {
            return;
        }
        double g = Elements.scalar(output.resolvePendingGradient());
        MemorySegment ds = h.resolvePendingGradient().segment();
        MemorySegment ms = meanActivation.segment();
        boolean f32 = Elements.isF32(h.value());
        long dOff = h.resolvePendingGradient().offset();
        int rows = h.rows();
        int cols = h.cols();
        for (int j = 0; j < cols; j++) {
            double mean = Elements.get(ms, f32, j);
            if (mean < CLAMP || mean > 1 - CLAMP) {
                continue;
            }
            double perElement = g * (-rho / mean + (1 - rho) / (1 - mean)) / rows;
            for (int i = 0; i < rows; i++) {
                Elements.add(ds, f32, dOff + (long) i * cols + j, perElement);
            }
        }
    }
}
