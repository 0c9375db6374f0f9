package ae.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;

/**
 * Runs one kernel call twice on identical random buffers, each placed at a random element offset and followed by a
 * guard region, and compares every element of every buffer (the guard and the elements before the offset must come
 * out untouched). For float32 the two runs are the SIMD and the scalar provider. The float64 kernels are one
 * implementation (the SIMD provider's float64 methods are the scalar code), so comparing providers would compare it
 * with itself: a float64 case instead runs the float64 kernel against the float32 scalar reference on float32
 * values. That reference computes each element in float64 and rounds once, so the float64 result rounded to float32
 * must match it within {@link #F64_AGAINST_F32}: an indexing, stride, accumulation or formula error in either type
 * shows.
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
        /** Runs the kernel of element type {@code type}; returns its scalar result, or 0 for kernels without one. */
        double run(VectorKernels k, DType type, Buf[] b);
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
    /**
     * A float64 result rounded to float32 against the float32 reference: equal but where a constant the call writes
     * in each type (-0.7 and -0.7f) differs in its last float32 bit, which can move a result near zero slightly.
     */
    static final Tolerance F64_AGAINST_F32 = new Tolerance(1e-6, 3e-7);

    /** Tolerance of a float32 sum of {@code n} terms whose magnitudes add up to {@code scale}. */
    static Tolerance f32Sum(int n, double scale) {
        return new Tolerance(0x1.0p-23 * (n + 4) * scale + 1e-30, 0);
    }

    private KernelHarness() {
    }

    /**
     * Runs {@code call} for element type {@code dtype} on buffers of the given element counts, drawn from
     * {@code values[i]}, against its reference (see the class comment); {@code buffer} tolerances apply to buffer
     * elements, {@code result} to the returned scalar. A float64 case checks both with {@link #F64_AGAINST_F32}.
     */
    static void compare(String what, DType dtype, long seed, int[] lengths, Values[] values, Call call,
                        Tolerance buffer, Tolerance result) {
        boolean f64 = dtype == DType.F64;
        DType referenceType = DType.F32;
        String tested = f64 ? "float64" : "simd";
        String reference = f64 ? "float32 reference" : "scalar";
        SplittableRandom random = new SplittableRandom(seed);
        int count = lengths.length;
        try (Arena arena = Arena.ofConfined()) {
            Buf[] testedBuffers = new Buf[count];
            Buf[] referenceBuffers = new Buf[count];
            double[][] original = new double[count][];
            for (int i = 0; i < count; i++) {
                int offset = random.nextInt(8);
                int total = offset + lengths[i] + GUARD;
                original[i] = new double[total];
                MemorySegment a = arena.allocate((long) total * dtype.byteSize(), 64);
                MemorySegment b = arena.allocate((long) total * referenceType.byteSize(), 64);
                for (int e = 0; e < total; e++) {
                    double v = (float) values[i].draw(random);
                    original[i][e] = v;
                    set(dtype, a, e, v);
                    set(referenceType, b, e, v);
                }
                testedBuffers[i] = new Buf(a, offset);
                referenceBuffers[i] = new Buf(b, offset);
            }
            double testedResult = call.run(Kernels.simd().vector(), dtype, testedBuffers);
            double referenceResult = call.run(Kernels.scalar().vector(), referenceType, referenceBuffers);
            Tolerance resultTolerance = f64 ? F64_AGAINST_F32 : result;
            Tolerance bufferTolerance = f64 ? F64_AGAINST_F32 : buffer;
            if (!resultTolerance.accepts(referenceResult, f64 ? (float) testedResult : testedResult)) {
                fail(what + " (" + dtype + ", seed " + seed + "): " + tested + " result " + testedResult + " vs "
                        + reference + " " + referenceResult);
            }
            for (int i = 0; i < count; i++) {
                int offset = (int) testedBuffers[i].off();
                int total = original[i].length;
                for (int e = 0; e < total; e++) {
                    double x = get(dtype, testedBuffers[i].seg(), e);
                    double y = get(referenceType, referenceBuffers[i].seg(), e);
                    boolean outside = e < offset || e >= offset + lengths[i];
                    if (outside) {
                        assertEquals(original[i][e], x, what + ": " + tested + " wrote outside buffer " + i + " at " + e);
                        assertEquals(original[i][e], y, what + ": " + reference + " wrote outside buffer " + i + " at "
                                + e);
                    } else if (!bufferTolerance.accepts(y, f64 ? (float) x : x)) {
                        fail(what + " (" + dtype + ", seed " + seed + "): buffer " + i + " element " + (e - offset)
                                + ": " + tested + " " + x + " vs " + reference + " " + y);
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
