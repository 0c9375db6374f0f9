package ae.models;

/**
 * One finished epoch.
 *
 * @param phase {@code "pretrain-layer-<l>"} during greedy pretraining, {@code "rbm-layer-<l>"} during RBM
 *     pretraining, else {@code "train"}
 * @param epoch 1-based within the phase
 * @param trainLoss mean over the epoch's batches of the objective minimized (loss plus penalties, on corrupted input)
 * @param validationLoss mean per-sample reconstruction loss on the validation data (clean input, no penalties), NaN
 *     when there is no validation data
 * @param samplesPerSecond training samples processed per second of this epoch's training steps
 * @param seconds the epoch's wall time, validation included
 */
public record EpochReport(String phase, int epoch, double trainLoss, double validationLoss, double samplesPerSecond,
                          double seconds) {
}
