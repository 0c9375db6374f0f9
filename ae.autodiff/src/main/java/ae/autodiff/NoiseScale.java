package ae.autodiff;

/**
 * The standard deviation of a noise operation at a noise step: the steps count a graph's fresh forwards from 1
 * ({@link Graph#forward()}; a trainer seeks step {@code t} before its 0-based step {@code t}, so training step
 * {@code t} draws noise step {@code t + 1}). Called once per fresh forward, so an implementation must not allocate.
 */
@FunctionalInterface
public interface NoiseScale {
    /** The standard deviation at {@code noiseStep}: finite and {@code >= 0}. */
    double at(long noiseStep);
}
