package ae.autodiff.internal;

import ae.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * Counter-based random numbers: element i of a draw is a pure function of (seed, stream, step, i), so noise does not
 * depend on threads or on the order in which operations draw, and a graph can jump to any step.
 */
public final class Noise {
    private static final double TWO_PI = 2 * Math.PI;
    private static final double INV_2_53 = 1.0 / (1L << 53);

    private Noise() {
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long key(long seed, long stream, long step) {
        return mix(mix(seed ^ 0x6A09E667F3BCC909L) + mix(stream * 0x9E3779B97F4A7C15L + 0x3C6EF372FE94F82BL) + step);
    }

    /** A uniform double in (0, 1): never 0, so logarithms of it are finite. */
    private static double uniform(long key, long index) {
        long bits = mix(key + index * 0x9E3779B97F4A7C15L) >>> 11;
        return (bits + 0.5) * INV_2_53;
    }

    /** Fills a contiguous tensor with independent standard normal numbers (Box-Muller on counter pairs). */
    public static void fillNormal(Tensor t, double stddev, long seed, long stream, long step) {
        long k = key(seed, stream, step);
        MemorySegment s = t.segment();
        boolean f32 = Elements.isF32(t);
        long o = t.offset();
        long n = t.size();
        for (long i = 0; i < n; i += 2) {
            double u1 = uniform(k, i);
            double u2 = uniform(k, i + 1);
            double r = Math.sqrt(-2 * Math.log(u1)) * stddev;
            Elements.set(s, f32, o + i, r * Math.cos(TWO_PI * u2));
            if (i + 1 < n) {
                Elements.set(s, f32, o + i + 1, r * Math.sin(TWO_PI * u2));
            }
        }
    }

    /** Fills with uniform numbers in (0, 1). */
    public static void fillUniform(Tensor t, long seed, long stream, long step) {
        long k = key(seed, stream, step);
        MemorySegment s = t.segment();
        boolean f32 = Elements.isF32(t);
        long o = t.offset();
        long n = t.size();
        for (long i = 0; i < n; i++) {
            Elements.set(s, f32, o + i, uniform(k, i));
        }
    }

    /** Fills with 1 (probability {@code p}) or 0. */
    public static void fillBernoulli(Tensor t, double p, long seed, long stream, long step) {
        long k = key(seed, stream, step);
        MemorySegment s = t.segment();
        boolean f32 = Elements.isF32(t);
        long o = t.offset();
        long n = t.size();
        for (long i = 0; i < n; i++) {
            Elements.set(s, f32, o + i, uniform(k, i) < p ? 1 : 0);
        }
    }

    /** Fills with +1 or -1, each with probability 1/2: Rademacher probes. */
    public static void fillRademacher(Tensor t, long seed, long stream, long step) {
        long k = key(seed, stream, step);
        MemorySegment s = t.segment();
        boolean f32 = Elements.isF32(t);
        long o = t.offset();
        long n = t.size();
        for (long i = 0; i < n; i++) {
            Elements.set(s, f32, o + i, uniform(k, i) < 0.5 ? 1 : -1);
        }
    }
}
