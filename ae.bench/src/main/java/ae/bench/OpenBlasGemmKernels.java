package ae.bench;

import ae.tensor.ComputePool;
import ae.tensor.GemmKernels;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * OpenBLAS's {@code cblas_sgemm}/{@code cblas_dgemm} behind ae's {@link GemmKernels}, so that a whole
 * training step can run with a GEMM of known speed: what a step costs besides its GEMMs (the contractive penalty,
 * for one) then shows against a realistic total. OpenBLAS runs its own threads ({@link OpenBlas#setThreads}); the
 * compute pool argument is ignored.
 */
final class OpenBlasGemmKernels extends GemmKernels {
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;
    private static final MethodHandle SGEMM;
    private static final MethodHandle DGEMM;

    static {
        // Loading the JavaCPP binding (OpenBlas's static initializer) maps libopenblas into this class loader.
        OpenBlas.coreName();
        SymbolLookup loaded = SymbolLookup.loaderLookup();
        Linker linker = Linker.nativeLinker();
        ValueLayout i = ValueLayout.JAVA_INT;
        ValueLayout p = ValueLayout.ADDRESS;
        SGEMM = linker.downcallHandle(loaded.find("cblas_sgemm").orElseThrow(), FunctionDescriptor.ofVoid(
                i, i, i, i, i, i, ValueLayout.JAVA_FLOAT, p, i, p, i, ValueLayout.JAVA_FLOAT, p, i));
        DGEMM = linker.downcallHandle(loaded.find("cblas_dgemm").orElseThrow(), FunctionDescriptor.ofVoid(
                i, i, i, i, i, i, ValueLayout.JAVA_DOUBLE, p, i, p, i, ValueLayout.JAVA_DOUBLE, p, i));
    }

    static final OpenBlasGemmKernels INSTANCE = new OpenBlasGemmKernels();

    private OpenBlasGemmKernels() {
    }

    @Override
    public String name() {
        return "openblas";
    }

    @Override
    protected void multiplyFloat(ComputePool pool, boolean transA, boolean transB, int m, int n, int k, float alpha,
                                 MemorySegment a, long aOffset, int lda, MemorySegment b, long bOffset, int ldb,
                                 float beta, MemorySegment c, long cOffset, int ldc) {
        try {
            SGEMM.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,
                    a.asSlice(aOffset * Float.BYTES), lda, b.asSlice(bOffset * Float.BYTES), ldb, beta,
                    c.asSlice(cOffset * Float.BYTES), ldc);
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_sgemm failed", e);
        }
    }

    @Override
    protected void multiplyDouble(ComputePool pool, boolean transA, boolean transB, int m, int n, int k, double alpha,
                                  MemorySegment a, long aOffset, int lda, MemorySegment b, long bOffset, int ldb,
                                  double beta, MemorySegment c, long cOffset, int ldc) {
        try {
            DGEMM.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,
                    a.asSlice(aOffset * Double.BYTES), lda, b.asSlice(bOffset * Double.BYTES), ldb, beta,
                    c.asSlice(cOffset * Double.BYTES), ldc);
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_dgemm failed", e);
        }
    }
}
