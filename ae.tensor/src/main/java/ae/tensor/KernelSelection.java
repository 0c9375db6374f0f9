package ae.tensor;

/**
 * Which kernel provider is preferred: the Panama Vector API one unless {@code -Dae.simd=false} forces the scalar
 * reference (for debugging, and to measure what SIMD buys).
 */
public final class KernelSelection {
    private static final boolean SIMD = !"false".equalsIgnoreCase(System.getProperty("ae.simd", "true").trim());

    private KernelSelection() {
    }

    /** True unless {@code -Dae.simd=false}. */
    public static boolean simdPreferred() {
        return SIMD;
    }
}
