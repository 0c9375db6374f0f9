package ae.tensor;

import java.lang.foreign.MemorySegment;

/**
 * General matrix multiply on row-major matrices in off-heap memory:
 * {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(X)} is X or its transpose.
 *
 * <p>{@code op(A)} is m x k, {@code op(B)} is k x n, C is m x n. Offsets and leading dimensions count elements:
 * element (i, j) of a stored matrix X is at {@code xOffset + i * ldx + j}. As in BLAS, when {@code beta == 0}
 * C is not read, so it may hold garbage or NaN. Work is split over {@code pool} deterministically: the result
 * bits depend only on the operands and {@code pool.threads()}.
 *
 * <p>Bad sizes, offsets or leading dimensions are rejected here, for every provider, before the provider runs: a
 * failed call leaves C untouched. Providers implement {@link #multiplyFloat} and {@link #multiplyDouble}, which may
 * assume valid arguments. Choose providers through {@link Kernels}.
 */
public abstract class GemmKernels {
    /** For providers; choose one through {@link Kernels}. */
    protected GemmKernels() {
    }

    /** Short name for reports: "simd" or "scalar". */
    public abstract String name();

    /**
     * Elementwise work on finished parts of C, given to {@link #sgemm(ComputePool, boolean, boolean, int, int, int,
     * float, MemorySegment, long, int, MemorySegment, long, int, float, MemorySegment, long, int, Epilogue)}: a
     * provider that splits C over threads runs it on each thread's rectangle as soon as that thread has finished it,
     * while the values are in its cache and without another fork and join. The rectangles cover C once; the work must
     * give the same bits whichever rectangles C is cut into.
     */
    @FunctionalInterface
    public interface Epilogue {
        /** Applies the work to rows [rowFrom, rowTo) x columns [colFrom, colTo) of C, which are final. */
        void apply(int rowFrom, int rowTo, int colFrom, int colTo);
    }

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} in float32 (see the class comment for the layout). Throws
     * {@link IllegalArgumentException} for sizes, offsets or leading dimensions the segments cannot hold, before C is
     * touched.
     */
    public final void sgemm(ComputePool pool, boolean transA, boolean transB, int m, int n, int k, float alpha,
                            MemorySegment a, long aOffset, int lda, MemorySegment b, long bOffset, int ldb,
                            float beta, MemorySegment c, long cOffset, int ldc) {
        checkArguments(Float.BYTES, transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
        multiplyFloat(pool, transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    /**
     * {@link #sgemm(ComputePool, boolean, boolean, int, int, int, float, MemorySegment, long, int, MemorySegment,
     * long, int, float, MemorySegment, long, int)}, then {@code epilogue} (if not null) on every part of C, each part
     * on the thread that computed it.
     */
    public final void sgemm(ComputePool pool, boolean transA, boolean transB, int m, int n, int k, float alpha,
                            MemorySegment a, long aOffset, int lda, MemorySegment b, long bOffset, int ldb,
                            float beta, MemorySegment c, long cOffset, int ldc, Epilogue epilogue) {
        checkArguments(Float.BYTES, transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
        multiplyFloat(pool, transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc,
                epilogue);
    }

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} in float64 (see the class comment for the layout). Throws
     * {@link IllegalArgumentException} for sizes, offsets or leading dimensions the segments cannot hold, before C is
     * touched.
     */
    public final void dgemm(ComputePool pool, boolean transA, boolean transB, int m, int n, int k, double alpha,
                            MemorySegment a, long aOffset, int lda, MemorySegment b, long bOffset, int ldb,
                            double beta, MemorySegment c, long cOffset, int ldc) {
        checkArguments(Double.BYTES, transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
        multiplyDouble(pool, transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    /** {@link #sgemm} on arguments already checked. */
    protected abstract void multiplyFloat(ComputePool pool, boolean transA, boolean transB, int m, int n, int k,
                                          float alpha, MemorySegment a, long aOffset, int lda, MemorySegment b,
                                          long bOffset, int ldb, float beta, MemorySegment c, long cOffset, int ldc);

    /**
     * {@link #sgemm} with an epilogue (may be null), on arguments already checked. This default multiplies, then runs
     * the epilogue on the whole of C on the calling thread; a provider that splits C overrides it.
     */
    protected void multiplyFloat(ComputePool pool, boolean transA, boolean transB, int m, int n, int k, float alpha,
                                 MemorySegment a, long aOffset, int lda, MemorySegment b, long bOffset, int ldb,
                                 float beta, MemorySegment c, long cOffset, int ldc, Epilogue epilogue) {
        multiplyFloat(pool, transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
        if (epilogue != null && m > 0 && n > 0) {
            epilogue.apply(0, m, 0, n);
        }
    }

    /** {@link #dgemm} on arguments already checked. */
    protected abstract void multiplyDouble(ComputePool pool, boolean transA, boolean transB, int m, int n, int k,
                                           double alpha, MemorySegment a, long aOffset, int lda, MemorySegment b,
                                           long bOffset, int ldb, double beta, MemorySegment c, long cOffset, int ldc);

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
