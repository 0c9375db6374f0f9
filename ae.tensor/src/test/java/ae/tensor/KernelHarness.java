package ae.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;

/**
 * Runs one kernel call with the SIMD and the scalar provider on identical random buffers, each placed at a
 * random element offset and followed by a guard region, and compares every element of every buffer (the guard
 * and the elements before the offset must come out untouched).
 */
final class KernelHarness {
    /** float32 lanes of the preferred species: sizes 1 .. 2 * LANES + 3 cross every lane boundary. */
    static final int LANES = FloatVector.SPECIES_PREFERRED.length();
    static final int MAX_FLAT = 2 * LANES + 3;
    private static final int GUARD = 2 * LANES + 1;

    /** One operand as a kernel sees it: a segment and an element offset. */
    record Buf(MemorySegment seg, long off) {
    }

    @FunctionalInterface
    interface Call {
        /** Runs the kernel; returns its scalar result, or 0 for kernels without one. */
        double run(VectorKernels k, Buf[] b);
    }

    /** How buffer values are drawn. */
    enum Values {
        /** Uniform in [-2, 2]. */
        MODERATE,
        /** Mostly moderate, with large magnitudes up to +-120 and tiny ones near 0 mixed in. */
        WIDE,
        /** Uniform in [0, 1]: targets, probabilities. */
        UNIT,
        /** Uniform in [0.01, 4]. */
        POSITIVE;

        double draw(SplittableRandom r) {
            return switch (this) {
                case MODERATE -> r.nextDouble(-2, 2);
                case WIDE -> switch (r.nextInt(10)) {
                    case 0 -> r.nextDouble(-120, 120);
                    case 1 -> r.nextDouble(-1e-3, 1e-3);
                    case 2 -> r.nextBoolean() ? 100.0 : -100.0;
                    default -> r.nextDouble(-12, 12);
                };
                case UNIT -> r.nextDouble();
                case POSITIVE -> r.nextDouble(0.01, 4);
            };
        }
    }

    /** |actual - expected| <= atol + rtol * |expected|. */
    record Tolerance(double atol, double rtol) {
        boolean accepts(double expected, double actual) {
            if (Double.isNaN(expected) || Double.isNaN(actual)) {
                return Double.isNaN(expected) && Double.isNaN(actual);
            }
            if (expected == actual) {
                return true;
            }
            return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
        }
    }

    static final Tolerance EXACT = new Tolerance(0, 0);
    /** A few float32 ulp. */
    static final Tolerance F32_ULPS = new Tolerance(1e-37, 6e-7);
    /** A few float64 ulp. */
    static final Tolerance F64_ULPS = new Tolerance(1e-300, 1e-14);

    /** Tolerance of a float32 sum of {@code n} terms whose magnitudes add up to {@code scale}. */
    static Tolerance f32Sum(int n, double scale) {
        return new Tolerance(0x1.0p-23 * (n + 4) * scale + 1e-30, 0);
    }

    private KernelHarness() {
    }

    /**
     * Compares providers on buffers of the given element counts, drawn from {@code values[i]}; {@code buffer}
     * tolerances apply to buffer elements, {@code result} to the returned scalar.
     */
    static void compare(String what, DType dtype, long seed, int[] lengths, Values[] values, Call call,
                        Tolerance buffer, Tolerance result) {
        SplittableRandom random = new SplittableRandom(seed);
        int count = lengths.length;
        try (Arena arena = Arena.ofConfined()) {
            Buf[] simd = new Buf[count];
            Buf[] scalar = new Buf[count];
            double[][] original = new double[count][];
            for (int i = 0; i < count; i++) {
                int offset = random.nextInt(8);
                int total = offset + lengths[i] + GUARD;
                original[i] = new double[total];
                MemorySegment a = arena.allocate((long) total * dtype.byteSize(), 64);
                MemorySegment b = arena.allocate((long) total * dtype.byteSize(), 64);
                for (int e = 0; e < total; e++) {
                    double v = values[i].draw(random);
                    if (dtype == DType.F32) {
                        v = (float) v;
                    }
                    original[i][e] = v;
                    set(dtype, a, e, v);
                    set(dtype, b, e, v);
                }
                simd[i] = new Buf(a, offset);
                scalar[i] = new Buf(b, offset);
            }
            double simdResult = call.run(Kernels.simd().vector(), simd);
            double scalarResult = call.run(Kernels.scalar().vector(), scalar);
            if (!result.accepts(scalarResult, simdResult)) {
                fail(what + " (" + dtype + ", seed " + seed + "): simd result " + simdResult + " vs scalar "
                        + scalarResult);
            }
            for (int i = 0; i < count; i++) {
                int offset = (int) simd[i].off();
                int total = original[i].length;
                for (int e = 0; e < total; e++) {
                    double x = get(dtype, simd[i].seg(), e);
                    double y = get(dtype, scalar[i].seg(), e);
                    boolean outside = e < offset || e >= offset + lengths[i];
                    if (outside) {
                        assertEquals(original[i][e], x, what + ": simd wrote outside buffer " + i + " at " + e);
                        assertEquals(original[i][e], y, what + ": scalar wrote outside buffer " + i + " at " + e);
                    } else if (!buffer.accepts(y, x)) {
                        fail(what + " (" + dtype + ", seed " + seed + "): buffer " + i + " element " + (e - offset)
                                + ": simd " + x + " vs scalar " + y);
                    }
                }
            }
        }
    }

    static void set(DType dtype, MemorySegment s, long index, double v) {
        if (dtype == DType.F32) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, index, (float) v);
        } else {
            s.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, index, v);
        }
    }

    static double get(DType dtype, MemorySegment s, long index) {
        return dtype == DType.F32
                ? s.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, index)
                : s.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, index);
    }

    /** Sum of |v| over a buffer region (scales reduction tolerances). */
    static double absSum(DType dtype, Buf b, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.abs(get(dtype, b.seg(), b.off() + i));
        }
        return s;
    }
}
