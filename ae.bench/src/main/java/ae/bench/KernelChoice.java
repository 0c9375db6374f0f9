package ae.bench;

import ae.tensor.Kernels;

/**
 * The kernel providers a benchmark runs with, by name: "simd" (ae's Vector API kernels), "scalar" (ae's reference
 * kernels), or "openblas" (OpenBLAS's GEMM with ae's scalar elementwise and optimizer kernels, a GEMM of known speed
 * against which the rest of a step can be weighed).
 */
record KernelChoice(String name, Kernels kernels) {
    static KernelChoice named(String name, int threads) {
        return switch (name) {
            case "simd" -> new KernelChoice(name, Kernels.simd());
            case "scalar" -> new KernelChoice(name, Kernels.scalar());
            case "openblas" -> {
                OpenBlas.setThreads(threads);
                Kernels scalar = Kernels.scalar();
                yield new KernelChoice(name, new Kernels(OpenBlasGemmKernels.INSTANCE, scalar.vector(),
                        scalar.optimizer(), scalar.hamming()));
            }
            default -> throw new IllegalArgumentException("kernels must be simd, scalar or openblas, got " + name);
        };
    }
}
