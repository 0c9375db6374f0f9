package ae.tensor.internal.gemm;

import ae.tensor.ComputePool;
import ae.tensor.GemmKernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The reference GEMM: plain loops, single-threaded, one multiply-add at a time. */
public final class ScalarGemm extends GemmKernels {
    public static final ScalarGemm INSTANCE = new ScalarGemm();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    private ScalarGemm() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    protected void multiplyFloat(ComputePool pool, boolean transA, boolean transB, int m, int n, int k, float alpha,
                                 MemorySegment a, long aOffset, int lda, MemorySegment b, long bOffset, int ldb,
                                 float beta, MemorySegment c, long cOffset, int ldc) {
        for (int i = 0; i < m; i++) {
            long cRow = cOffset + (long) i * ldc;
            for (int j = 0; j < n; j++) {
                float old = beta == 0f ? 0f : beta * c.getAtIndex(F, cRow + j);
                c.setAtIndex(F, cRow + j, old);
            }
            for (int p = 0; p < k; p++) {
                long aIndex = transA ? aOffset + (long) p * lda + i : aOffset + (long) i * lda + p;
                float aip = alpha * a.getAtIndex(F, aIndex);
                if (transB) {
                    for (int j = 0; j < n; j++) {
                        float bpj = b.getAtIndex(F, bOffset + (long) j * ldb + p);
                        c.setAtIndex(F, cRow + j, c.getAtIndex(F, cRow + j) + aip * bpj);
                    }
                } else {
                    long bRow = bOffset + (long) p * ldb;
                    for (int j = 0; j < n; j++) {
                        c.setAtIndex(F, cRow + j, c.getAtIndex(F, cRow + j) + aip * b.getAtIndex(F, bRow + j));
                    }
                }
            }
        }
    }

    @Override
    protected void multiplyDouble(ComputePool pool, boolean transA, boolean transB, int m, int n, int k, double alpha,
                                  MemorySegment a, long aOffset, int lda, MemorySegment b, long bOffset, int ldb,
                                  double beta, MemorySegment c, long cOffset, int ldc) {
        for (int i = 0; i < m; i++) {
            long cRow = cOffset + (long) i * ldc;
            for (int j = 0; j < n; j++) {
                double old = beta == 0 ? 0 : beta * c.getAtIndex(D, cRow + j);
                c.setAtIndex(D, cRow + j, old);
            }
            for (int p = 0; p < k; p++) {
                long aIndex = transA ? aOffset + (long) p * lda + i : aOffset + (long) i * lda + p;
                double aip = alpha * a.getAtIndex(D, aIndex);
                if (transB) {
                    for (int j = 0; j < n; j++) {
                        double bpj = b.getAtIndex(D, bOffset + (long) j * ldb + p);
                        c.setAtIndex(D, cRow + j, c.getAtIndex(D, cRow + j) + aip * bpj);
                    }
                } else {
                    long bRow = bOffset + (long) p * ldb;
                    for (int j = 0; j < n; j++) {
                        c.setAtIndex(D, cRow + j, c.getAtIndex(D, cRow + j) + aip * b.getAtIndex(D, bRow + j));
                    }
                }
            }
        }
    }
}
