package ae.autodiff;

import ae.tensor.Activation;
import ae.tensor.ComputePool;
import ae.tensor.DType;
import ae.tensor.Gemm;
import ae.tensor.GemmKernels;
import ae.tensor.Tensor;
import ae.tensor.TensorOps;
import ae.tensor.TensorScope;

/**
 * The memory and kernels of one graph: every buffer its operations need is allocated at build time, and every
 * operation computes with the same providers and pool.
 */
record Workspace(TensorScope scope, DType dtype, ComputePool pool, GemmKernels gemmKernels, TensorOps ops) {
    public Tensor allocate(int rows, int cols) {
        return scope.allocate(dtype, rows, cols);
    }

    /** A contiguous vector: the shape the kernels want for per-row and per-column results. */
    public Tensor allocateVector(int length) {
        return scope.allocate(dtype, length);
    }

    /** {@code out = act(x op(w) + bias)}, bias + activation fused into the product (bias may be null). */
    public void gemmBiasActivation(Tensor x, Tensor w, boolean transW, Tensor bias, Activation act, Tensor out) {
        ops.multiplyBiasActivation(gemmKernels, x, false, w, transW, bias, act, out);
    }

    /** {@code c = alpha * op(a) * op(b) + beta * c}. */
    public void gemm(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        Gemm.multiply(gemmKernels, pool, alpha, a, transA, b, transB, beta, c);
    }
}
