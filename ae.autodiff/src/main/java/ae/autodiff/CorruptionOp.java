package ae.autodiff;

import ae.tensor.Rng;
import ae.tensor.Tensor;
import ae.tensor.TensorOps;
import java.lang.foreign.MemorySegment;

/**
 * A corruption process C(x~ | x) redrawn for every fresh forward: {@code x~ = keep * x + noise}, where the process
 * decides {@code keep} (0 or 1) and {@code noise}. The gradient to x is {@code keep * dy}; none goes into the noise.
 *
 * <ul>
 *   <li>masking: each element zeroed with probability p (keep ~ Bernoulli(1 - p), no noise);</li>
 *   <li>Gaussian: keep 1, noise ~ N(0, sigma^2), sigma fixed or following a {@link NoiseScale} over the noise
 *   steps;</li>
 *   <li>salt and pepper: with probability p an element is replaced by 0 or 1 with equal chance.</li>
 * </ul>
 */
final class CorruptionOp extends Op {
    /** The noise process. */
    public enum Kind { MASKING, GAUSSIAN, SALT_AND_PEPPER }

    private final TensorOps ops;
    private final Kind kind;
    private final double level;
    private final NoiseScale scale;
    private final Node x;
    private final Tensor keep;
    private final Tensor noise;
    private final NoiseSource source;

    public CorruptionOp(Workspace ws, Kind kind, double level, Node x, long stream, Node output) {
        this(ws, kind, level, null, x, stream, output);
    }

    /** Gaussian noise whose standard deviation {@code scale} gives at each noise step. */
    public CorruptionOp(Workspace ws, NoiseScale scale, Node x, long stream, Node output) {
        this(ws, Kind.GAUSSIAN, 0, scale, x, stream, output);
    }

    private CorruptionOp(Workspace ws, Kind kind, double level, NoiseScale scale, Node x, long stream, Node output) {
        super(kind.name().toLowerCase(java.util.Locale.ROOT) + "Noise[" + (scale != null ? "scheduled" : level)
                + "]", output, x);
        if (kind != Kind.GAUSSIAN && !(level >= 0 && level <= 1)) {
            throw new IllegalArgumentException(kind + " corruption probability must be in [0, 1], got " + level);
        }
        if (kind == Kind.GAUSSIAN && !(level >= 0 && Double.isFinite(level))) {
            throw new IllegalArgumentException("Gaussian corruption needs a finite standard deviation >= 0, got "
                    + level);
        }
        this.ops = ws.ops();
        this.kind = kind;
        this.level = level;
        this.scale = scale;
        this.x = x;
        this.keep = kind == Kind.GAUSSIAN ? null : ws.allocate(x.rows(), x.cols());
        this.noise = kind == Kind.MASKING ? null : ws.allocate(x.rows(), x.cols());
        this.source = new NoiseSource(stream);
    }

    @Override
    public boolean drawsNoise() {
        return true;
    }

    @Override
    public void drawNoise(long seed, long step) {
        Rng rng = source.at(seed, step);
        switch (kind) {
            case MASKING -> rng.fillBernoulli(ops.pool(), keep, 1 - level);
            case GAUSSIAN -> {
                double sigma = scale != null ? scale.at(step) : level;
                if (!(sigma >= 0 && Double.isFinite(sigma))) {
                    throw new IllegalStateException("the noise schedule gave a standard deviation of " + sigma
                            + " at noise step " + step + "; it must be finite and >= 0");
                }
                rng.fillNormal(ops.pool(), noise, 0, sigma);
            }
            case SALT_AND_PEPPER -> {
                rng.fillBernoulli(ops.pool(), keep, 1 - level);
                rng.fillBernoulli(ops.pool(), noise, 0.5);
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
        switch (kind) {
            case MASKING -> ops.mul(x.value(), keep, output.value());
            case GAUSSIAN -> ops.add(x.value(), noise, output.value());
            case SALT_AND_PEPPER -> {
                ops.mul(x.value(), keep, output.value());
                ops.axpy(1, noise, output.value());
            }
        }
    }

    @Override
    public void backward() {
        if (x.resolvePendingGradient() == null) {
            return;
        }
        if (keep == null) {
            ops.axpy(1, output.resolvePendingGradient(), x.resolvePendingGradient());
        } else {
            ops.addProduct(1, output.resolvePendingGradient(), keep, x.resolvePendingGradient());
        }
    }
}
