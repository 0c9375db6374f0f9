package ae.autodiff;

import ae.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * {@code z = mu + exp(logvar / 2) * eps} with eps ~ N(0, I) redrawn for every fresh forward. Gradients reach mu and
 * logvar; eps is a constant of the step.
 */
final class ReparameterizeOp extends Op {
    private final Node mu;
    private final Node logVariance;
    private final Tensor eps;
    private final NoiseSource source;

    public ReparameterizeOp(Workspace ws, Node mu, Node logVariance, long stream, Node output) {
        super("reparameterize", output, mu, logVariance);
        this.mu = mu;
        this.logVariance = logVariance;
        this.eps = ws.allocate(mu.rows(), mu.cols());
        this.source = new NoiseSource(stream);
    }

    /** The standard normal draw of the current step. */
    public Tensor eps() {
        return eps;
    }

    @Override
    public boolean drawsNoise() {
        return true;
    }

    @Override
    public void drawNoise(long seed, long step) {
        source.at(seed, step).fillNormal(eps, 0, 1);
    }

    @Override
    public void forward() {
        MemorySegment ms = mu.value().segment();
        MemorySegment ls = logVariance.value().segment();
        MemorySegment es = eps.segment();
        MemorySegment zs = output.value().segment();
        boolean f32 = Elements.isF32(eps);
        long mo = mu.value().offset();
        long lo = logVariance.value().offset();
        long zo = output.value().offset();
        long n = eps.size();
        for (long i = 0; i < n; i++) {
            double std = Math.exp(0.5 * Elements.get(ls, f32, lo + i));
            Elements.set(zs, f32, zo + i, Elements.get(ms, f32, mo + i) + std * Elements.get(es, f32, i));
        }
    }

    @Override
    public void backward() {
        MemorySegment gs = output.resolvePendingGradient().segment();
        boolean f32 = Elements.isF32(eps);
        long go = output.resolvePendingGradient().offset();
        long n = eps.size();
        if (mu.resolvePendingGradient() != null) {
            MemorySegment ds = mu.resolvePendingGradient().segment();
            long dOff = mu.resolvePendingGradient().offset();
            for (long i = 0; i < n; i++) {
                Elements.add(ds, f32, dOff + i, Elements.get(gs, f32, go + i));
            }
        }
        if (logVariance.resolvePendingGradient() != null) {
            MemorySegment ls = logVariance.value().segment();
            MemorySegment es = eps.segment();
            MemorySegment ds = logVariance.resolvePendingGradient().segment();
            long lo = logVariance.value().offset();
            long dOff = logVariance.resolvePendingGradient().offset();
            for (long i = 0; i < n; i++) {
                double std = Math.exp(0.5 * Elements.get(ls, f32, lo + i));
                double d = Elements.get(gs, f32, go + i) * 0.5 * std * Elements.get(es, f32, i);
                Elements.add(ds, f32, dOff + i, d);
            }
        }
    }
}
