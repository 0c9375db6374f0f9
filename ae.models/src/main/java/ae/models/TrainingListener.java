package ae.models;

/**
 * Progress callbacks from {@link Autoencoder#fit}; every method does nothing by default. {@link #onStep} runs on
 * the training thread after every step, so it should be cheap and allocate nothing if the step's allocation budget
 * matters.
 */
public interface TrainingListener {
    /** After each training step of a phase: 1-based step within the epoch, steps per epoch, the step's objective. */
    default void onStep(String phase, int epoch, int step, int stepsPerEpoch, double loss) {
    }

    /** After each epoch, validation included. */
    default void onEpoch(EpochReport report) {
    }

    /**
     * After each epoch, with the model being trained: it may be evaluated here (a test loss, pictures), between
     * steps; calls {@link #onEpoch(EpochReport)} unless overridden.
     */
    default void onEpoch(EpochReport report, FittedAutoencoder model) {
        onEpoch(report);
    }

    /** Once, when training ends for any reason. */
    default void onFinish(TrainingHistory history) {
    }

    /** A listener that does nothing. */
    static TrainingListener none() {
        return new TrainingListener() {
        };
    }
}
