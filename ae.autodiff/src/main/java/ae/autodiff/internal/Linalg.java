package ae.autodiff.internal;

import ae.tensor.ComputePool;
import ae.tensor.Gemm;
import ae.tensor.Tensor;

/** GEMM on the graph's 2-D tensors through the tensor facade (preferred kernels, shape-checked). */
public final class Linalg {
    private Linalg() {
    }

    /** {@code c = alpha * op(a) * op(b) + beta * c}. */
    public static void gemm(ComputePool pool, boolean transA, boolean transB, double alpha, Tensor a, Tensor b,
                            double beta, Tensor c) {
        Gemm.multiply(pool, alpha, a, transA, b, transB, beta, c);
    }
}
