package ae.bench;

import ae.tensor.GemmKernels;
import ae.tensor.OptimizerKernels;
import ae.tensor.VectorKernels;

/**
 * The kernel providers a benchmark runs with, by name: "simd" (ae's Vector API kernels), "scalar" (ae's reference
 * kernels), or "openblas" (OpenBLAS's GEMM with ae's scalar elementwise and optimizer kernels, a GEMM of known speed
 * against which the rest of a step can be weighed).
 */
record Kernels(String name, GemmKernels gemm, VectorKernels vector, OptimizerKernels optimizer) {
    static Kernels named(String name, int threads) {
        return switch (name) {
            case "simd" -> new Kernels(name, GemmKernels.simd(), VectorKernels.simd(), OptimizerKernels.simd());
            case "scalar" -> new Kernels(name, GemmKernels.scalar(), VectorKernels.scalar(), OptimizerKernels.scalar());
            case "openblas" -> {
                OpenBlas.setThreads(threads);
                yield new Kernels(name, OpenBlasGemmKernels.INSTANCE, VectorKernels.scalar(),
                        OptimizerKernels.scalar());
            }
            default -> throw new IllegalArgumentException("kernels must be simd, scalar or openblas, got " + name);
        };
    }
}
