package ae.tensor.internal.vector;

import static ae.tensor.internal.vector.FloatVectorMath.SPECIES;

import ae.tensor.Activation;
import ae.tensor.VectorKernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The Panama Vector API provider, in the style of Lucene's Panama vector support: a vector main loop, several
 * accumulators in reductions so that consecutive adds do not wait on each other, and a tail that computes each
 * element exactly as the main loop would (masked lanes for transcendental functions, the same float32
 * operations in the same order for plain arithmetic).
 *
 * <p>float64 is not vectorized: it serves gradient checks on small models, where the reference's exactness
 * matters and speed does not, so every {@code ...F64} method runs the scalar reference code.
 */
public final class PanamaVectorKernels implements VectorKernels {
    public static final PanamaVectorKernels INSTANCE = new PanamaVectorKernels();
    private static final int LANES = SPECIES.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ScalarVectorKernels F64 = ScalarVectorKernels.INSTANCE;
    private static final FloatVector ZERO = FloatVector.zero(SPECIES);
    private static final FloatVector ONE = FloatVector.broadcast(SPECIES, 1f);

    private PanamaVectorKernels() {
    }

    @Override
    public String name() {
        return "simd";
    }

    private static FloatVector load(MemorySegment s, long element) {
        return FloatVector.fromMemorySegment(SPECIES, s, element * Float.BYTES, ORDER);
    }

    private static FloatVector load(MemorySegment s, long element, VectorMask<Float> m) {
        return FloatVector.fromMemorySegment(SPECIES, s, element * Float.BYTES, ORDER, m);
    }

    private static void store(FloatVector v, MemorySegment s, long element) {
        v.intoMemorySegment(s, element * Float.BYTES, ORDER);
    }

    private static void store(FloatVector v, MemorySegment s, long element, VectorMask<Float> m) {
        v.intoMemorySegment(s, element * Float.BYTES, ORDER, m);
    }

    private static float get(MemorySegment s, long element) {
        return s.getAtIndex(F, element);
    }

    private static void set(MemorySegment s, long element, float v) {
        s.setAtIndex(F, element, v);
    }

    /** Lane sum in float64, lane 0 first: a fixed order, unlike reduceLanes(ADD), whose order may vary. */
    private static double sumLanes(FloatVector v) {
        double s = 0;
        for (int l = 0; l < LANES; l++) {
            s += v.lane(l);
        }
        return s;
    }

    // ---- activations -------------------------------------------------------------------------------------

    private static FloatVector activate(Activation act, FloatVector a) {
        return switch (act) {
            case IDENTITY -> a;
            case SIGMOID -> FloatVectorMath.sigmoid(a);
            case TANH -> FloatVectorMath.tanh(a);
            case RELU -> a.max(0f);
            case SOFTPLUS -> FloatVectorMath.softplus(a);
        };
    }

    /** act'(a) from the pre-activation, in forms that keep relative accuracy where act' is tiny. */
    private static FloatVector derivative(Activation act, FloatVector a) {
        return switch (act) {
            case IDENTITY -> ONE;
            case SIGMOID -> {
                // e / (1 + e)^2 with e = exp(-|a|): s * (1 - s) would cancel to 0 once s rounds to 1.
                FloatVector e = FloatVectorMath.exp(a.abs().neg());
                FloatVector r = ONE.div(e.add(1f));
                yield e.mul(r).mul(r);
            }
            case TANH -> {
                // 4e / (1 + e)^2 with e = exp(-2|a|), for the same reason.
                FloatVector ax = a.abs();
                FloatVector e = FloatVectorMath.exp(ax.add(ax).neg());
                FloatVector r = ONE.div(e.add(1f));
                yield e.mul(4f).mul(r).mul(r);
            }
            case RELU -> ZERO.blend(ONE, a.compare(VectorOperators.GT, 0f));
            case SOFTPLUS -> FloatVectorMath.sigmoid(a);
        };
    }

    /** act'(a) as backpropagation computes it: from the output y, or from a for softplus. */
    private static FloatVector derivativeForBackward(Activation act, FloatVector y, FloatVector a) {
        return switch (act) {
            case IDENTITY -> ONE;
            case SIGMOID -> y.mul(ONE.sub(y));
            case TANH -> y.neg().fma(y, ONE);
            case RELU -> ZERO.blend(ONE, y.compare(VectorOperators.GT, 0f));
            case SOFTPLUS -> FloatVectorMath.sigmoid(a);
        };
    }

    @Override
    public void activationF32(Activation act, int n, MemorySegment in, long inOffset, MemorySegment out, long outOffset) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            store(activate(act, load(in, inOffset + i)), out, outOffset + i);
        }
        if (i < n) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            store(activate(act, load(in, inOffset + i, m)), out, outOffset + i, m);
        }
    }

    @Override
    public void activationF64(Activation act, int n, MemorySegment in, long inOffset, MemorySegment out, long outOffset) {
        F64.activationF64(act, n, in, inOffset, out, outOffset);
    }

    @Override
    public void biasActivationF32(Activation act, int rows, int cols, MemorySegment in, long inOffset, int ldIn,
                                  MemorySegment bias, long biasOffset, MemorySegment out, long outOffset, int ldOut) {
        if (bias == null) {
            for (int r = 0; r < rows; r++) {
                activationF32(act, cols, in, inOffset + (long) r * ldIn, out, outOffset + (long) r * ldOut);
            }
            return;
        }
        int bound = SPECIES.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            long inRow = inOffset + (long) r * ldIn;
            long outRow = outOffset + (long) r * ldOut;
            int c = 0;
            for (; c < bound; c += LANES) {
                FloatVector a = load(in, inRow + c).add(load(bias, biasOffset + c));
                store(activate(act, a), out, outRow + c);
            }
            if (c < cols) {
                VectorMask<Float> m = SPECIES.indexInRange(c, cols);
                FloatVector a = load(in, inRow + c, m).add(load(bias, biasOffset + c, m));
                store(activate(act, a), out, outRow + c, m);
            }
        }
    }

    @Override
    public void biasActivationF64(Activation act, int rows, int cols, MemorySegment in, long inOffset, int ldIn,
                                  MemorySegment bias, long biasOffset, MemorySegment out, long outOffset, int ldOut) {
        F64.biasActivationF64(act, rows, cols, in, inOffset, ldIn, bias, biasOffset, out, outOffset, ldOut);
    }

    @Override
    public void activationBackwardF32(Activation act, int n, MemorySegment output, long outputOffset,
                                      MemorySegment preActivation, long preActivationOffset,
                                      MemorySegment gradOut, long gradOutOffset, MemorySegment gradIn,
                                      long gradInOffset, boolean accumulate) {
        boolean readsPre = act.backwardReadsPreActivation();
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector y = readsPre ? ZERO : load(output, outputOffset + i);
            FloatVector a = readsPre ? load(preActivation, preActivationOffset + i) : ZERO;
            FloatVector g = load(gradOut, gradOutOffset + i).mul(derivativeForBackward(act, y, a));
            if (accumulate) {
                g = g.add(load(gradIn, gradInOffset + i));
            }
            store(g, gradIn, gradInOffset + i);
        }
        if (i < n) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            FloatVector y = readsPre ? ZERO : load(output, outputOffset + i, m);
            FloatVector a = readsPre ? load(preActivation, preActivationOffset + i, m) : ZERO;
            FloatVector g = load(gradOut, gradOutOffset + i, m).mul(derivativeForBackward(act, y, a));
            if (accumulate) {
                g = g.add(load(gradIn, gradInOffset + i, m));
            }
            store(g, gradIn, gradInOffset + i, m);
        }
    }

    @Override
    public void activationBackwardF64(Activation act, int n, MemorySegment output, long outputOffset,
                                      MemorySegment preActivation, long preActivationOffset,
                                      MemorySegment gradOut, long gradOutOffset, MemorySegment gradIn,
                                      long gradInOffset, boolean accumulate) {
        F64.activationBackwardF64(act, n, output, outputOffset, preActivation, preActivationOffset, gradOut,
                gradOutOffset, gradIn, gradInOffset, accumulate);
    }

    @Override
    public void activationDerivativeF32(Activation act, int n, MemorySegment preActivation, long preActivationOffset,
                                        MemorySegment out, long outOffset) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            store(derivative(act, load(preActivation, preActivationOffset + i)), out, outOffset + i);
        }
        if (i < n) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            store(derivative(act, load(preActivation, preActivationOffset + i, m)), out, outOffset + i, m);
        }
    }

    @Override
    public void activationDerivativeF64(Activation act, int n, MemorySegment preActivation, long preActivationOffset,
                                        MemorySegment out, long outOffset) {
        F64.activationDerivativeF64(act, n, preActivation, preActivationOffset, out, outOffset);
    }

    // ---- elementwise -------------------------------------------------------------------------------------

    @Override
    public void addF32(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset, MemorySegment out, long outOffset) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            store(load(a, aOffset + i).add(load(b, bOffset + i)), out, outOffset + i);
        }
        for (; i < n; i++) {
            set(out, outOffset + i, get(a, aOffset + i) + get(b, bOffset + i));
        }
    }

    @Override
    public void addF64(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset, MemorySegment out, long outOffset) {
        F64.addF64(n, a, aOffset, b, bOffset, out, outOffset);
    }

    @Override
    public void subF32(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset, MemorySegment out, long outOffset) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            store(load(a, aOffset + i).sub(load(b, bOffset + i)), out, outOffset + i);
        }
        for (; i < n; i++) {
            set(out, outOffset + i, get(a, aOffset + i) - get(b, bOffset + i));
        }
    }

    @Override
    public void subF64(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset, MemorySegment out, long outOffset) {
        F64.subF64(n, a, aOffset, b, bOffset, out, outOffset);
    }

    @Override
    public void mulF32(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset, MemorySegment out, long outOffset) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            store(load(a, aOffset + i).mul(load(b, bOffset + i)), out, outOffset + i);
        }
        for (; i < n; i++) {
            set(out, outOffset + i, get(a, aOffset + i) * get(b, bOffset + i));
        }
    }

    @Override
    public void mulF64(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset, MemorySegment out, long outOffset) {
        F64.mulF64(n, a, aOffset, b, bOffset, out, outOffset);
    }

    @Override
    public void axpyF32(int n, float alpha, MemorySegment x, long xOffset, MemorySegment y, long yOffset) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            store(load(x, xOffset + i).mul(alpha).add(load(y, yOffset + i)), y, yOffset + i);
        }
        for (; i < n; i++) {
            set(y, yOffset + i, get(x, xOffset + i) * alpha + get(y, yOffset + i));
        }
    }

    @Override
    public void axpyF64(int n, double alpha, MemorySegment x, long xOffset, MemorySegment y, long yOffset) {
        F64.axpyF64(n, alpha, x, xOffset, y, yOffset);
    }

    @Override
    public void axpbyF32(int n, float alpha, MemorySegment x, long xOffset, float beta, MemorySegment y, long yOffset) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            store(load(x, xOffset + i).mul(alpha).add(load(y, yOffset + i).mul(beta)), y, yOffset + i);
        }
        for (; i < n; i++) {
            set(y, yOffset + i, get(x, xOffset + i) * alpha + get(y, yOffset + i) * beta);
        }
    }

    @Override
    public void axpbyF64(int n, double alpha, MemorySegment x, long xOffset, double beta, MemorySegment y, long yOffset) {
        F64.axpbyF64(n, alpha, x, xOffset, beta, y, yOffset);
    }

    @Override
    public void addProductF32(int n, float alpha, MemorySegment a, long aOffset, MemorySegment b, long bOffset,
                              MemorySegment y, long yOffset) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            store(load(a, aOffset + i).mul(alpha).mul(load(b, bOffset + i)).add(load(y, yOffset + i)), y, yOffset + i);
        }
        for (; i < n; i++) {
            set(y, yOffset + i, get(a, aOffset + i) * alpha * get(b, bOffset + i) + get(y, yOffset + i));
        }
    }

    @Override
    public void addProductF64(int n, double alpha, MemorySegment a, long aOffset, MemorySegment b, long bOffset,
                              MemorySegment y, long yOffset) {
        F64.addProductF64(n, alpha, a, aOffset, b, bOffset, y, yOffset);
    }

    @Override
    public void scaleF32(int n, float alpha, MemorySegment x, long xOffset, MemorySegment out, long outOffset) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            store(load(x, xOffset + i).mul(alpha), out, outOffset + i);
        }
        for (; i < n; i++) {
            set(out, outOffset + i, get(x, xOffset + i) * alpha);
        }
    }

    @Override
    public void scaleF64(int n, double alpha, MemorySegment x, long xOffset, MemorySegment out, long outOffset) {
        F64.scaleF64(n, alpha, x, xOffset, out, outOffset);
    }

    @Override
    public void clampF32(int n, float lo, float hi, MemorySegment x, long xOffset, MemorySegment out, long outOffset) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            store(load(x, xOffset + i).max(lo).min(hi), out, outOffset + i);
        }
        for (; i < n; i++) {
            set(out, outOffset + i, Math.min(Math.max(get(x, xOffset + i), lo), hi));
        }
    }

    @Override
    public void clampF64(int n, double lo, double hi, MemorySegment x, long xOffset, MemorySegment out, long outOffset) {
        F64.clampF64(n, lo, hi, x, xOffset, out, outOffset);
    }

    @Override
    public void expF32(int n, MemorySegment x, long xOffset, MemorySegment out, long outOffset) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            store(FloatVectorMath.exp(load(x, xOffset + i)), out, outOffset + i);
        }
        if (i < n) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            store(FloatVectorMath.exp(load(x, xOffset + i, m)), out, outOffset + i, m);
        }
    }

    @Override
    public void expF64(int n, MemorySegment x, long xOffset, MemorySegment out, long outOffset) {
        F64.expF64(n, x, xOffset, out, outOffset);
    }

    @Override
    public void copyF32(int n, MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset) {
        MemorySegment.copy(src, srcOffset * Float.BYTES, dst, dstOffset * Float.BYTES, (long) n * Float.BYTES);
    }

    @Override
    public void copyF64(int n, MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset) {
        F64.copyF64(n, src, srcOffset, dst, dstOffset);
    }

    @Override
    public void fillF32(int n, float value, MemorySegment out, long outOffset) {
        FloatVector v = FloatVector.broadcast(SPECIES, value);
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            store(v, out, outOffset + i);
        }
        for (; i < n; i++) {
            set(out, outOffset + i, value);
        }
    }

    @Override
    public void fillF64(int n, double value, MemorySegment out, long outOffset) {
        F64.fillF64(n, value, out, outOffset);
    }

    // ---- reductions --------------------------------------------------------------------------------------

    @Override
    public double sumF32(int n, MemorySegment x, long xOffset) {
        FloatVector s0 = ZERO;
        FloatVector s1 = ZERO;
        FloatVector s2 = ZERO;
        FloatVector s3 = ZERO;
        int i = 0;
        for (int bound = n - 4 * LANES; i <= bound; i += 4 * LANES) {
            s0 = s0.add(load(x, xOffset + i));
            s1 = s1.add(load(x, xOffset + i + LANES));
            s2 = s2.add(load(x, xOffset + i + 2 * LANES));
            s3 = s3.add(load(x, xOffset + i + 3 * LANES));
        }
        for (int bound = n - LANES; i <= bound; i += LANES) {
            s0 = s0.add(load(x, xOffset + i));
        }
        double s = sumLanes(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) {
            s += get(x, xOffset + i);
        }
        return s;
    }

    @Override
    public double sumF64(int n, MemorySegment x, long xOffset) {
        return F64.sumF64(n, x, xOffset);
    }

    @Override
    public double sumOfSquaresF32(int n, MemorySegment x, long xOffset) {
        FloatVector s0 = ZERO;
        FloatVector s1 = ZERO;
        FloatVector s2 = ZERO;
        FloatVector s3 = ZERO;
        int i = 0;
        for (int bound = n - 4 * LANES; i <= bound; i += 4 * LANES) {
            FloatVector v0 = load(x, xOffset + i);
            FloatVector v1 = load(x, xOffset + i + LANES);
            FloatVector v2 = load(x, xOffset + i + 2 * LANES);
            FloatVector v3 = load(x, xOffset + i + 3 * LANES);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
            s2 = v2.fma(v2, s2);
            s3 = v3.fma(v3, s3);
        }
        for (int bound = n - LANES; i <= bound; i += LANES) {
            FloatVector v = load(x, xOffset + i);
            s0 = v.fma(v, s0);
        }
        double s = sumLanes(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) {
            double v = get(x, xOffset + i);
            s += v * v;
        }
        return s;
    }

    @Override
    public double sumOfSquaresF64(int n, MemorySegment x, long xOffset) {
        return F64.sumOfSquaresF64(n, x, xOffset);
    }

    @Override
    public double dotF32(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset) {
        FloatVector s0 = ZERO;
        FloatVector s1 = ZERO;
        FloatVector s2 = ZERO;
        FloatVector s3 = ZERO;
        int i = 0;
        for (int bound = n - 4 * LANES; i <= bound; i += 4 * LANES) {
            s0 = load(a, aOffset + i).fma(load(b, bOffset + i), s0);
            s1 = load(a, aOffset + i + LANES).fma(load(b, bOffset + i + LANES), s1);
            s2 = load(a, aOffset + i + 2 * LANES).fma(load(b, bOffset + i + 2 * LANES), s2);
            s3 = load(a, aOffset + i + 3 * LANES).fma(load(b, bOffset + i + 3 * LANES), s3);
        }
        for (int bound = n - LANES; i <= bound; i += LANES) {
            s0 = load(a, aOffset + i).fma(load(b, bOffset + i), s0);
        }
        double s = sumLanes(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) {
            s += (double) get(a, aOffset + i) * get(b, bOffset + i);
        }
        return s;
    }

    @Override
    public double dotF64(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset) {
        return F64.dotF64(n, a, aOffset, b, bOffset);
    }

    @Override
    public float maxF32(int n, MemorySegment x, long xOffset) {
        FloatVector m0 = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        FloatVector m1 = m0;
        int i = 0;
        for (int bound = n - 2 * LANES; i <= bound; i += 2 * LANES) {
            m0 = m0.max(load(x, xOffset + i));
            m1 = m1.max(load(x, xOffset + i + LANES));
        }
        for (int bound = n - LANES; i <= bound; i += LANES) {
            m0 = m0.max(load(x, xOffset + i));
        }
        // max is exact and commutative (NaN wins in any order), so the lane order does not matter here.
        float m = m0.max(m1).reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            m = Math.max(m, get(x, xOffset + i));
        }
        return m;
    }

    @Override
    public double maxF64(int n, MemorySegment x, long xOffset) {
        return F64.maxF64(n, x, xOffset);
    }

    @Override
    public void rowSumsF32(int rows, int cols, MemorySegment x, long xOffset, int ldx, MemorySegment out, long outOffset,
                           boolean accumulate) {
        for (int r = 0; r < rows; r++) {
            double s = sumF32(cols, x, xOffset + (long) r * ldx);
            set(out, outOffset + r, (float) (accumulate ? get(out, outOffset + r) + s : s));
        }
    }

    @Override
    public void rowSumsF64(int rows, int cols, MemorySegment x, long xOffset, int ldx, MemorySegment out, long outOffset,
                           boolean accumulate) {
        F64.rowSumsF64(rows, cols, x, xOffset, ldx, out, outOffset, accumulate);
    }

    @Override
    public void columnSumsF32(int rows, int cols, MemorySegment x, long xOffset, int ldx, MemorySegment out,
                              long outOffset, boolean accumulate) {
        // Each column is summed in float32 down the rows in order, whichever block it falls in, so the bits of a
        // column do not depend on where the column range starts.
        int c = 0;
        for (int bound = cols - 4 * LANES; c <= bound; c += 4 * LANES) {
            long o = outOffset + c;
            FloatVector s0 = accumulate ? load(out, o) : ZERO;
            FloatVector s1 = accumulate ? load(out, o + LANES) : ZERO;
            FloatVector s2 = accumulate ? load(out, o + 2 * LANES) : ZERO;
            FloatVector s3 = accumulate ? load(out, o + 3 * LANES) : ZERO;
            for (int r = 0; r < rows; r++) {
                long e = xOffset + (long) r * ldx + c;
                s0 = s0.add(load(x, e));
                s1 = s1.add(load(x, e + LANES));
                s2 = s2.add(load(x, e + 2 * LANES));
                s3 = s3.add(load(x, e + 3 * LANES));
            }
            store(s0, out, o);
            store(s1, out, o + LANES);
            store(s2, out, o + 2 * LANES);
            store(s3, out, o + 3 * LANES);
        }
        for (; c < cols; c += LANES) {
            VectorMask<Float> m = SPECIES.indexInRange(c, cols);
            FloatVector s = accumulate ? load(out, outOffset + c, m) : ZERO;
            for (int r = 0; r < rows; r++) {
                s = s.add(load(x, xOffset + (long) r * ldx + c, m));
            }
            store(s, out, outOffset + c, m);
        }
    }

    @Override
    public void columnSumsF64(int rows, int cols, MemorySegment x, long xOffset, int ldx, MemorySegment out,
                              long outOffset, boolean accumulate) {
        F64.columnSumsF64(rows, cols, x, xOffset, ldx, out, outOffset, accumulate);
    }

    @Override
    public void rowLogSumExpF32(int rows, int cols, MemorySegment x, long xOffset, int ldx, MemorySegment out,
                                long outOffset) {
        for (int r = 0; r < rows; r++) {
            long row = xOffset + (long) r * ldx;
            float max = maxF32(cols, x, row);
            double s = 0;
            if (Float.isFinite(max)) {
                FloatVector acc = ZERO;
                int c = 0;
                for (int bound = SPECIES.loopBound(cols); c < bound; c += LANES) {
                    acc = acc.add(FloatVectorMath.exp(load(x, row + c).sub(max)));
                }
                if (c < cols) {
                    VectorMask<Float> m = SPECIES.indexInRange(c, cols);
                    acc = acc.add(FloatVectorMath.exp(load(x, row + c, m).sub(max)), m);
                }
                s = sumLanes(acc);
            }
            set(out, outOffset + r, (float) ScalarVectorKernels.logSumExpFromParts(max, s));
        }
    }

    @Override
    public void rowLogSumExpF64(int rows, int cols, MemorySegment x, long xOffset, int ldx, MemorySegment out,
                                long outOffset) {
        F64.rowLogSumExpF64(rows, cols, x, xOffset, ldx, out, outOffset);
    }

    // ---- losses ------------------------------------------------------------------------------------------

    /** max(z, 0) - z * x + log1p(e) with e = exp(-|z|). */
    private static FloatVector bceTerm(FloatVector z, FloatVector x, FloatVector e) {
        return z.max(0f).sub(z.mul(x)).add(FloatVectorMath.log1pOfUnit(e));
    }

    /** sigmoid(z) from e = exp(-|z|). */
    private static FloatVector sigmoidFromNegAbsExp(FloatVector z, FloatVector e) {
        FloatVector r = ONE.div(e.add(1f));
        return r.blend(e.mul(r), z.compare(VectorOperators.LT, 0f));
    }

    @Override
    public void bceWithLogitsF32(int rows, int cols, MemorySegment logits, long logitsOffset, int ldLogits,
                                 MemorySegment targets, long targetsOffset, int ldTargets, float gradScale,
                                 MemorySegment grad, long gradOffset, int ldGrad, MemorySegment rowLoss,
                                 long rowLossOffset) {
        int bound = SPECIES.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            long zRow = logitsOffset + (long) r * ldLogits;
            long xRow = targetsOffset + (long) r * ldTargets;
            long gRow = gradOffset + (long) r * ldGrad;
            FloatVector acc = ZERO;
            int c = 0;
            for (; c < bound; c += LANES) {
                FloatVector z = load(logits, zRow + c);
                FloatVector x = load(targets, xRow + c);
                FloatVector e = FloatVectorMath.exp(z.abs().neg());
                acc = acc.add(bceTerm(z, x, e));
                if (grad != null) {
                    store(sigmoidFromNegAbsExp(z, e).sub(x).mul(gradScale), grad, gRow + c);
                }
            }
            if (c < cols) {
                VectorMask<Float> m = SPECIES.indexInRange(c, cols);
                FloatVector z = load(logits, zRow + c, m);
                FloatVector x = load(targets, xRow + c, m);
                FloatVector e = FloatVectorMath.exp(z.abs().neg());
                // Lanes past the end hold z = x = 0, whose term is log 2, so they must not be added.
                acc = acc.add(bceTerm(z, x, e), m);
                if (grad != null) {
                    store(sigmoidFromNegAbsExp(z, e).sub(x).mul(gradScale), grad, gRow + c, m);
                }
            }
            set(rowLoss, rowLossOffset + r, (float) sumLanes(acc));
        }
    }

    @Override
    public void bceWithLogitsF64(int rows, int cols, MemorySegment logits, long logitsOffset, int ldLogits,
                                 MemorySegment targets, long targetsOffset, int ldTargets, double gradScale,
                                 MemorySegment grad, long gradOffset, int ldGrad, MemorySegment rowLoss,
                                 long rowLossOffset) {
        F64.bceWithLogitsF64(rows, cols, logits, logitsOffset, ldLogits, targets, targetsOffset, ldTargets, gradScale,
                grad, gradOffset, ldGrad, rowLoss, rowLossOffset);
    }

    @Override
    public void squaredErrorF32(int rows, int cols, MemorySegment predictions, long predictionsOffset,
                                int ldPredictions, MemorySegment targets, long targetsOffset, int ldTargets,
                                float gradScale, MemorySegment grad, long gradOffset, int ldGrad,
                                MemorySegment rowLoss, long rowLossOffset) {
        float twiceScale = 2f * gradScale;
        for (int r = 0; r < rows; r++) {
            long pRow = predictionsOffset + (long) r * ldPredictions;
            long tRow = targetsOffset + (long) r * ldTargets;
            long gRow = gradOffset + (long) r * ldGrad;
            FloatVector acc = ZERO;
            int c = 0;
            for (int bound = SPECIES.loopBound(cols); c < bound; c += LANES) {
                FloatVector d = load(predictions, pRow + c).sub(load(targets, tRow + c));
                acc = d.fma(d, acc);
                if (grad != null) {
                    store(d.mul(twiceScale), grad, gRow + c);
                }
            }
            if (c < cols) {
                // Lanes past the end load zeros, whose difference adds nothing.
                VectorMask<Float> m = SPECIES.indexInRange(c, cols);
                FloatVector d = load(predictions, pRow + c, m).sub(load(targets, tRow + c, m));
                acc = d.fma(d, acc);
                if (grad != null) {
                    store(d.mul(twiceScale), grad, gRow + c, m);
                }
            }
            set(rowLoss, rowLossOffset + r, (float) sumLanes(acc));
        }
    }

    @Override
    public void squaredErrorF64(int rows, int cols, MemorySegment predictions, long predictionsOffset,
                                int ldPredictions, MemorySegment targets, long targetsOffset, int ldTargets,
                                double gradScale, MemorySegment grad, long gradOffset, int ldGrad,
                                MemorySegment rowLoss, long rowLossOffset) {
        F64.squaredErrorF64(rows, cols, predictions, predictionsOffset, ldPredictions, targets, targetsOffset,
                ldTargets, gradScale, grad, gradOffset, ldGrad, rowLoss, rowLossOffset);
    }
}
