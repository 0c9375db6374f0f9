package ae.autodiff;

import java.lang.foreign.MemorySegment;

/** The L1 penalty {@code sum_j |h_j|}, averaged over rows; the subgradient at 0 is taken as 0. */
final class L1Op extends Op {
    private final Node h;

    public L1Op(Node h, Node output) {
        super("l1", output, h);
        this.h = h;
    }

    @Override
    public void forward() {
        MemorySegment s = h.value().segment();
        boolean f32 = Elements.isF32(h.value());
        long o = h.value().offset();
        long n = h.value().size();
        double acc = 0;
        for (long i = 0; i < n; i++) {
            acc += Math.abs(Elements.get(s, f32, o + i));
        }
        Elements.setScalar(output.value(), acc / h.rows());
    }

    @Override
    public void backward() {
        if (h.resolvePendingGradient() == null) {
            return;
        }
        double g = Elements.scalar(output.resolvePendingGradient()) / h.rows();
        MemorySegment s = h.value().segment();
        MemorySegment d = h.resolvePendingGradient().segment();
        boolean f32 = Elements.isF32(h.value());
        long o = h.value().offset();
        long dOff = h.resolvePendingGradient().offset();
        long n = h.value().size();
        for (long i = 0; i < n; i++) {
            Elements.add(d, f32, dOff + i, g * Math.signum(Elements.get(s, f32, o + i)));
        }
    }

}
