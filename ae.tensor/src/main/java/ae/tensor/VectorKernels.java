package ae.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Every non-GEMM kernel on off-heap float32 ({@code ...F32}) and float64 ({@code ...F64}) data: activations and
 * their derivatives, elementwise arithmetic, reductions, and losses.
 *
 * <p>Conventions, as for {@link GemmKernels}: offsets, counts and leading dimensions count elements, not bytes.
 * A flat kernel touches elements {@code offset .. offset + n - 1}; a matrix kernel reads element (i, j) of a
 * row-major matrix X at {@code xOffset + i * ldx + j}. An output may be the very same elements as an input
 * (in-place: same segment, same offset, same leading dimension) but must not partially overlap one.
 * Kernels run on the calling thread; {@link TensorOps} splits work over a {@link ComputePool}.
 *
 * <p>Accuracy: the scalar provider computes every element in float64 and rounds once, and accumulates sums in
 * float64, so it is the reference. The SIMD provider's float32 transcendental functions (exp, log1p, tanh,
 * sigmoid, softplus) are polynomial approximations within a few ulp; its float32 reductions use several float32
 * vector accumulators (summed lane by lane, in a fixed order, in float64) - the error grows with the length like
 * any float32 sum but the result bits are reproducible. Row and column sums accumulate in float32.
 *
 * <p>Determinism: in the SIMD provider each element's result depends only on its inputs, never on its position
 * relative to a vector boundary (tails perform the identical float32 operations in scalar form), so
 * splitting the work anywhere gives the same bits.
 */
public interface VectorKernels {
    /** Short name for reports: "simd" or "scalar". */
    String name();

    // ---- activations -------------------------------------------------------------------------------------

    /** out = act(in), n elements. */
    void activationF32(Activation act, int n, MemorySegment in, long inOffset, MemorySegment out, long outOffset);

    /** The float64 twin of {@link #activationF32}. */
    void activationF64(Activation act, int n, MemorySegment in, long inOffset, MemorySegment out, long outOffset);

    /** out(i, j) = act(in(i, j) + bias(j)) over a rows x cols matrix; {@code bias} may be null (no bias). */
    void biasActivationF32(Activation act, int rows, int cols, MemorySegment in, long inOffset, int ldIn,
                           MemorySegment bias, long biasOffset, MemorySegment out, long outOffset, int ldOut);

    /** The float64 twin of {@link #biasActivationF32}. */
    void biasActivationF64(Activation act, int rows, int cols, MemorySegment in, long inOffset, int ldIn,
                           MemorySegment bias, long biasOffset, MemorySegment out, long outOffset, int ldOut);

    /**
     * gradIn = gradOut * act'(a) (or gradIn += ... when {@code accumulate}), with act'(a) computed as
     * {@link Activation#derivativeForBackward}: from the activation output for every activation except softplus,
     * which reads the pre-activation. The one not read may be null.
     */
    void activationBackwardF32(Activation act, int n, MemorySegment output, long outputOffset,
                               MemorySegment preActivation, long preActivationOffset,
                               MemorySegment gradOut, long gradOutOffset, MemorySegment gradIn, long gradInOffset,
                               boolean accumulate);

    /** The float64 twin of {@link #activationBackwardF32}. */
    void activationBackwardF64(Activation act, int n, MemorySegment output, long outputOffset,
                               MemorySegment preActivation, long preActivationOffset,
                               MemorySegment gradOut, long gradOutOffset, MemorySegment gradIn, long gradInOffset,
                               boolean accumulate);

    /** out = act'(a) from the pre-activation (the contractive penalty squares it). */
    void activationDerivativeF32(Activation act, int n, MemorySegment preActivation, long preActivationOffset,
                                 MemorySegment out, long outOffset);

    /** The float64 twin of {@link #activationDerivativeF32}. */
    void activationDerivativeF64(Activation act, int n, MemorySegment preActivation, long preActivationOffset,
                                 MemorySegment out, long outOffset);

    // ---- elementwise -------------------------------------------------------------------------------------

    /** out = a + b. */
    void addF32(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset, MemorySegment out, long outOffset);

    /** The float64 twin of {@link #addF32}. */
    void addF64(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset, MemorySegment out, long outOffset);

    /** out = a - b. */
    void subF32(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset, MemorySegment out, long outOffset);

    /** The float64 twin of {@link #subF32}. */
    void subF64(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset, MemorySegment out, long outOffset);

    /** out = a * b. */
    void mulF32(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset, MemorySegment out, long outOffset);

    /** The float64 twin of {@link #mulF32}. */
    void mulF64(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset, MemorySegment out, long outOffset);

    /** y = y + alpha * x. */
    void axpyF32(int n, float alpha, MemorySegment x, long xOffset, MemorySegment y, long yOffset);

    /** The float64 twin of {@link #axpyF32}. */
    void axpyF64(int n, double alpha, MemorySegment x, long xOffset, MemorySegment y, long yOffset);

    /** y = alpha * x + beta * y. */
    void axpbyF32(int n, float alpha, MemorySegment x, long xOffset, float beta, MemorySegment y, long yOffset);

    /** The float64 twin of {@link #axpbyF32}. */
    void axpbyF64(int n, double alpha, MemorySegment x, long xOffset, double beta, MemorySegment y, long yOffset);

    /** y = y + alpha * a * b (the product rule's accumulation). */
    void addProductF32(int n, float alpha, MemorySegment a, long aOffset, MemorySegment b, long bOffset,
                       MemorySegment y, long yOffset);

    /** The float64 twin of {@link #addProductF32}. */
    void addProductF64(int n, double alpha, MemorySegment a, long aOffset, MemorySegment b, long bOffset,
                       MemorySegment y, long yOffset);

    /** out = alpha * x. */
    void scaleF32(int n, float alpha, MemorySegment x, long xOffset, MemorySegment out, long outOffset);

    /** The float64 twin of {@link #scaleF32}. */
    void scaleF64(int n, double alpha, MemorySegment x, long xOffset, MemorySegment out, long outOffset);

    /** out = min(max(x, lo), hi); NaN stays NaN. */
    void clampF32(int n, float lo, float hi, MemorySegment x, long xOffset, MemorySegment out, long outOffset);

    /** The float64 twin of {@link #clampF32}. */
    void clampF64(int n, double lo, double hi, MemorySegment x, long xOffset, MemorySegment out, long outOffset);

    /** out = exp(x) (the VAE's reparameterization and KL term need it). */
    void expF32(int n, MemorySegment x, long xOffset, MemorySegment out, long outOffset);

    /** The float64 twin of {@link #expF32}. */
    void expF64(int n, MemorySegment x, long xOffset, MemorySegment out, long outOffset);

    /** dst = src. */
    void copyF32(int n, MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset);

    /** The float64 twin of {@link #copyF32}. */
    void copyF64(int n, MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset);

    /** out = value. */
    void fillF32(int n, float value, MemorySegment out, long outOffset);

    /** The float64 twin of {@link #fillF32}. */
    void fillF64(int n, double value, MemorySegment out, long outOffset);

    // ---- reductions --------------------------------------------------------------------------------------

    /** Sum of x (0 for n = 0). */
    double sumF32(int n, MemorySegment x, long xOffset);

    /** The float64 twin of {@link #sumF32}. */
    double sumF64(int n, MemorySegment x, long xOffset);

    /** Sum of x^2. */
    double sumOfSquaresF32(int n, MemorySegment x, long xOffset);

    /** The float64 twin of {@link #sumOfSquaresF32}. */
    double sumOfSquaresF64(int n, MemorySegment x, long xOffset);

    /** Sum of a * b. */
    double dotF32(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset);

    /** The float64 twin of {@link #dotF32}. */
    double dotF64(int n, MemorySegment a, long aOffset, MemorySegment b, long bOffset);

    /** Largest element; NaN if any element is NaN; negative infinity for n = 0. */
    float maxF32(int n, MemorySegment x, long xOffset);

    /** The float64 twin of {@link #maxF32}. */
    double maxF64(int n, MemorySegment x, long xOffset);

    /** out(i) = sum_j x(i, j) (or out(i) += ... when {@code accumulate}). */
    void rowSumsF32(int rows, int cols, MemorySegment x, long xOffset, int ldx, MemorySegment out, long outOffset,
                    boolean accumulate);

    /** The float64 twin of {@link #rowSumsF32}. */
    void rowSumsF64(int rows, int cols, MemorySegment x, long xOffset, int ldx, MemorySegment out, long outOffset,
                    boolean accumulate);

    /** out(j) = sum_i x(i, j) (or out(j) += ... when {@code accumulate}): bias gradients. */
    void columnSumsF32(int rows, int cols, MemorySegment x, long xOffset, int ldx, MemorySegment out, long outOffset,
                       boolean accumulate);

    /** The float64 twin of {@link #columnSumsF32}. */
    void columnSumsF64(int rows, int cols, MemorySegment x, long xOffset, int ldx, MemorySegment out, long outOffset,
                       boolean accumulate);

    /** out(i) = log sum_j exp(x(i, j)), computed as m + log sum_j exp(x(i, j) - m) with m the row maximum. */
    void rowLogSumExpF32(int rows, int cols, MemorySegment x, long xOffset, int ldx, MemorySegment out, long outOffset);

    /** The float64 twin of {@link #rowLogSumExpF32}. */
    void rowLogSumExpF64(int rows, int cols, MemorySegment x, long xOffset, int ldx, MemorySegment out, long outOffset);

    // ---- losses ------------------------------------------------------------------------------------------

    /**
     * Binary cross-entropy from logits z against targets x in [0, 1], in one pass:
     * {@code rowLoss(i) = sum_j max(z, 0) - z * x + log1p(exp(-|z|))} and, unless {@code grad} is null,
     * {@code grad(i, j) = gradScale * (sigmoid(z) - x)} (pass 1/batch for a batch mean).
     */
    void bceWithLogitsF32(int rows, int cols, MemorySegment logits, long logitsOffset, int ldLogits,
                          MemorySegment targets, long targetsOffset, int ldTargets, float gradScale,
                          MemorySegment grad, long gradOffset, int ldGrad, MemorySegment rowLoss, long rowLossOffset);

    /** The float64 twin of {@link #bceWithLogitsF32}. */
    void bceWithLogitsF64(int rows, int cols, MemorySegment logits, long logitsOffset, int ldLogits,
                          MemorySegment targets, long targetsOffset, int ldTargets, double gradScale,
                          MemorySegment grad, long gradOffset, int ldGrad, MemorySegment rowLoss, long rowLossOffset);

    /**
     * Squared error, in one pass: {@code rowLoss(i) = sum_j (p - t)^2} and, unless {@code grad} is null,
     * {@code grad(i, j) = gradScale * 2 * (p - t)}.
     */
    void squaredErrorF32(int rows, int cols, MemorySegment predictions, long predictionsOffset, int ldPredictions,
                         MemorySegment targets, long targetsOffset, int ldTargets, float gradScale,
                         MemorySegment grad, long gradOffset, int ldGrad, MemorySegment rowLoss, long rowLossOffset);

    /** The float64 twin of {@link #squaredErrorF32}. */
    void squaredErrorF64(int rows, int cols, MemorySegment predictions, long predictionsOffset, int ldPredictions,
                         MemorySegment targets, long targetsOffset, int ldTargets, double gradScale,
                         MemorySegment grad, long gradOffset, int ldGrad, MemorySegment rowLoss, long rowLossOffset);
}
