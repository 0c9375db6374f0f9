package ae.tensor;

import ae.tensor.internal.gemm.PanamaGemm;
import ae.tensor.internal.gemm.ScalarGemm;
import ae.tensor.internal.vector.PanamaHammingKernels;
import ae.tensor.internal.vector.PanamaOptimizerKernels;
import ae.tensor.internal.vector.PanamaVectorKernels;
import ae.tensor.internal.vector.ScalarHammingKernels;
import ae.tensor.internal.vector.ScalarOptimizerKernels;
import ae.tensor.internal.vector.ScalarVectorKernels;
import java.util.Objects;

/**
 * The kernel providers a computation runs on, chosen together: GEMM, the elementwise and reduction kernels, the
 * optimizer updates, and the Hamming distances of binary codes. This is the one place that names the
 * implementations; everything else takes a {@code Kernels}.
 */
public record Kernels(GemmKernels gemm, VectorKernels vector, OptimizerKernels optimizer, HammingKernels hamming) {
    private static final Kernels SIMD = new Kernels(PanamaGemm.INSTANCE, PanamaVectorKernels.INSTANCE,
            PanamaOptimizerKernels.INSTANCE, PanamaHammingKernels.INSTANCE);
    private static final Kernels SCALAR = new Kernels(ScalarGemm.INSTANCE, ScalarVectorKernels.INSTANCE,
            ScalarOptimizerKernels.INSTANCE, ScalarHammingKernels.INSTANCE);

    /** Checks that every provider is given; throws {@link NullPointerException} otherwise. */
    public Kernels {
        Objects.requireNonNull(gemm, "gemm");
        Objects.requireNonNull(vector, "vector");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(hamming, "hamming");
    }

    /** The Panama Vector API providers: packed, register-tiled GEMM and vectorized float32 kernels. */
    public static Kernels simd() {
        return SIMD;
    }

    /** The scalar reference providers: plain loops, every element computed in float64 and rounded once. */
    public static Kernels scalar() {
        return SCALAR;
    }

    /** {@link #simd()} unless {@code -Dae.simd=false} asks for the scalar reference. */
    public static Kernels preferred() {
        return KernelSelection.simdPreferred() ? SIMD : SCALAR;
    }

    /** "simd", "scalar", or the providers' names joined by '+' for a mixed choice. */
    public String name() {
        String g = gemm.name();
        return g.equals(vector.name()) && g.equals(optimizer.name()) ? g
                : g + "+" + vector.name() + "+" + optimizer.name();
    }
}
