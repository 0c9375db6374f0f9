package ae.models;

import java.util.ArrayList;
import java.util.List;

/**
 * Where training stands, beside the parameters: enough to continue bit for bit after a checkpoint. Phases are the
 * greedy pretraining of each layer (if any), then end-to-end training; epochs and steps count within the phase.
 */
final class TrainingState implements AutoCloseable {
    int phase;
    int epochsDone;
    long stepsDone;
    /** The current phase's optimizer; null before the phase's first step. */
    Optimizer optimizer;
    double bestValidation = Double.POSITIVE_INFINITY;
    int bestEpoch;
    int epochsSinceBest;
    /** Parameters of the best validation epoch, when early stopping is on. */
    Snapshot best;
    boolean stoppedEarly;
    final List<EpochReport> history = new ArrayList<>();

    void closeOptimizer() {
        if (optimizer != null) {
            optimizer.close();
            optimizer = null;
        }
    }

    @Override
    public void close() {
        closeOptimizer();
        if (best != null) {
            best.close();
            best = null;
        }
    }
}
