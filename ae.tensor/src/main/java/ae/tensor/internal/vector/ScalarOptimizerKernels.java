package ae.tensor.internal.vector;

import ae.tensor.OptimizerKernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The reference optimizer updates: PyTorch's formulas, one float32 operation at a time in PyTorch's order
 * (see {@link OptimizerKernels}). The SIMD provider performs the very same operations lane by lane.
 */
public final class ScalarOptimizerKernels implements OptimizerKernels {
    public static final ScalarOptimizerKernels INSTANCE = new ScalarOptimizerKernels();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private ScalarOptimizerKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void sgdF32(int n, MemorySegment param, long paramOffset, MemorySegment grad, long gradOffset,
                       MemorySegment momentumBuffer, long momentumBufferOffset, float lr, float momentum,
                       float dampening, float weightDecay, boolean nesterov, boolean firstStep) {
        float keep = 1f - dampening;
        for (int i = 0; i < n; i++) {
            float p = param.getAtIndex(F, paramOffset + i);
            float g = grad.getAtIndex(F, gradOffset + i);
            if (weightDecay != 0f) {
                g = g + weightDecay * p;
            }
            if (momentum != 0f) {
                long bi = momentumBufferOffset + i;
                float b = flushSubnormal(firstStep ? g : momentum * momentumBuffer.getAtIndex(F, bi) + keep * g);
                momentumBuffer.setAtIndex(F, bi, b);
                g = nesterov ? g + momentum * b : b;
            }
            param.setAtIndex(F, paramOffset + i, p - lr * g);
        }
    }

    @Override
    public void adamF32(int n, MemorySegment param, long paramOffset, MemorySegment grad, long gradOffset,
                        MemorySegment firstMoment, long firstMomentOffset, MemorySegment secondMoment,
                        long secondMomentOffset, float lr, float beta1, float beta2, float eps, float weightDecay,
                        double biasCorrection1, double biasCorrection2) {
        adam(n, param, paramOffset, grad, gradOffset, firstMoment, firstMomentOffset, secondMoment, secondMomentOffset,
                lr, beta1, beta2, eps, weightDecay, false, biasCorrection1, biasCorrection2);
    }

    @Override
    public void adamWF32(int n, MemorySegment param, long paramOffset, MemorySegment grad, long gradOffset,
                         MemorySegment firstMoment, long firstMomentOffset, MemorySegment secondMoment,
                         long secondMomentOffset, float lr, float beta1, float beta2, float eps, float weightDecay,
                         double biasCorrection1, double biasCorrection2) {
        adam(n, param, paramOffset, grad, gradOffset, firstMoment, firstMomentOffset, secondMoment, secondMomentOffset,
                lr, beta1, beta2, eps, weightDecay, true, biasCorrection1, biasCorrection2);
    }

    static void adam(int n, MemorySegment param, long paramOffset, MemorySegment grad, long gradOffset,
                             MemorySegment firstMoment, long firstMomentOffset, MemorySegment secondMoment,
                             long secondMomentOffset, float lr, float beta1, float beta2, float eps,
                             float weightDecay, boolean decoupled, double biasCorrection1, double biasCorrection2) {
        boolean lerpLow = AdamConstants.lerpLow(beta1);
        float lerpWeight = AdamConstants.lerpWeight(beta1);
        float oneMinusLerpWeight = AdamConstants.oneMinusLerpWeight(beta1);
        float oneMinusBeta2 = AdamConstants.oneMinusBeta2(beta2);
        float sqrtBc2 = AdamConstants.sqrtBiasCorrection2(biasCorrection2);
        float negStepSize = AdamConstants.negStepSize(lr, biasCorrection1);
        float decayFactor = AdamConstants.decayFactor(lr, weightDecay, decoupled);
        for (int i = 0; i < n; i++) {
            float p = param.getAtIndex(F, paramOffset + i);
            float g = grad.getAtIndex(F, gradOffset + i);
            if (decoupled) {
                p = p * decayFactor;
            } else if (weightDecay != 0f) {
                g = g + weightDecay * p;
            }
            long mi = firstMomentOffset + i;
            long vi = secondMomentOffset + i;
            float m = firstMoment.getAtIndex(F, mi);
            m = flushSubnormal(lerpLow ? m + lerpWeight * (g - m) : g - (g - m) * oneMinusLerpWeight);
            float v = flushSubnormal(secondMoment.getAtIndex(F, vi) * beta2 + oneMinusBeta2 * g * g);
            float denom = (float) Math.sqrt(v) / sqrtBc2 + eps;
            firstMoment.setAtIndex(F, mi, m);
            secondMoment.setAtIndex(F, vi, v);
            param.setAtIndex(F, paramOffset + i, p + negStepSize * (m / denom));
        }
    }

    /** Zero for a subnormal, else {@code x}: see {@link OptimizerKernels} on why optimizer state is flushed. */
    static float flushSubnormal(float x) {
        return Math.abs(x) < Float.MIN_NORMAL ? 0f : x;
    }
}
