package ae.tensor;

import ae.tensor.internal.gemm.PanamaGemm;
import ae.tensor.internal.gemm.ScalarGemm;
import java.lang.foreign.MemorySegment;

/**
 * General matrix multiply on row-major matrices in off-heap memory:
 * {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(X)} is X or its transpose.
 *
 * <p>{@code op(A)} is m x k, {@code op(B)} is k x n, C is m x n. Offsets and leading dimensions count elements:
 * element (i, j) of a stored matrix X is at {@code xOffset + i * ldx + j}. As in BLAS, when {@code beta == 0}
 * C is not read, so it may hold garbage or NaN. Work is split over {@code pool} deterministically: the result
 * bits depend only on the operands and {@code pool.threads()}.
 */
public interface GemmKernels {
    /** Short name for reports: "simd" or "scalar". */
    String name();

    void sgemm(ComputePool pool, boolean transA, boolean transB, int m, int n, int k, float alpha,
               MemorySegment a, long aOffset, int lda, MemorySegment b, long bOffset, int ldb,
               float beta, MemorySegment c, long cOffset, int ldc);

    void dgemm(ComputePool pool, boolean transA, boolean transB, int m, int n, int k, double alpha,
               MemorySegment a, long aOffset, int lda, MemorySegment b, long bOffset, int ldb,
               double beta, MemorySegment c, long cOffset, int ldc);

    /** The scalar reference provider. */
    static GemmKernels scalar() {
        return ScalarGemm.INSTANCE;
    }

    /** The Panama Vector API provider: cache-blocked, packed, register-tiled, multithreaded. */
    static GemmKernels simd() {
        return PanamaGemm.INSTANCE;
    }

    /** {@link #simd()} unless {@code -Dae.simd=false} asks for the scalar reference. */
    static GemmKernels preferred() {
        return KernelSelection.simdPreferred() ? simd() : scalar();
    }
}
