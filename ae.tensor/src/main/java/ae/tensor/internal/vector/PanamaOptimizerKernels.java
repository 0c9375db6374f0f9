package ae.tensor.internal.vector;

import static ae.tensor.internal.vector.FloatVectorMath.SPECIES;

import ae.tensor.OptimizerKernels;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;

/**
 * Optimizer updates on float32 vectors. Each lane performs exactly the scalar reference's float32 operations
 * (no fused multiply-adds, which would round differently), so both providers produce the same bits, and the
 * tail is handed to the scalar provider. (Not a masked last step: C2 boxes a mask chosen per iteration.)
 */
public final class PanamaOptimizerKernels implements OptimizerKernels {
    public static final PanamaOptimizerKernels INSTANCE = new PanamaOptimizerKernels();
    private static final int LANES = SPECIES.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private PanamaOptimizerKernels() {
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

    @Override
    public void sgdF32(int n, MemorySegment param, long paramOffset, MemorySegment grad, long gradOffset,
                       MemorySegment momentumBuffer, long momentumBufferOffset, float lr, float momentum,
                       float dampening, float weightDecay, boolean nesterov, boolean firstStep) {
        float keep = 1f - dampening;
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector p = load(param, paramOffset + i);
            FloatVector g = load(grad, gradOffset + i);
            if (weightDecay != 0f) {
                g = g.add(p.mul(weightDecay));
            }
            if (momentum != 0f) {
                long bi = momentumBufferOffset + i;
                FloatVector b = firstStep ? g : load(momentumBuffer, bi).mul(momentum).add(g.mul(keep));
                b = b.blend(0f, b.abs().lt(Float.MIN_NORMAL));
                store(b, momentumBuffer, bi);
                g = nesterov ? g.add(b.mul(momentum)) : b;
            }
            store(p.sub(g.mul(lr)), param, paramOffset + i);
        }
        ScalarOptimizerKernels.INSTANCE.sgdF32(n - i, param, paramOffset + i, grad, gradOffset + i, momentumBuffer,
                momentumBufferOffset + i, lr, momentum, dampening, weightDecay, nesterov, firstStep);
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

    private static void adam(int n, MemorySegment param, long paramOffset, MemorySegment grad, long gradOffset,
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
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
            FloatVector p = load(param, paramOffset + i);
            FloatVector g = load(grad, gradOffset + i);
            if (decoupled) {
                p = p.mul(decayFactor);
            } else if (weightDecay != 0f) {
                g = g.add(p.mul(weightDecay));
            }
            long mi = firstMomentOffset + i;
            long vi = secondMomentOffset + i;
            FloatVector m = load(firstMoment, mi);
            m = lerpLow ? m.add(g.sub(m).mul(lerpWeight)) : g.sub(g.sub(m).mul(oneMinusLerpWeight));
            FloatVector v = load(secondMoment, vi).mul(beta2).add(g.mul(oneMinusBeta2).mul(g));
            // Flushed as the scalar reference does (see OptimizerKernels): subnormal lanes cost microcode assists.
            m = m.blend(0f, m.abs().lt(Float.MIN_NORMAL));
            v = v.blend(0f, v.abs().lt(Float.MIN_NORMAL));
            FloatVector denom = v.sqrt().div(sqrtBc2).add(eps);
            store(m, firstMoment, mi);
            store(v, secondMoment, vi);
            store(p.add(m.div(denom).mul(negStepSize)), param, paramOffset + i);
        }
        ScalarOptimizerKernels.adam(n - i, param, paramOffset + i, grad, gradOffset + i, firstMoment,
                firstMomentOffset + i, secondMoment, secondMomentOffset + i, lr, beta1, beta2, eps, weightDecay,
                decoupled, biasCorrection1, biasCorrection2);
    }
}
