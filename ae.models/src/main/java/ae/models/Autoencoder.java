package ae.models;

import ae.data.Dataset;
import ae.data.TrainValidationSplit;
import java.util.Objects;

/**
 * An autoencoder as a composition of parts: a {@link ModelConfig} of encoder, decoder, likelihood, penalties,
 * corruption and training procedure. Immutable; {@link #fit} returns a {@link FittedAutoencoder} holding the learned
 * state. Named variants come from {@link Presets}.
 *
 * <pre>{@code
 * Autoencoder cae = Autoencoder.of(Presets.contractive(784, 256, 0.1));
 * try (Dataset data = Datasets.load("fashion-mnist-sample");
 *      FittedAutoencoder model = cae.fit(data, TrainingConfig.defaults().withEpochs(5), TrainingListener.none())) {
 *     double[] anomalyScores = model.scoreSamples(data);
 * }
 * }</pre>
 */
public final class Autoencoder {
    private final ModelConfig config;

    private Autoencoder(ModelConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** An unfitted model of {@code config}; {@link #fit} trains it. */
    public static Autoencoder of(ModelConfig config) {
        return new Autoencoder(config);
    }

    /** The model's configuration. */
    public ModelConfig config() {
        return config;
    }

    /**
     * Trains on {@code data}; if {@code training.validationFraction() > 0}, a seeded part of it is held out for the
     * validation loss (and early stopping). NaN or infinite losses end training early, keeping the last good
     * parameters: see {@link FittedAutoencoder#history()}.
     */
    public FittedAutoencoder fit(Dataset data, TrainingConfig training, TrainingListener listener) {
        FittedAutoencoder model = initialize(training);
        try {
            trainWithSplit(model, data, training, listener);
            return model;
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    /** Trains on {@code train}, reporting the validation loss on {@code validation} (may be null) every epoch. */
    public FittedAutoencoder fit(Dataset train, Dataset validation, TrainingConfig training, TrainingListener listener) {
        FittedAutoencoder model = initialize(training);
        try {
            runTraining(model, train, validation, training, listener);
            return model;
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    /** The untrained model: parameters drawn from the seed, on {@code training.threads()} threads. */
    public FittedAutoencoder initialize(TrainingConfig training) {
        FittedAutoencoder model = new FittedAutoencoder(config, training);
        model.params.initialize(training.seed());
        return model;
    }

    static TrainingHistory trainWithSplit(FittedAutoencoder model, Dataset data, TrainingConfig training,
                                          TrainingListener listener) {
        if (training.validationFraction() == 0) {
            return runTraining(model, data, null, training, listener);
        }
        try (TrainValidationSplit split = data.split(training.validationFraction(), training.seed())) {
            return runTraining(model, split.train(), split.validation(), training, listener);
        }
    }

    static TrainingHistory runTraining(FittedAutoencoder model, Dataset train, Dataset validation,
                                       TrainingConfig training, TrainingListener listener) {
        Objects.requireNonNull(listener, "listener");
        model.requireDataset("training data", train);
        if (validation != null) {
            model.requireDataset("validation data", validation);
        }
        return Trainer.train(model, train, validation, training, listener);
    }

    @Override
    public String toString() {
        return "Autoencoder[" + config + "]";
    }
}
