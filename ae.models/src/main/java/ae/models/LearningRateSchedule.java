package ae.models;

/**
 * The factor applied to the optimizer's base learning rate at a training step. Factors depend only on the global
 * step and the steps per epoch, so a resumed run follows the same schedule.
 */
public sealed interface LearningRateSchedule {
    /** The factor at 0-based global {@code step}, with {@code stepsPerEpoch} steps in an epoch. */
    double factor(long step, int stepsPerEpoch);

    /** Always 1. */
    record Constant() implements LearningRateSchedule {
        @Override
        public double factor(long step, int stepsPerEpoch) {
            return 1;
        }
    }

    /** Multiplied by {@code gamma} every {@code everyEpochs} epochs. */
    record StepDecay(int everyEpochs, double gamma) implements LearningRateSchedule {
        public StepDecay {
            if (everyEpochs < 1) {
                throw new IllegalArgumentException("step decay period must be >= 1 epoch, got " + everyEpochs);
            }
            requireGamma(gamma);
        }

        @Override
        public double factor(long step, int stepsPerEpoch) {
            return Math.pow(gamma, (double) (step / stepsPerEpoch / everyEpochs));
        }
    }

    /** Multiplied by {@code gamma} after every epoch. */
    record Exponential(double gamma) implements LearningRateSchedule {
        public Exponential {
            requireGamma(gamma);
        }

        @Override
        public double factor(long step, int stepsPerEpoch) {
            return Math.pow(gamma, (double) (step / stepsPerEpoch));
        }
    }

    /**
     * Cosine annealing, step by step, from 1 down to {@code minFactor} over {@code epochs} epochs, then held at
     * {@code minFactor}.
     */
    record Cosine(int epochs, double minFactor) implements LearningRateSchedule {
        public Cosine {
            if (epochs < 1) {
                throw new IllegalArgumentException("cosine schedule needs >= 1 epoch, got " + epochs);
            }
            if (!(minFactor >= 0 && minFactor <= 1)) {
                throw new IllegalArgumentException("cosine minimum factor must be in [0, 1], got " + minFactor);
            }
        }

        @Override
        public double factor(long step, int stepsPerEpoch) {
            double progress = Math.min(1.0, step / ((double) epochs * stepsPerEpoch));
            return minFactor + (1 - minFactor) * 0.5 * (1 + Math.cos(Math.PI * progress));
        }
    }

    static LearningRateSchedule constant() {
        return new Constant();
    }

    private static void requireGamma(double gamma) {
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("decay factor gamma must be in (0, 1], got " + gamma);
        }
    }
}
