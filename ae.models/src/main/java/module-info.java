/**
 * The autoencoder family of Deep Learning, chapter 14, as compositions of parts: encoders (deterministic and
 * stochastic), decoders and their likelihoods, penalties, corruption processes, optimizers and training procedures;
 * presets by name; checkpoints.
 */
module ae.models {
    requires transitive ae.tensor;
    requires transitive ae.autodiff;
    requires transitive ae.data;
    exports ae.models;
    exports ae.models.retrieval;
}
