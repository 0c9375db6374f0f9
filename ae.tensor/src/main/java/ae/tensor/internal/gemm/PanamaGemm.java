package ae.tensor.internal.gemm;

import ae.tensor.ComputePool;
import ae.tensor.GemmKernels;
import java.lang.foreign.MemorySegment;

/**
 * The Panama Vector API GEMM: alpha * op(B) packed into panels, op(A) packed into tiles, a register-blocked FMA
 * micro-kernel on {@code SPECIES_PREFERRED}, and a deterministic split of C over the compute pool (see
 * {@link FloatGemm}).
 *
 * <p>Every element of C is computed by one thread, summing k in a fixed order that depends only on k, so the
 * result bits never depend on scheduling.
 */
public final class PanamaGemm extends GemmKernels {
    public static final PanamaGemm INSTANCE = new PanamaGemm();
    /**
     * From this many rows of C on, float32 uses {@link FloatGemmTall}'s 12-row tiles: there its partial last tile
     * wastes under 1% and the measured gain was 3-9% at 1024^3, while below (the workloads' 128 to 784 rows, all
     * multiples of 8) the 8-row tiles of {@link FloatGemm} were as fast or faster.
     */
    static final int TALL_ROWS = 1024;

    private PanamaGemm() {
    }

    @Override
    public String name() {
        return "simd";
    }

    @Override
    protected void multiplyFloat(ComputePool pool, boolean transA, boolean transB, int m, int n, int k, float alpha,
                                 MemorySegment a, long aOffset, int lda, MemorySegment b, long bOffset, int ldb,
                                 float beta, MemorySegment c, long cOffset, int ldc) {
        multiplyFloat(pool, transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc,
                null);
    }

    @Override
    protected void multiplyFloat(ComputePool pool, boolean transA, boolean transB, int m, int n, int k, float alpha,
                                 MemorySegment a, long aOffset, int lda, MemorySegment b, long bOffset, int ldb,
                                 float beta, MemorySegment c, long cOffset, int ldc, Epilogue epilogue) {
        if (m >= TALL_ROWS) {
            FloatGemmTall.gemm(pool, transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset,
                    ldc, epilogue);
        } else {
            FloatGemm.gemm(pool, transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset,
                    ldc, epilogue);
        }
    }

    @Override
    protected void multiplyDouble(ComputePool pool, boolean transA, boolean transB, int m, int n, int k, double alpha,
                                  MemorySegment a, long aOffset, int lda, MemorySegment b, long bOffset, int ldb,
                                  double beta, MemorySegment c, long cOffset, int ldc) {
        DoubleGemm.gemm(pool, transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc,
                null);
    }
}
