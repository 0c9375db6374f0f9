package ae.autodiff.internal;

import ae.tensor.ComputePool;
import ae.tensor.DType;
import ae.tensor.GemmKernels;
import ae.tensor.Tensor;

/** GEMM on row-major 2-D tensors, with leading dimensions taken from their row strides. */
public final class Linalg {
    private static final GemmKernels GEMM = GemmKernels.scalar();

    private Linalg() {
    }

    /** {@code c = alpha * op(a) * op(b) + beta * c}; op(a) is m x k, op(b) is k x n. */
    public static void gemm(ComputePool pool, boolean transA, boolean transB, int m, int n, int k, double alpha,
                            Tensor a, Tensor b, double beta, Tensor c) {
        if (c.dtype() == DType.F32) {
            GEMM.sgemm(pool, transA, transB, m, n, k, (float) alpha, a.segment(), a.offset(), leading(a),
                    b.segment(), b.offset(), leading(b), (float) beta, c.segment(), c.offset(), leading(c));
        } else {
            GEMM.dgemm(pool, transA, transB, m, n, k, alpha, a.segment(), a.offset(), leading(a),
                    b.segment(), b.offset(), leading(b), beta, c.segment(), c.offset(), leading(c));
        }
    }

    private static int leading(Tensor t) {
        return (int) (t.rank() == 1 ? t.dim(0) : t.stride(0));
    }
}
