package ae.models;

import ae.tensor.Tensor;

/**
 * How unlike the training data a row is, by a fitted autoencoder: a higher score, a likelier anomaly. A scorer is a
 * part (a stable name and settings with command-line options, listed by {@link AnomalyScorers}) with behaviour: it is
 * fitted once for a model, reading the training rows if it learns something from them (the training codes' Gaussian,
 * each feature's typical error), then scores any rows.
 *
 * <p>Writing a scorer takes one class: a record with a {@code KIND}, {@link #learnsFromTrainingRows}, {@link #fit},
 * and a {@link #check} if it needs something of the model.
 */
public interface AnomalyScorer extends Part {
    /** True if {@link #fit} reads the training rows; false if the model alone defines the score. */
    boolean learnsFromTrainingRows();

    /** Refuses, with an IllegalArgumentException naming the model and this scorer, a model it cannot score. */
    default void check(ModelConfig model) {
    }

    /**
     * This scorer ready for {@code model}: {@code train} holds the training rows (n x d) when
     * {@link #learnsFromTrainingRows} is true, and may be null otherwise. The model must stay open while the result
     * is used.
     */
    Fitted fit(FittedAutoencoder model, Tensor train);

    /** A scorer fitted for one model. */
    interface Fitted extends AutoCloseable {
        /** One score per row of {@code x} (n x d), higher for rows less like the training data. */
        double[] score(Tensor x);

        /** Frees what the fitted scorer holds off the heap (training codes, say). */
        @Override
        default void close() {
        }
    }
}
