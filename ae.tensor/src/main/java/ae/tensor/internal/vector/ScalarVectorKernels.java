package ae.tensor.internal.vector;

import ae.tensor.Activation;
import ae.tensor.VectorKernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The reference provider: one element at a time, every float32 element computed in float64 and rounded once,
 * every sum accumulated in float64. The float64 methods are also the SIMD provider's float64 path.
 */
public final class ScalarVectorKernels implements VectorKernels {
    public static final ScalarVectorKernels INSTANCE = new ScalarVectorKernels();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    private ScalarVectorKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    private static float getF(MemorySegment s, long i) {
        return s.getAtIndex(F, i);
    }

    private static void setF(MemorySegment s, long i, double v) {
        s.setAtIndex(F, i, (float) v);
    }

    private static double getD(MemorySegment s, long i) {
        return s.getAtIndex(D, i);
    }

    private static void setD(MemorySegment s, long i, double v) {
        s.setAtIndex(D, i, v);
    }

    // ---- activations -------------------------------------------------------------------------------------

    @Override
    public void activationF32(Activation act, int n, MemorySegment in, long inOffset, MemorySegment out, long outOffset) {
        for (int i = 0; i < n; i++) {
            setF(out, outOffset + i, act.apply(getF(in, inOffset + i)));
        }
    }

    @Override
    public void activationF64(Activation act, int n, MemorySegment in, long inOffset, MemorySegment out, long outOffset) {
        for (int i = 0; i < n; i++) {
            setD(out, outOffset + i, act.apply(getD(in, inOffset + i)));
        }
    }

    @Override
    public void biasActivationF32(Activation act, int rows, int cols, MemorySegment in, long inOffset, int ldIn,
                                  MemorySegment bias, long biasOffset, MemorySegment out, long outOffset, int ldOut) {
        for (int r = 0; r < rows; r++) {
            long inRow = inOffset + (long) r * ldIn;
            long outRow = outOffset + (long) r * ldOut;
            for (int c = 0; c < cols; c++) {
                // The sum is rounded to float32 first, as the SIMD provider and a separate bias-add would do.
                float a = bias == null ? getF(in, inRow + c) : getF(in, inRow + c) + getF(bias, biasOffset + c);
                setF(out, outRow + c, act.apply(a));
            }
        }
    }

    @Override
    public void biasActivationF64(Activation act, int rows, int cols, MemorySegment in, long inOffset, int ldIn,
                                  MemorySegment bias, long biasOffset, MemorySegment out, long outOffset, int ldOut) {
        for (int r = 0; r < rows; r++) {
            long inRow = inOffset + (long) r * ldIn;
            long outRow = outOffset + (long) r * ldOut;
            for (int c = 0; c < cols; c++) {
                double a = bias == null ? getD(in, inRow + c) : getD(in, inRow + c) + getD(bias, biasOffset + c);
                setD(out, outRow + c, act.apply(a));
            }
        }
    }

    @Override
    public void activationBackwardF32(Activation act, int n, MemorySegment output, long outputOffset,
                                      MemorySegment preActivation, long preActivationOffset,
                                      MemorySegment gradOut, long gradOutOffset, MemorySegment gradIn,
                                      long gradInOffset, boolean accumulate) {
        boolean readsPre = act.backwardReadsPreActivation();
        for (int i = 0; i < n; i++) {
            double y = readsPre ? 0.0 : getF(output, outputOffset + i);
            double a = readsPre ? getF(preActivation, preActivationOffset + i) : 0.0;
            double g = getF(gradOut, gradOutOffset + i) * act.derivativeForBackward(y, a);
            if (accumulate) {
                g += getF(gradIn, gradInOffset + i);
            }
            setF(gradIn, gradInOffset + i, g);
        }
    }

    @Override
    public void activationBackwardF64(Activation act, int n, MemorySegment output, long outputOffset,
                                      MemorySegment preActivation, long preActivationOffset,
                                      MemorySegment gradOut, long gradOutOffset, MemorySegment gradIn,
                                      long gradInOffset, boolean accumulate) {
        boolean readsPre = act.backwardReadsPreActivation();
        for (int i = 0; i < n; i++) {
            double y = readsPre ? 0.0 : getD(output, outputOffset + i);
            double a = readsPre ? getD(preActivation, preActivationOffset + i) : 0.0;
            double g = getD(gradOut, gradOutOffset + i) * act.derivativeForBackward(y, a);
            if (accumulate) {
                g += getD(gradIn, gradInOffset + i);
            }
            setD(gradIn, gradInOffset + i, g);
        }
    }

    @Override
    public void activationDerivativeF32(Activation act, int n, MemorySegment preActivation, long preActivationOffset,
                                        MemorySegment out, long outOffset) {
        for (int i = 0; i < n; i++) {
            setF(out, outOffset + i, act.derivative(getF(preActivation, preActivationOffset + i)));
        }
    }

    @Override
    public void activationDerivativeF64(Activation act, int n, MemorySegment preActivation, long preActivationOffset,
                                        MemorySegment out, long outOffset) {
        for (int i = 0; i < n; i++) {
            setD(out, outOffset + i, act.derivative(getD(preActivation, preActivationOffset + i)));
        }
    }

    // ---- elementwise -------------------------------------------------------------------------------------

    @Override
    public void addF32(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset, MemorySegment out, long outOffset) {
        for (int i = 0; i < n; i++) {
            out.setAtIndex(F, outOffset + i, getF(a, aOffset + i) + getF(b, bOffset + i));
        }
    }

    @Override
    public void addF64(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset, MemorySegment out, long outOffset) {
        for (int i = 0; i < n; i++) {
            setD(out, outOffset + i, getD(a, aOffset + i) + getD(b, bOffset + i));
        }
    }

    @Override
    public void subF32(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset, MemorySegment out, long outOffset) {
        for (int i = 0; i < n; i++) {
            out.setAtIndex(F, outOffset + i, getF(a, aOffset + i) - getF(b, bOffset + i));
        }
    }

    @Override
    public void subF64(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset, MemorySegment out, long outOffset) {
        for (int i = 0; i < n; i++) {
            setD(out, outOffset + i, getD(a, aOffset + i) - getD(b, bOffset + i));
        }
    }

    @Override
    public void mulF32(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset, MemorySegment out, long outOffset) {
        for (int i = 0; i < n; i++) {
            out.setAtIndex(F, outOffset + i, getF(a, aOffset + i) * getF(b, bOffset + i));
        }
    }

    @Override
    public void mulF64(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset, MemorySegment out, long outOffset) {
        for (int i = 0; i < n; i++) {
            setD(out, outOffset + i, getD(a, aOffset + i) * getD(b, bOffset + i));
        }
    }

    @Override
    public void axpyF32(int n, float alpha, MemorySegment x, long xOffset, MemorySegment y, long yOffset) {
        for (int i = 0; i < n; i++) {
            setF(y, yOffset + i, getF(y, yOffset + i) + (double) alpha * getF(x, xOffset + i));
        }
    }

    @Override
    public void axpyF64(int n, double alpha, MemorySegment x, long xOffset, MemorySegment y, long yOffset) {
        for (int i = 0; i < n; i++) {
            setD(y, yOffset + i, getD(y, yOffset + i) + alpha * getD(x, xOffset + i));
        }
    }

    @Override
    public void axpbyF32(int n, float alpha, MemorySegment x, long xOffset, float beta, MemorySegment y, long yOffset) {
        for (int i = 0; i < n; i++) {
            setF(y, yOffset + i, (double) alpha * getF(x, xOffset + i) + (double) beta * getF(y, yOffset + i));
        }
    }

    @Override
    public void axpbyF64(int n, double alpha, MemorySegment x, long xOffset, double beta, MemorySegment y, long yOffset) {
        for (int i = 0; i < n; i++) {
            setD(y, yOffset + i, alpha * getD(x, xOffset + i) + beta * getD(y, yOffset + i));
        }
    }

    @Override
    public void addProductF32(int n, float alpha, MemorySegment a, long aOffset, MemorySegment b, long bOffset,
                              MemorySegment y, long yOffset) {
        for (int i = 0; i < n; i++) {
            setF(y, yOffset + i, getF(y, yOffset + i) + (double) alpha * getF(a, aOffset + i) * getF(b, bOffset + i));
        }
    }

    @Override
    public void addProductF64(int n, double alpha, MemorySegment a, long aOffset, MemorySegment b, long bOffset,
                              MemorySegment y, long yOffset) {
        for (int i = 0; i < n; i++) {
            setD(y, yOffset + i, getD(y, yOffset + i) + alpha * getD(a, aOffset + i) * getD(b, bOffset + i));
        }
    }

    @Override
    public void scaleF32(int n, float alpha, MemorySegment x, long xOffset, MemorySegment out, long outOffset) {
        for (int i = 0; i < n; i++) {
            out.setAtIndex(F, outOffset + i, alpha * getF(x, xOffset + i));
        }
    }

    @Override
    public void scaleF64(int n, double alpha, MemorySegment x, long xOffset, MemorySegment out, long outOffset) {
        for (int i = 0; i < n; i++) {
            setD(out, outOffset + i, alpha * getD(x, xOffset + i));
        }
    }

    @Override
    public void clampF32(int n, float lo, float hi, MemorySegment x, long xOffset, MemorySegment out, long outOffset) {
        for (int i = 0; i < n; i++) {
            out.setAtIndex(F, outOffset + i, Math.min(Math.max(getF(x, xOffset + i), lo), hi));
        }
    }

    @Override
    public void clampF64(int n, double lo, double hi, MemorySegment x, long xOffset, MemorySegment out, long outOffset) {
        for (int i = 0; i < n; i++) {
            setD(out, outOffset + i, Math.min(Math.max(getD(x, xOffset + i), lo), hi));
        }
    }

    @Override
    public void expF32(int n, MemorySegment x, long xOffset, MemorySegment out, long outOffset) {
        for (int i = 0; i < n; i++) {
            setF(out, outOffset + i, Math.exp(getF(x, xOffset + i)));
        }
    }

    @Override
    public void expF64(int n, MemorySegment x, long xOffset, MemorySegment out, long outOffset) {
        for (int i = 0; i < n; i++) {
            setD(out, outOffset + i, Math.exp(getD(x, xOffset + i)));
        }
    }

    @Override
    public void copyF32(int n, MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset) {
        MemorySegment.copy(src, srcOffset * Float.BYTES, dst, dstOffset * Float.BYTES, (long) n * Float.BYTES);
    }

    @Override
    public void copyF64(int n, MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset) {
        MemorySegment.copy(src, srcOffset * Double.BYTES, dst, dstOffset * Double.BYTES, (long) n * Double.BYTES);
    }

    @Override
    public void fillF32(int n, float value, MemorySegment out, long outOffset) {
        for (int i = 0; i < n; i++) {
            out.setAtIndex(F, outOffset + i, value);
        }
    }

    @Override
    public void fillF64(int n, double value, MemorySegment out, long outOffset) {
        for (int i = 0; i < n; i++) {
            setD(out, outOffset + i, value);
        }
    }

    // ---- reductions --------------------------------------------------------------------------------------

    @Override
    public double sumF32(int n, MemorySegment x, long xOffset) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += getF(x, xOffset + i);
        }
        return s;
    }

    @Override
    public double sumF64(int n, MemorySegment x, long xOffset) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += getD(x, xOffset + i);
        }
        return s;
    }

    @Override
    public double sumOfSquaresF32(int n, MemorySegment x, long xOffset) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double v = getF(x, xOffset + i);
            s += v * v;
        }
        return s;
    }

    @Override
    public double sumOfSquaresF64(int n, MemorySegment x, long xOffset) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double v = getD(x, xOffset + i);
            s += v * v;
        }
        return s;
    }

    @Override
    public double dotF32(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) getF(a, aOffset + i) * getF(b, bOffset + i);
        }
        return s;
    }

    @Override
    public double dotF64(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += getD(a, aOffset + i) * getD(b, bOffset + i);
        }
        return s;
    }

    @Override
    public float maxF32(int n, MemorySegment x, long xOffset) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, getF(x, xOffset + i));
        }
        return m;
    }

    @Override
    public double maxF64(int n, MemorySegment x, long xOffset) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, getD(x, xOffset + i));
        }
        return m;
    }

    @Override
    public void rowSumsF32(int rows, int cols, MemorySegment x, long xOffset, int ldx, MemorySegment out, long outOffset,
                           boolean accumulate) {
        for (int r = 0; r < rows; r++) {
            double s = sumF32(cols, x, xOffset + (long) r * ldx);
            setF(out, outOffset + r, accumulate ? getF(out, outOffset + r) + s : s);
        }
    }

    @Override
    public void rowSumsF64(int rows, int cols, MemorySegment x, long xOffset, int ldx, MemorySegment out, long outOffset,
                           boolean accumulate) {
        for (int r = 0; r < rows; r++) {
            double s = sumF64(cols, x, xOffset + (long) r * ldx);
            setD(out, outOffset + r, accumulate ? getD(out, outOffset + r) + s : s);
        }
    }

    @Override
    public void columnSumsF32(int rows, int cols, MemorySegment x, long xOffset, int ldx, MemorySegment out,
                              long outOffset, boolean accumulate) {
        for (int c = 0; c < cols; c++) {
            double s = accumulate ? getF(out, outOffset + c) : 0.0;
            for (int r = 0; r < rows; r++) {
                s += getF(x, xOffset + (long) r * ldx + c);
            }
            setF(out, outOffset + c, s);
        }
    }

    @Override
    public void columnSumsF64(int rows, int cols, MemorySegment x, long xOffset, int ldx, MemorySegment out,
                              long outOffset, boolean accumulate) {
        for (int c = 0; c < cols; c++) {
            double s = accumulate ? getD(out, outOffset + c) : 0.0;
            for (int r = 0; r < rows; r++) {
                s += getD(x, xOffset + (long) r * ldx + c);
            }
            setD(out, outOffset + c, s);
        }
    }

    @Override
    public void rowLogSumExpF32(int rows, int cols, MemorySegment x, long xOffset, int ldx, MemorySegment out,
                                long outOffset) {
        for (int r = 0; r < rows; r++) {
            long row = xOffset + (long) r * ldx;
            double m = maxF32(cols, x, row);
            double s = 0;
            if (Double.isFinite(m)) {
                for (int c = 0; c < cols; c++) {
                    s += Math.exp(getF(x, row + c) - m);
                }
            }
            setF(out, outOffset + r, logSumExpFromParts(m, s));
        }
    }

    @Override
    public void rowLogSumExpF64(int rows, int cols, MemorySegment x, long xOffset, int ldx, MemorySegment out,
                                long outOffset) {
        for (int r = 0; r < rows; r++) {
            long row = xOffset + (long) r * ldx;
            double m = maxF64(cols, x, row);
            double s = 0;
            if (Double.isFinite(m)) {
                for (int c = 0; c < cols; c++) {
                    s += Math.exp(getD(x, row + c) - m);
                }
            }
            setD(out, outOffset + r, logSumExpFromParts(m, s));
        }
    }

    /** m + log(s), where an infinite or NaN row maximum decides the result alone (s is then unused). */
    static double logSumExpFromParts(double m, double s) {
        return Double.isFinite(m) ? m + Math.log(s) : m;
    }

    // ---- losses ------------------------------------------------------------------------------------------

    @Override
    public void bceWithLogitsF32(int rows, int cols, MemorySegment logits, long logitsOffset, int ldLogits,
                                 MemorySegment targets, long targetsOffset, int ldTargets, float gradScale,
                                 MemorySegment grad, long gradOffset, int ldGrad, MemorySegment rowLoss,
                                 long rowLossOffset) {
        for (int r = 0; r < rows; r++) {
            double loss = 0;
            for (int c = 0; c < cols; c++) {
                double z = getF(logits, logitsOffset + (long) r * ldLogits + c);
                double x = getF(targets, targetsOffset + (long) r * ldTargets + c);
                loss += bceTerm(z, x);
                if (grad != null) {
                    setF(grad, gradOffset + (long) r * ldGrad + c, gradScale * (Activation.sigmoid(z) - x));
                }
            }
            setF(rowLoss, rowLossOffset + r, loss);
        }
    }

    @Override
    public void bceWithLogitsF64(int rows, int cols, MemorySegment logits, long logitsOffset, int ldLogits,
                                 MemorySegment targets, long targetsOffset, int ldTargets, double gradScale,
                                 MemorySegment grad, long gradOffset, int ldGrad, MemorySegment rowLoss,
                                 long rowLossOffset) {
        for (int r = 0; r < rows; r++) {
            double loss = 0;
            for (int c = 0; c < cols; c++) {
                double z = getD(logits, logitsOffset + (long) r * ldLogits + c);
                double x = getD(targets, targetsOffset + (long) r * ldTargets + c);
                loss += bceTerm(z, x);
                if (grad != null) {
                    setD(grad, gradOffset + (long) r * ldGrad + c, gradScale * (Activation.sigmoid(z) - x));
                }
            }
            setD(rowLoss, rowLossOffset + r, loss);
        }
    }

    /** -[x log sigmoid(z) + (1 - x) log(1 - sigmoid(z))], never evaluating exp of a positive number. */
    static double bceTerm(double z, double x) {
        return Math.max(z, 0.0) - z * x + Math.log1p(Math.exp(-Math.abs(z)));
    }

    @Override
    public void squaredErrorF32(int rows, int cols, MemorySegment predictions, long predictionsOffset,
                                int ldPredictions, MemorySegment targets, long targetsOffset, int ldTargets,
                                float gradScale, MemorySegment grad, long gradOffset, int ldGrad,
                                MemorySegment rowLoss, long rowLossOffset) {
        for (int r = 0; r < rows; r++) {
            double loss = 0;
            for (int c = 0; c < cols; c++) {
                double d = (double) getF(predictions, predictionsOffset + (long) r * ldPredictions + c)
                        - getF(targets, targetsOffset + (long) r * ldTargets + c);
                loss += d * d;
                if (grad != null) {
                    setF(grad, gradOffset + (long) r * ldGrad + c, 2.0 * gradScale * d);
                }
            }
            setF(rowLoss, rowLossOffset + r, loss);
        }
    }

    @Override
    public void squaredErrorF64(int rows, int cols, MemorySegment predictions, long predictionsOffset,
                                int ldPredictions, MemorySegment targets, long targetsOffset, int ldTargets,
                                double gradScale, MemorySegment grad, long gradOffset, int ldGrad,
                                MemorySegment rowLoss, long rowLossOffset) {
        for (int r = 0; r < rows; r++) {
            double loss = 0;
            for (int c = 0; c < cols; c++) {
                double d = getD(predictions, predictionsOffset + (long) r * ldPredictions + c)
                        - getD(targets, targetsOffset + (long) r * ldTargets + c);
                loss += d * d;
                if (grad != null) {
                    setD(grad, gradOffset + (long) r * ldGrad + c, 2.0 * gradScale * d);
                }
            }
            setD(rowLoss, rowLossOffset + r, loss);
        }
    }
}
