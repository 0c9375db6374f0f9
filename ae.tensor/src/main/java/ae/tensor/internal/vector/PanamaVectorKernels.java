package ae.tensor.internal.vector;

import static ae.tensor.internal.vector.FloatVectorMath.SPECIES;

import ae.tensor.Activation;
import ae.tensor.VectorKernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The Panama Vector API provider, in the style of Lucene's Panama vector support: a vector main loop, several
 * accumulators in reductions so that consecutive adds do not wait on each other, and a scalar tail that computes
 * each element exactly as a vector lane would (the same float32 operations in the same order; for the
 * transcendental functions, the scalar twins in {@link FloatVectorMath}). The activation loops live in
 * {@link ActivationLoops}, which explains why they are one class per activation.
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
    // No ZERO constant: a loop-carried accumulator that starts from a static final vector is boxed on every
    // iteration (measured: one 96-byte box per step); FloatVector.zero(SPECIES) starts it as a register.
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

    private static void store(FloatVector v, MemorySegment s, long element) {
        v.intoMemorySegment(s, element * Float.BYTES, ORDER);
    }

    private static float get(MemorySegment s, long element) {
        return s.getAtIndex(F, element);
    }

    private static void set(MemorySegment s, long element, float v) {
        s.setAtIndex(F, element, v);
    }

    // ---- activations (loops per activation in ActivationLoops) -------------------------------------------

    @Override
    public void activationF32(Activation act, int n, MemorySegment in, long inOffset, MemorySegment out, long outOffset) {
        ActivationLoops.of(act).forward(1, n, in, inOffset, n, null, 0, out, outOffset, n);
    }

    @Override
    public void activationF64(Activation act, int n, MemorySegment in, long inOffset, MemorySegment out, long outOffset) {
        F64.activationF64(act, n, in, inOffset, out, outOffset);
    }

    @Override
    public void biasActivationF32(Activation act, int rows, int cols, MemorySegment in, long inOffset, int ldIn,
                                  MemorySegment bias, long biasOffset, MemorySegment out, long outOffset, int ldOut) {
        ActivationLoops.of(act).forward(rows, cols, in, inOffset, ldIn, bias, biasOffset, out, outOffset, ldOut);
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
        ActivationLoops.of(act).backward(n, output, outputOffset, preActivation, preActivationOffset, gradOut,
                gradOutOffset, gradIn, gradInOffset, accumulate);
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
        ActivationLoops.of(act).derivative(n, preActivation, preActivationOffset, out, outOffset);
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
            FloatVector v = FloatVector.fromMemorySegment(SPECIES, x, (xOffset + i) * Float.BYTES, ORDER);
            FloatVectorMath.exp(v).intoMemorySegment(out, (outOffset + i) * Float.BYTES, ORDER);
        }
        for (; i < n; i++) {
            set(out, outOffset + i, FloatVectorMath.exp(get(x, xOffset + i)));
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
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = FloatVector.zero(SPECIES);
        FloatVector s2 = FloatVector.zero(SPECIES);
        FloatVector s3 = FloatVector.zero(SPECIES);
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
        // Lanes summed here, lane 0 first, rather than by a helper taking the vector: C2 does not always
        // inline such a helper, and then boxes the vector at every call.
        FloatVector total = s0.add(s1).add(s2.add(s3));
        double s = 0;
        for (int l = 0; l < LANES; l++) {
            s += total.lane(l);
        }
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
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = FloatVector.zero(SPECIES);
        FloatVector s2 = FloatVector.zero(SPECIES);
        FloatVector s3 = FloatVector.zero(SPECIES);
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
        // Lanes summed here, lane 0 first, rather than by a helper taking the vector: C2 does not always
        // inline such a helper, and then boxes the vector at every call.
        FloatVector total = s0.add(s1).add(s2.add(s3));
        double s = 0;
        for (int l = 0; l < LANES; l++) {
            s += total.lane(l);
        }
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
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = FloatVector.zero(SPECIES);
        FloatVector s2 = FloatVector.zero(SPECIES);
        FloatVector s3 = FloatVector.zero(SPECIES);
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
        // Lanes summed here, lane 0 first, rather than by a helper taking the vector: C2 does not always
        // inline such a helper, and then boxes the vector at every call.
        FloatVector total = s0.add(s1).add(s2.add(s3));
        double s = 0;
        for (int l = 0; l < LANES; l++) {
            s += total.lane(l);
        }
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
        // column do not depend on where the column range starts. The previous output is added after the rows:
        // an accumulator that starts from "accumulate ? load : zero" is boxed on every step by C2.
        int c = 0;
        for (int bound = cols - 4 * LANES; c <= bound; c += 4 * LANES) {
            FloatVector s0 = FloatVector.zero(SPECIES);
            FloatVector s1 = FloatVector.zero(SPECIES);
            FloatVector s2 = FloatVector.zero(SPECIES);
            FloatVector s3 = FloatVector.zero(SPECIES);
            for (int r = 0; r < rows; r++) {
                long e = xOffset + (long) r * ldx + c;
                s0 = s0.add(load(x, e));
                s1 = s1.add(load(x, e + LANES));
                s2 = s2.add(load(x, e + 2 * LANES));
                s3 = s3.add(load(x, e + 3 * LANES));
            }
            long o = outOffset + c;
            // A store in each branch: a vector variable assigned in one branch only was boxed by C2.
            if (accumulate) {
                store(load(out, o).add(s0), out, o);
                store(load(out, o + LANES).add(s1), out, o + LANES);
                store(load(out, o + 2 * LANES).add(s2), out, o + 2 * LANES);
                store(load(out, o + 3 * LANES).add(s3), out, o + 3 * LANES);
            } else {
                store(s0, out, o);
                store(s1, out, o + LANES);
                store(s2, out, o + 2 * LANES);
                store(s3, out, o + 3 * LANES);
            }
        }
        // The last cols % (4 * LANES) columns are summed one at a time: a loop over rows carrying one vector
        // accumulator was compiled by C2 with the accumulator boxed, 96 bytes per row, and these few columns cost
        // nothing next to the product that made the gradient.
        for (; c < cols; c++) {
            float s = 0f;
            for (int r = 0; r < rows; r++) {
                s += get(x, xOffset + (long) r * ldx + c);
            }
            set(out, outOffset + c, accumulate ? get(out, outOffset + c) + s : s);
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
        int bound = SPECIES.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            long row = xOffset + (long) r * ldx;
            float max = maxF32(cols, x, row);
            double s = 0;
            if (Float.isFinite(max)) {
                FloatVector acc = FloatVector.zero(SPECIES);
                int c = 0;
                for (; c < bound; c += LANES) {
                    FloatVector v = FloatVector.fromMemorySegment(SPECIES, x, (row + c) * Float.BYTES, ORDER);
                    acc = acc.add(FloatVectorMath.exp(v.sub(max)));
                }
                // Lanes summed here rather than by a helper: see the comment in bceWithLogitsF32.
                for (int l = 0; l < LANES; l++) {
                    s += acc.lane(l);
                }
                for (; c < cols; c++) {
                    s += FloatVectorMath.exp(get(x, row + c) - max);
                }
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

    @Override
    public void bceWithLogitsF32(int rows, int cols, MemorySegment logits, long logitsOffset, int ldLogits,
                                 MemorySegment targets, long targetsOffset, int ldTargets, float gradScale,
                                 MemorySegment grad, long gradOffset, int ldGrad, MemorySegment rowLoss,
                                 long rowLossOffset) {
        // Two vector passes per row, the loss (softplus) and the gradient (exp and a division), each in its
        // own method with only scalar parameters: fused into one loop they exceed C2's inlining budget and the
        // vectors get boxed (see ActivationLoops). The row is still in L1 for the second pass.
        for (int r = 0; r < rows; r++) {
            long zRow = logitsOffset + (long) r * ldLogits;
            long xRow = targetsOffset + (long) r * ldTargets;
            set(rowLoss, rowLossOffset + r, (float) bceRowLoss(cols, logits, zRow, targets, xRow));
            if (grad != null) {
                bceRowGradient(cols, logits, zRow, targets, xRow, gradScale, grad, gradOffset + (long) r * ldGrad);
            }
        }
    }

    /** sum_j softplus(z) - z x (= max(z, 0) - z x + log1p(exp(-|z|))) over one row. */
    private static double bceRowLoss(int cols, MemorySegment logits, long zRow, MemorySegment targets, long xRow) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int c = 0;
        for (int bound = SPECIES.loopBound(cols); c < bound; c += LANES) {
            FloatVector z = FloatVector.fromMemorySegment(SPECIES, logits, (zRow + c) * Float.BYTES, ORDER);
            FloatVector x = FloatVector.fromMemorySegment(SPECIES, targets, (xRow + c) * Float.BYTES, ORDER);
            // softplus(z) - z x = max(z, 0) - z x + log1p(exp(-|z|)), through the one call that C2 is known to
            // inline whole here (the same as the softplus activation loop).
            acc = acc.add(FloatVectorMath.softplus(z).sub(z.mul(x)));
        }
        // Lanes summed inline, not by a helper: a call of ours taking a vector, parsed after the polynomials,
        // would not be inlined and would box the vector.
        double loss = 0;
        for (int l = 0; l < LANES; l++) {
            loss += acc.lane(l);
        }
        for (; c < cols; c++) {
            float z = get(logits, zRow + c);
            float x = get(targets, xRow + c);
            loss += FloatVectorMath.softplus(z) - z * x;
        }
        return loss;
    }

    /** grad = gradScale * (sigmoid(z) - x) over one row, sigmoid(z) = (z &lt; 0 ? e : 1) / (1 + e), e = exp(-|z|). */
    private static void bceRowGradient(int cols, MemorySegment logits, long zRow, MemorySegment targets, long xRow,
                                       float gradScale, MemorySegment grad, long gRow) {
        int c = 0;
        for (int bound = SPECIES.loopBound(cols); c < bound; c += LANES) {
            FloatVector z = FloatVector.fromMemorySegment(SPECIES, logits, (zRow + c) * Float.BYTES, ORDER);
            FloatVector e = FloatVectorMath.exp(z.abs().neg());
            FloatVector x = FloatVector.fromMemorySegment(SPECIES, targets, (xRow + c) * Float.BYTES, ORDER);
            FloatVector inv = ONE.div(e.add(1f));
            FloatVector sigmoid = inv.blend(e.mul(inv), z.compare(VectorOperators.LT, 0f));
            sigmoid.sub(x).mul(gradScale).intoMemorySegment(grad, (gRow + c) * Float.BYTES, ORDER);
        }
        for (; c < cols; c++) {
            float z = get(logits, zRow + c);
            float e = FloatVectorMath.exp(-Math.abs(z));
            float inv = 1f / (e + 1f);
            float sigmoid = z < 0f ? e * inv : inv;
            set(grad, gRow + c, (sigmoid - get(targets, xRow + c)) * gradScale);
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
            FloatVector acc = FloatVector.zero(SPECIES);
            int c = 0;
            for (int bound = SPECIES.loopBound(cols); c < bound; c += LANES) {
                FloatVector d = load(predictions, pRow + c).sub(load(targets, tRow + c));
                acc = d.fma(d, acc);
                if (grad != null) {
                    store(d.mul(twiceScale), grad, gRow + c);
                }
            }
            double loss = 0; // lanes summed here, lane 0 first: see sumF32
            for (int l = 0; l < LANES; l++) {
                loss += acc.lane(l);
            }
            for (; c < cols; c++) {
                float d = get(predictions, pRow + c) - get(targets, tRow + c);
                loss += (double) d * d;
                if (grad != null) {
                    set(grad, gRow + c, d * twiceScale);
                }
            }
            set(rowLoss, rowLossOffset + r, (float) loss);
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
