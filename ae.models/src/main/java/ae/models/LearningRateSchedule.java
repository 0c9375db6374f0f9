package ae.models;

import java.util.List;

/**
 * The factor applied to the optimizer's base learning rate at a training step. Factors depend only on the global
 * step and the steps per epoch, so a resumed run follows the same schedule.
 */
public sealed interface LearningRateSchedule extends Part {
    /** The factor at 0-based global {@code step}, with {@code stepsPerEpoch} steps in an epoch. */
    double factor(long step, int stepsPerEpoch);

    /** Always 1. */
    record Constant() implements LearningRateSchedule {
        public static final PartKind<Constant> KIND = PartKind.of(Constant.class, "constant",
                "the base learning rate throughout", List.of(), v -> new Constant());

        @Override
        public PartKind<Constant> kind() {
            return KIND;
        }

        @Override
        public double factor(long step, int stepsPerEpoch) {
            return 1;
        }
    }

    /** Multiplied by {@code gamma} every {@code everyEpochs} epochs. */
    record StepDecay(int everyEpochs, double gamma) implements LearningRateSchedule {
        public static final PartKind<StepDecay> KIND = PartKind.of(StepDecay.class, "step-decay",
                "the rate multiplied by gamma every few epochs",
                List.of(Setting.integer("every-epochs", 1, null, "epochs between decays", StepDecay::everyEpochs),
                        Setting.real("gamma", 0.1, null, "the factor of each decay", StepDecay::gamma)),
                v -> new StepDecay(v.integer("every-epochs"), v.real("gamma")));

        @Override
        public PartKind<StepDecay> kind() {
            return KIND;
        }

        /**
         * Checks the settings; throws {@link IllegalArgumentException} for a period under one epoch or a factor
         * outside (0, 1].
         */
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
        public static final PartKind<Exponential> KIND = PartKind.of(Exponential.class, "exponential",
                "the rate multiplied by gamma after every epoch",
                List.of(Setting.real("gamma", 0.9, null, "the factor of each epoch", Exponential::gamma)),
                v -> new Exponential(v.real("gamma")));

        @Override
        public PartKind<Exponential> kind() {
            return KIND;
        }

        /** Checks the factor; throws {@link IllegalArgumentException} if it is outside (0, 1]. */
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
        public static final PartKind<Cosine> KIND = PartKind.of(Cosine.class, "cosine",
                "cosine annealing of the rate, step by step, down to a floor",
                List.of(Setting.integer("epochs", 10, null, "epochs of the annealing", Cosine::epochs),
                        Setting.real("min-factor", 0.0, null, "the floor, a fraction of the base rate",
                                Cosine::minFactor)),
                v -> new Cosine(v.integer("epochs"), v.real("min-factor")));

        @Override
        public PartKind<Cosine> kind() {
            return KIND;
        }

        /**
         * Checks the settings; throws {@link IllegalArgumentException} for fewer than one epoch or a floor outside
         * [0, 1].
         */
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

    /** The constant schedule: the optimizer's learning rate every epoch. */
    static LearningRateSchedule constant() {
        return new Constant();
    }

    private static void requireGamma(double gamma) {
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("decay factor gamma must be in (0, 1], got " + gamma);
        }
    }
}
