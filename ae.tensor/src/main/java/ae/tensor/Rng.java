package ae.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A seeded, splittable, counter-based random generator: every value is a pure function of
 * (key, counter), so a fill gives the same bits for any thread count and any split of the work.
 *
 * <p>The exact algorithm, so that it can be reproduced elsewhere:
 * <pre>
 * mix64(z)        = SplitMix64's finalizer: z ^= z >>> 30; z *= 0xBF58476D1CE4E5B9; z ^= z >>> 27;
 *                   z *= 0x94D049BB133111EB; z ^= z >>> 31
 * word(c)         = mix64(key + (c + 1) * 0x9E3779B97F4A7C15)      (the c-th output of SplitMix64 seeded with key)
 * unit(c)         = (word(c) >>> 11) * 2^-53                       (uniform in [0, 1))
 * seeded(seed)    : key = mix64(seed), position = 0
 * fork(stream)    : key' = mix64(key ^ mix64(stream ^ 0x632BE59BD9B4E019)), position' = 0; this is unchanged
 *                   (forkInto(stream, target) gives target that same state)
 * split()         : key' = mix64(key ^ mix64(position ^ 0x3C6EF372FE94F82B)), position' = 0; position += 1
 * nextLong()      : word(position); position += 1
 * </pre>
 * A fill of n elements with base b = position at the call, element i in row-major order:
 * <pre>
 * uniform(lo, hi) : lo + (hi - lo) * unit(b + i)                    then position += n
 * bernoulli(keep) : unit(b + i) &lt; keep ? 1 : 0                       then position += n
 * normal(mu, sd)  : k = i / 2, u1 = 1 - unit(b + 2k), u2 = unit(b + 2k + 1),
 *                   z = sqrt(-2 ln u1) * (i even ? cos(2 pi u2) : sin(2 pi u2)),   (Box-Muller)
 *                   mu + sd * z                                    then position += n rounded up to even
 * </pre>
 * Values are computed in float64; a float32 tensor receives them rounded to float32 (a uniform value that
 * rounds up to {@code hi} is replaced by the largest float below it, keeping the range half-open).
 *
 * <p>Fills are scalar (not vectorized): they run at initialization and once per batch for noise masks, where
 * a few nanoseconds per element do not matter, and the transcendental Box-Muller step would need the float64
 * vector log/sin/cos this library does not have. Large fills are split over a {@link ComputePool}.
 *
 * <p>Not thread-safe: give each thread its own generator ({@link #fork}).
 */
public final class Rng {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final long FORK_SALT = 0x632BE59BD9B4E019L;
    private static final long SPLIT_SALT = 0x3C6EF372FE94F82BL;
    private static final double UNIT = 0x1.0p-53;
    private static final int PARALLEL_THRESHOLD = 1 << 15;
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    private enum Kind { UNIFORM, NORMAL, BERNOULLI }

    private long key;
    private long position;
    private FillTask fillTask;

    private Rng(long key) {
        this.key = key;
    }

    /** A generator for {@code seed}. */
    public static Rng seeded(long seed) {
        return new Rng(mix64(seed));
    }

    /** An independent generator for {@code stream}; the same stream always gives the same generator. */
    public Rng fork(long stream) {
        return new Rng(mix64(key ^ mix64(stream ^ FORK_SALT)));
    }

    /**
     * Turns {@code target} into the generator {@code fork(stream)} would return, and returns it: a generator per
     * training step without an allocation per step.
     */
    public Rng forkInto(long stream, Rng target) {
        target.key = mix64(key ^ mix64(stream ^ FORK_SALT));
        target.position = 0;
        return target;
    }

    /** A new independent generator; advances this one, so consecutive splits differ. */
    public Rng split() {
        return new Rng(mix64(key ^ mix64(position++ ^ SPLIT_SALT)));
    }

    /** The counter the next draw or fill starts at. */
    public long position() {
        return position;
    }

    /** 64 uniformly random bits. */
    public long nextLong() {
        return word(key, position++);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return unit(key, position++);
    }

    /** Uniform in [0, bound), without modulo bias; {@code bound > 0}. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        while (true) {
            int bits = (int) (nextLong() >>> 33);
            int value = bits % bound;
            // Reject the last incomplete run of [0, 2^31) so every value is equally likely.
            if (bits - value + (bound - 1) >= 0) {
                return value;
            }
        }
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long word(long key, long counter) {
        return mix64(key + (counter + 1) * GOLDEN_GAMMA);
    }

    private static double unit(long key, long counter) {
        return (word(key, counter) >>> 11) * UNIT;
    }

    // ---- tensor fills ------------------------------------------------------------------------------------

    /** Fills {@code t} with values uniform in [lo, hi), on the calling thread. */
    public void fillUniform(Tensor t, double lo, double hi) {
        fillUniform(null, t, lo, hi);
    }

    /** Fills {@code t} with values uniform in [lo, hi), splitting large tensors over {@code pool} (may be null). */
    public void fillUniform(ComputePool pool, Tensor t, double lo, double hi) {
        if (!(lo <= hi) || !Double.isFinite(hi - lo)) {
            throw new IllegalArgumentException("uniform range needs finite lo <= hi, got [" + lo + ", " + hi + ")");
        }
        fill(pool, t, Kind.UNIFORM, lo, hi, t.size());
    }

    /** Fills {@code t} with normal values of the given mean and standard deviation, on the calling thread. */
    public void fillNormal(Tensor t, double mean, double std) {
        fillNormal(null, t, mean, std);
    }

    /** Fills {@code t} with normal values, splitting large tensors over {@code pool} (may be null). */
    public void fillNormal(ComputePool pool, Tensor t, double mean, double std) {
        if (!(std >= 0) || !Double.isFinite(mean) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("normal needs a finite mean and std >= 0, got mean " + mean + ", std " + std);
        }
        long n = t.size();
        fill(pool, t, Kind.NORMAL, mean, std, n + (n & 1));
    }

    /** Fills {@code t} with 1 with probability {@code keep} and 0 otherwise (masking noise), on the calling thread. */
    public void fillBernoulli(Tensor t, double keep) {
        fillBernoulli(null, t, keep);
    }

    /** Fills {@code t} with a Bernoulli mask, splitting large tensors over {@code pool} (may be null). */
    public void fillBernoulli(ComputePool pool, Tensor t, double keep) {
        if (!(keep >= 0 && keep <= 1)) {
            throw new IllegalArgumentException("keep probability must be in [0, 1], got " + keep);
        }
        fill(pool, t, Kind.BERNOULLI, keep, 0, t.size());
    }

    private void fill(ComputePool pool, Tensor t, Kind kind, double p0, double p1, long advance) {
        long n = t.size();
        long base = position;
        boolean rowStrided = t.isContiguous() || (t.rank() == 2 && t.stride(1) == 1);
        if (!rowStrided) {
            for (long i = 0; i < n; i++) {
                t.setFlat(i, value(kind, key, base, i, p0, p1, t.dtype()));
            }
        } else if (pool == null || pool.threads() == 1 || n < PARALLEL_THRESHOLD) {
            fillRange(kind, key, base, p0, p1, t, 0, n);
        } else {
            if (fillTask == null) {
                fillTask = new FillTask();
            }
            FillTask task = fillTask;
            task.set(kind, key, base, p0, p1, t, pool.threads());
            try {
                pool.run(task.chunks, task);
            } finally {
                task.tensor = null;
            }
        }
        position = base + advance;
    }

    /** Writes flat elements [from, to) of a contiguous or row-strided tensor. */
    private static void fillRange(Kind kind, long key, long base, double p0, double p1, Tensor t, long from, long to) {
        MemorySegment s = t.segment();
        boolean contiguous = t.isContiguous();
        if (kind == Kind.BERNOULLI && contiguous && t.dtype() == DType.F32) {
            bernoulliF32(key, base + from, p0, s, t.offset() + from, to - from);
            return;
        }
        long cols = contiguous ? Math.max(1, to - from) : t.dim(1);
        long ld = contiguous ? cols : t.stride(0);
        boolean single = t.dtype() == DType.F32;
        for (long i = from; i < to; i++) {
            long address = contiguous ? t.offset() + i : t.offset() + (i / cols) * ld + i % cols;
            double v = value(kind, key, base, i, p0, p1, t.dtype());
            if (single) {
                s.setAtIndex(F, address, (float) v);
            } else {
                s.setAtIndex(D, address, v);
            }
        }
    }

    /**
     * The Bernoulli fill of a contiguous float32 range, in a loop of integer operations only (the masks of the
     * denoising workloads are drawn every step): {@code unit(c) < keep} is decided as
     * {@code (word(c) >>> 11) < ceil(keep * 2^53)}, which is exact, since both sides of {@code unit(c) < keep}
     * scaled by 2^53 are exact and the left one is an integer.
     */
    private static void bernoulliF32(long key, long counter, double keep, MemorySegment s, long at, long n) {
        long threshold = (long) Math.ceil(keep * 0x1.0p53);
        long z = key + (counter + 1) * GOLDEN_GAMMA;
        for (long i = 0; i < n; i++) {
            s.setAtIndex(F, at + i, mix64(z) >>> 11 < threshold ? 1f : 0f);
            z += GOLDEN_GAMMA;
        }
    }

    private static double value(Kind kind, long key, long base, long i, double p0, double p1, DType dtype) {
        return switch (kind) {
            case UNIFORM -> {
                double v = p0 + (p1 - p0) * unit(key, base + i);
                if (dtype == DType.F32) {
                    float hi = (float) p1;
                    yield (float) v >= hi && p0 < p1 ? Math.nextDown(hi) : v;
                }
                yield v >= p1 && p0 < p1 ? Math.nextDown(p1) : v;
            }
            case BERNOULLI -> unit(key, base + i) < p0 ? 1.0 : 0.0;
            case NORMAL -> {
                long pair = base + 2 * (i >>> 1);
                double u1 = 1.0 - unit(key, pair);
                double u2 = unit(key, pair + 1);
                double radius = Math.sqrt(-2.0 * Math.log(u1));
                double angle = 2.0 * Math.PI * u2;
                yield p0 + p1 * radius * ((i & 1) == 0 ? Math.cos(angle) : Math.sin(angle));
            }
        };
    }

    /** The reusable parallel fill: chunk boundaries depend only on the size and the thread count. */
    private static final class FillTask implements ComputePool.Task {
        Kind kind;
        long key;
        long base;
        double p0;
        double p1;
        Tensor tensor;
        long size;
        int chunks;

        void set(Kind kind, long key, long base, double p0, double p1, Tensor tensor, int threads) {
            this.kind = kind;
            this.key = key;
            this.base = base;
            this.p0 = p0;
            this.p1 = p1;
            this.tensor = tensor;
            this.size = tensor.size();
            this.chunks = (int) Math.max(1, Math.min(threads, size / (PARALLEL_THRESHOLD / 2)));
        }

        @Override
        public void run(int chunk) {
            long from = size * chunk / chunks;
            long to = size * (chunk + 1) / chunks;
            fillRange(kind, key, base, p0, p1, tensor, from, to);
        }
    }
}
