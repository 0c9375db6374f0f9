package ae.tensor;

import java.lang.foreign.MemorySegment;

/**
 * In-place optimizer updates over float32 parameter, gradient and state segments ({@code n} elements from each
 * offset, offsets in elements). The kernels hold no step state: the caller passes the step's bias corrections.
 * The gradient is only read. Formulas follow PyTorch 2.x ({@code torch.optim}, single-tensor path, no amsgrad,
 * no maximize), operation by operation in float32:
 *
 * <pre>
 * SGD:   g = grad + weightDecay * p                          (when weightDecay != 0)
 *        if momentum != 0:
 *            b = firstStep ? g : momentum * b + (1 - dampening) * g
 *            g = nesterov ? g + momentum * b : b
 *        p = p - lr * g
 *
 * Adam:  g = grad + weightDecay * p                          (L2 penalty, when weightDecay != 0)
 *        m = lerp(m, g, 1 - beta1)                           (m + (1-beta1)(g-m), as torch's lerp_ for weight &lt; 0.5)
 *        v = beta2 * v + (1 - beta2) * g * g
 *        p = p - (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps)
 *
 * AdamW: p = p * (1 - lr * weightDecay)                      (decoupled decay, before the Adam step)
 *        then Adam as above with weightDecay = 0
 * </pre>
 * where {@code bc1 = 1 - beta1^t} and {@code bc2 = 1 - beta2^t} for step t = 1, 2, ... (computed in float64 by
 * the caller, as PyTorch does in Python floats). {@code lr / bc1} and {@code sqrt(bc2)} are formed in float64
 * and rounded to float32 once per call.
 *
 * <p>One departure from PyTorch: a momentum buffer or moment whose magnitude falls below {@link Float#MIN_NORMAL} is
 * stored as zero. Where the gradient stays zero (a dead ReLU unit), PyTorch's first moment decays into the
 * subnormals and sticks there (0.9 * 4 * 2^-149 rounds back to itself), and every operation on a subnormal costs a
 * microcode assist on x86: an Adam step over R2's 1.1 million parameters took 11 ms instead of 0.8. What is flushed
 * moves a parameter by less than 1e-30.
 */
public interface OptimizerKernels {
    /** Short name for reports: "simd" or "scalar". */
    String name();

    /**
     * SGD with optional momentum, dampening, Nesterov momentum and L2 weight decay. {@code momentumBuffer} is
     * unused (may be null) when {@code momentum == 0}; on the first step it is overwritten, not read.
     */
    void sgdF32(int n, MemorySegment param, long paramOffset, MemorySegment grad, long gradOffset,
                MemorySegment momentumBuffer, long momentumBufferOffset, float lr, float momentum, float dampening,
                float weightDecay, boolean nesterov, boolean firstStep);

    /** Adam with L2 weight decay folded into the gradient ({@code torch.optim.Adam}). */
    void adamF32(int n, MemorySegment param, long paramOffset, MemorySegment grad, long gradOffset,
                 MemorySegment firstMoment, long firstMomentOffset, MemorySegment secondMoment, long secondMomentOffset,
                 float lr, float beta1, float beta2, float eps, float weightDecay,
                 double biasCorrection1, double biasCorrection2);

    /** AdamW: Adam with decoupled weight decay ({@code torch.optim.AdamW}). */
    void adamWF32(int n, MemorySegment param, long paramOffset, MemorySegment grad, long gradOffset,
                  MemorySegment firstMoment, long firstMomentOffset, MemorySegment secondMoment, long secondMomentOffset,
                  float lr, float beta1, float beta2, float eps, float weightDecay,
                  double biasCorrection1, double biasCorrection2);
}
