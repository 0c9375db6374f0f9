package ae.autodiff;

import java.lang.foreign.MemorySegment;

/**
 * KL(N(mu, exp(logvar)) || N(0, I)) = {@code -1/2 sum_j (1 + logvar_j - mu_j^2 - exp(logvar_j))}, summed over
 * columns and averaged over rows.
 */
final class GaussianKlOp extends Op {
    private final Node mu;
    private final Node logVariance;

    public GaussianKlOp(Node mu, Node logVariance, Node output) {
        super("gaussianKl", output, mu, logVariance);
        this.mu = mu;
        this.logVariance = logVariance;
    }

    @Override
    public void forward() {
        MemorySegment ms = mu.value().segment();
        MemorySegment ls = logVariance.value().segment();
        boolean f32 = Elements.isF32(mu.value());
        long mo = mu.value().offset();
        long lo = logVariance.value().offset();
        long n = mu.value().size();
        double acc = 0;
        for (long i = 0; i < n; i++) {
            double m = Elements.get(ms, f32, mo + i);
            double lv = Elements.get(ls, f32, lo + i);
            acc += 1 + lv - m * m - Math.exp(lv);
        }
        Elements.setScalar(output.value(), -0.5 * acc / mu.rows());
    }

    @Override
    public void backward() {
        double g = Elements.scalar(output.resolvePendingGradient()) / mu.rows();
        boolean f32 = Elements.isF32(mu.value());
        long n = mu.value().size();
        if (mu.resolvePendingGradient() != null) {
            MemorySegment ms = mu.value().segment();
            MemorySegment ds = mu.resolvePendingGradient().segment();
            long mo = mu.value().offset();
            long dOff = mu.resolvePendingGradient().offset();
            for (long i = 0; i < n; i++) {
                Elements.add(ds, f32, dOff + i, g * Elements.get(ms, f32, mo + i));
            }
        }
        if (logVariance.resolvePendingGradient() != null) {
            MemorySegment ls = logVariance.value().segment();
            MemorySegment ds = logVariance.resolvePendingGradient().segment();
            long lo = logVariance.value().offset();
            long dOff = logVariance.resolvePendingGradient().offset();
            for (long i = 0; i < n; i++) {
                Elements.add(ds, f32, dOff + i, 0.5 * g * Math.expm1(Elements.get(ls, f32, lo + i)));
            }
        }
    }
}
