package ae.models;

import ae.autodiff.NoiseScale;

/**
 * A noise level that rises linearly from 0 to {@code sigma} over the first {@code rampSteps} training steps and then
 * stays at {@code sigma}; {@code rampSteps = 0} is the fixed level {@code sigma} from the first step. Semantic hashing
 * uses it on the code layer's input: early in training, when the code carries little yet, small noise lets the
 * pre-activations find the directions worth coding before rising noise pushes them toward saturation.
 *
 * <p>Training step {@code t} (0-based) draws noise step {@code t + 1}, whose level is
 * {@code sigma * min(1, (t + 1) / rampSteps)}.
 *
 * @param sigma the final standard deviation, finite and {@code >= 0}
 * @param rampSteps the training steps of the rise, {@code >= 0}
 */
public record NoiseRamp(double sigma, long rampSteps) implements NoiseScale {
    /** Checks the settings; throws {@link IllegalArgumentException} naming the one out of range. */
    public NoiseRamp {
        if (!(sigma >= 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("a noise ramp's sigma must be finite and >= 0, got " + sigma);
        }
        if (rampSteps < 0) {
            throw new IllegalArgumentException("a noise ramp's length must be >= 0 steps, got " + rampSteps);
        }
    }

    /** True when the level is {@code sigma} from the first step. */
    public boolean fixed() {
        return rampSteps == 0;
    }

    @Override
    public double at(long noiseStep) {
        if (rampSteps == 0 || noiseStep >= rampSteps) {
            return sigma;
        }
        return sigma * Math.max(0, noiseStep) / rampSteps;
    }
}
