package ae.autodiff.internal;

import ae.autodiff.Node;
import ae.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * A corruption process C(x~ | x) redrawn for every fresh forward: {@code x~ = keep * x + noise}, where the noise
 * process decides {@code keep} (0 or 1) and {@code noise}. The gradient to x is {@code keep * dy}; none goes into
 * the noise.
 *
 * <ul>
 *   <li>masking: each element zeroed with probability p (keep ~ Bernoulli(1 - p), noise 0);</li>
 *   <li>Gaussian: keep 1, noise ~ N(0, sigma^2);</li>
 *   <li>salt and pepper: with probability p an element is replaced by 0 or 1 with equal chance.</li>
 * </ul>
 */
public final class CorruptionOp extends Op {
    /** The noise process. */
    public enum Kind { MASKING, GAUSSIAN, SALT_AND_PEPPER }

    private final Kind kind;
    private final double level;
    private final Node x;
    private final Tensor keep;
    private final Tensor noise;
    private final long stream;

    public CorruptionOp(Workspace ws, Kind kind, double level, Node x, long stream, Node output) {
        super(kind.name().toLowerCase(java.util.Locale.ROOT) + "Noise[" + level + "]", output, x);
        if (kind != Kind.GAUSSIAN && !(level >= 0 && level <= 1)) {
            throw new IllegalArgumentException(kind + " corruption probability must be in [0, 1], got " + level);
        }
        if (kind == Kind.GAUSSIAN && !(level >= 0)) {
            throw new IllegalArgumentException("Gaussian corruption needs a standard deviation >= 0, got " + level);
        }
        this.kind = kind;
        this.level = level;
        this.x = x;
        this.keep = kind == Kind.GAUSSIAN ? null : ws.allocate(x.rows(), x.cols());
        this.noise = kind == Kind.MASKING ? null : ws.allocate(x.rows(), x.cols());
        this.stream = stream;
    }

    @Override
    public boolean drawsNoise() {
        return true;
    }

    @Override
    public void drawNoise(long seed, long step) {
        switch (kind) {
            case MASKING -> Noise.fillBernoulli(keep, 1 - level, seed, stream, step);
            case GAUSSIAN -> Noise.fillNormal(noise, level, seed, stream, step);
            case SALT_AND_PEPPER -> {
                Noise.fillBernoulli(keep, 1 - level, seed, stream, step);
                Noise.fillBernoulli(noise, 0.5, seed, stream + (1L << 32), step);
                MemorySegment ks = keep.segment();
                MemorySegment ns = noise.segment();
                boolean f32 = Elements.isF32(keep);
                long n = keep.size();
                for (long i = 0; i < n; i++) {
                    if (Elements.get(ks, f32, i) != 0) {
                        Elements.set(ns, f32, i, 0);
                    }
                }
            }
        }
    }

    @Override
    public void forward() {
        MemorySegment xs = x.value().segment();
        MemorySegment ys = output.value().segment();
        MemorySegment ks = keep == null ? null : keep.segment();
        MemorySegment ns = noise == null ? null : noise.segment();
        boolean f32 = Elements.isF32(output.value());
        long xo = x.value().offset();
        long yo = output.value().offset();
        long n = output.value().size();
        for (long i = 0; i < n; i++) {
            double v = Elements.get(xs, f32, xo + i);
            if (ks != null) {
                v *= Elements.get(ks, f32, i);
            }
            if (ns != null) {
                v += Elements.get(ns, f32, i);
            }
            Elements.set(ys, f32, yo + i, v);
        }
    }

    @Override
    public void backward() {
        if (x.gradOrNull() == null) {
            return;
        }
        MemorySegment gs = output.grad().segment();
        MemorySegment ds = x.grad().segment();
        MemorySegment ks = keep == null ? null : keep.segment();
        boolean f32 = Elements.isF32(output.value());
        long go = output.grad().offset();
        long dOff = x.grad().offset();
        long n = output.value().size();
        for (long i = 0; i < n; i++) {
            double g = Elements.get(gs, f32, go + i);
            Elements.add(ds, f32, dOff + i, ks == null ? g : g * Elements.get(ks, f32, i));
        }
    }
}
