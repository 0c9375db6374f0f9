package ae.tensor.internal.gemm;

import ae.tensor.ComputePool;
import ae.tensor.GemmKernels;
import java.lang.foreign.MemorySegment;

/**
 * The Panama Vector API GEMM: packed B panels, A read in place, a register-blocked FMA micro-kernel on
 * {@code SPECIES_PREFERRED}, and a deterministic split of C over the compute pool (see {@link FloatGemm}).
 *
 * <p>Every element of C is computed by one thread, summing k in a fixed order that depends only on k, so the
 * result bits never depend on scheduling.
 */
public final class PanamaGemm implements GemmKernels {
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
    public void sgemm(ComputePool pool, boolean transA, boolean transB, int m, int n, int k, float alpha,
                      MemorySegment a, long aOffset, int lda, MemorySegment b, long bOffset, int ldb,
                      float beta, MemorySegment c, long cOffset, int ldc) {
        checkArguments(Float.BYTES, transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
        if (m >= TALL_ROWS) {
            FloatGemmTall.gemm(pool, transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset,
                    ldc);
        } else {
            FloatGemm.gemm(pool, transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset,
                    ldc);
        }
    }

    @Override
    public void dgemm(ComputePool pool, boolean transA, boolean transB, int m, int n, int k, double alpha,
                      MemorySegment a, long aOffset, int lda, MemorySegment b, long bOffset, int ldb,
                      double beta, MemorySegment c, long cOffset, int ldc) {
        checkArguments(Double.BYTES, transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
        DoubleGemm.gemm(pool, transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    /**
     * Rejects bad sizes before any element of C is written, so that a failed call leaves C untouched.
     */
    private static void checkArguments(int elementBytes, boolean transA, boolean transB, int m, int n, int k,
                                       MemorySegment a, long aOffset, int lda, MemorySegment b, long bOffset, int ldb,
                                       MemorySegment c, long cOffset, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative size: m=" + m + ", n=" + n + ", k=" + k);
        }
        checkMatrix("A", elementBytes, a, aOffset, lda, transA ? k : m, transA ? m : k);
        checkMatrix("B", elementBytes, b, bOffset, ldb, transB ? n : k, transB ? k : n);
        checkMatrix("C", elementBytes, c, cOffset, ldc, m, n);
    }

    private static void checkMatrix(String name, int elementBytes, MemorySegment x, long offset, int ld,
                                    int storedRows, int storedCols) {
        if (ld < Math.max(1, storedCols)) {
            throw new IllegalArgumentException("leading dimension of " + name + " is " + ld + " but its stored rows have "
                    + storedCols + " elements");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset of " + name + ": " + offset);
        }
        if (storedRows == 0 || storedCols == 0) {
            return;
        }
        long lastElement = offset + (long) (storedRows - 1) * ld + storedCols;
        if (lastElement * elementBytes > x.byteSize()) {
            throw new IndexOutOfBoundsException(name + " is " + storedRows + " x " + storedCols + " with leading dimension "
                    + ld + " at offset " + offset + ", which needs " + lastElement + " elements, but its segment holds "
                    + x.byteSize() / elementBytes);
        }
    }
}
