package ae.autodiff;

import ae.tensor.Tensor;

/**
 * What an operation about to contribute to a gradient may do with it: {@code overwrite} for the first contributor
 * of a backward pass, which must write every element (a GEMM with beta 0, a kernel told not to accumulate) and so
 * spares clearing the tensor first; otherwise add to what earlier contributors wrote.
 */
record GradientClaim(Tensor tensor, boolean overwrite) {
    /** The kernels' flag: true when the claim must add. */
    boolean accumulate() {
        return !overwrite;
    }
}
