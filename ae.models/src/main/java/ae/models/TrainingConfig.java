package ae.models;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to train: epochs, batch size, shuffling and noise seed, threads, optimizer and schedule, validation and early
 * stopping, and an optional checkpoint file rewritten after every epoch. Immutable; {@code with...} methods give
 * modified copies.
 *
 * @param epochs end-to-end epochs (after any greedy pretraining)
 * @param validationFraction fraction of the training data held out (seeded split) to report a validation loss
 *     after every epoch; 0 for none, unless a validation set is passed to {@code fit}
 * @param earlyStoppingPatience stop after this many epochs without a better validation loss and keep the best
 *     epoch's parameters; 0 disables early stopping
 * @param dropLast skip each epoch's final short batch, so one graph of one batch size serves the whole run
 * @param checkpoint written (atomically) after every epoch if not null
 */
public record TrainingConfig(int epochs, int batchSize, long seed, int threads, OptimizerConfig optimizer,
                             LearningRateSchedule schedule, double validationFraction, int earlyStoppingPatience,
                             boolean dropLast, Path checkpoint) {
    /** Checks the settings; throws {@link IllegalArgumentException} naming the first one out of range. */
    public TrainingConfig {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(schedule, "schedule");
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + validationFraction);
        }
        if (earlyStoppingPatience < 0) {
            throw new IllegalArgumentException("early-stopping patience must be >= 0, got " + earlyStoppingPatience);
        }
    }

    /**
     * 10 epochs of batch 128, seed 0, one thread per available processor, Adam at 1e-3 with a constant rate, no
     * validation, drop-last, no checkpoint.
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig(10, 128, 0, Runtime.getRuntime().availableProcessors(), OptimizerConfig.adam(1e-3),
                LearningRateSchedule.constant(), 0, 0, true, null);
    }

    /** This configuration with {@code e} epochs. */
    public TrainingConfig withEpochs(int e) {
        return new TrainingConfig(e, batchSize, seed, threads, optimizer, schedule, validationFraction,
                earlyStoppingPatience, dropLast, checkpoint);
    }

    /** This configuration with batches of {@code b} rows. */
    public TrainingConfig withBatchSize(int b) {
        return new TrainingConfig(epochs, b, seed, threads, optimizer, schedule, validationFraction,
                earlyStoppingPatience, dropLast, checkpoint);
    }

    /** This configuration with seed {@code s} (initialization, batch order, noise). */
    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(epochs, batchSize, s, threads, optimizer, schedule, validationFraction,
                earlyStoppingPatience, dropLast, checkpoint);
    }

    /** This configuration on {@code t} threads. */
    public TrainingConfig withThreads(int t) {
        return new TrainingConfig(epochs, batchSize, seed, t, optimizer, schedule, validationFraction,
                earlyStoppingPatience, dropLast, checkpoint);
    }

    /** This configuration with another optimizer. */
    public TrainingConfig withOptimizer(OptimizerConfig o) {
        return new TrainingConfig(epochs, batchSize, seed, threads, o, schedule, validationFraction,
                earlyStoppingPatience, dropLast, checkpoint);
    }

    /** This configuration with another learning-rate schedule. */
    public TrainingConfig withSchedule(LearningRateSchedule s) {
        return new TrainingConfig(epochs, batchSize, seed, threads, optimizer, s, validationFraction,
                earlyStoppingPatience, dropLast, checkpoint);
    }

    /**
     * This configuration holding out {@code fraction} of the rows for validation and stopping after {@code patience}
     * epochs without improvement (0: never).
     */
    public TrainingConfig withValidation(double fraction, int patience) {
        return new TrainingConfig(epochs, batchSize, seed, threads, optimizer, schedule, fraction, patience, dropLast,
                checkpoint);
    }

    /** This configuration dropping ({@code true}) or keeping each epoch's short last batch. */
    public TrainingConfig withDropLast(boolean d) {
        return new TrainingConfig(epochs, batchSize, seed, threads, optimizer, schedule, validationFraction,
                earlyStoppingPatience, d, checkpoint);
    }

    /** This configuration writing a checkpoint to {@code file} after every epoch (null: none). */
    public TrainingConfig withCheckpoint(Path file) {
        return new TrainingConfig(epochs, batchSize, seed, threads, optimizer, schedule, validationFraction,
                earlyStoppingPatience, dropLast, file);
    }
}
