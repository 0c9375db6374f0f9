/**
 * The autoencoder family of Deep Learning, chapter 14, as compositions of parts: layers, losses, penalties,
 * corruption processes, optimizers and training procedures; presets by name; checkpoints; reference workloads.
 */
module ae.models {
    requires transitive ae.tensor;
    requires transitive ae.autodiff;
    requires transitive ae.data;
    // com.sun.management.ThreadMXBean: the training thread's allocated bytes for the workload runner.
    requires jdk.management;
    exports ae.models;
}
