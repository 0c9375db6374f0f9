package ae.autodiff.internal;

import ae.tensor.ComputePool;
import ae.tensor.DType;
import ae.tensor.Tensor;
import ae.tensor.TensorOps;
import ae.tensor.TensorScope;

/** The memory and kernels of one graph: every buffer its operations need is allocated at build time. */
public record Workspace(TensorScope scope, DType dtype, ComputePool pool, TensorOps ops) {
    public Tensor allocate(int rows, int cols) {
        return scope.allocate(dtype, rows, cols);
    }

    /** A contiguous vector: the shape the kernels want for per-row and per-column results. */
    public Tensor allocateVector(int length) {
        return scope.allocate(dtype, length);
    }
}
