/** Off-heap tensors and the SIMD kernels every other ae module computes with. */
module ae.tensor {
    requires jdk.incubator.vector;
    exports ae.tensor;
}
