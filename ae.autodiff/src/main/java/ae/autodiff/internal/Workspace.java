package ae.autodiff.internal;

import ae.tensor.ComputePool;
import ae.tensor.DType;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;

/** The memory and threads of one graph: every buffer its operations need, allocated at build time. */
public record Workspace(TensorScope scope, DType dtype, ComputePool pool) {
    public Tensor allocate(int rows, int cols) {
        return scope.allocate(dtype, rows, cols);
    }
}
