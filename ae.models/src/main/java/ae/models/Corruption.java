package ae.models;

/**
 * A corruption process {@code C(x~ | x)} for denoising: the encoder sees x~, the loss compares the reconstruction
 * with the clean x. Noise is redrawn every training step from the training seed and the step number, so a resumed
 * run draws the same noise as an uninterrupted one. Evaluation never corrupts.
 */
public sealed interface Corruption {
    /** No corruption. */
    record None() implements Corruption {
    }

    /** Each input element zeroed independently with probability {@code probability}. */
    record Masking(double probability) implements Corruption {
        public Masking {
            requireProbability(probability);
        }
    }

    /** {@code x + N(0, stddev^2)} elementwise. */
    record Gaussian(double stddev) implements Corruption {
        public Gaussian {
            if (!(stddev >= 0) || !Double.isFinite(stddev)) {
                throw new IllegalArgumentException("Gaussian corruption needs a finite stddev >= 0, got " + stddev);
            }
        }
    }

    /** Each element replaced with probability {@code probability} by 0 or 1, with equal chance. */
    record SaltAndPepper(double probability) implements Corruption {
        public SaltAndPepper {
            requireProbability(probability);
        }
    }

    static Corruption none() {
        return new None();
    }

    private static void requireProbability(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("a corruption probability must be in [0, 1], got " + p);
        }
    }
}
