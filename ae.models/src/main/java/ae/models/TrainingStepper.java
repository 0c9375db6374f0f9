package ae.models;

import ae.data.BatchOptions;
import ae.data.Batcher;
import ae.data.Dataset;
import ae.data.Seeds;
import java.util.List;

/**
 * Training by hand, one batch at a time, from {@link FittedAutoencoder#stepper}: the batches, noise and updates of
 * {@code fit}'s current phase, without epochs' bookkeeping. What benchmarks time. One thread steps a stepper; its
 * steps hold the model's monitor, as the model's own methods do.
 */
public final class TrainingStepper implements AutoCloseable {
    private final FittedAutoencoder model;
    private final Batcher batches;
    private final PhaseStep step;
    private final TrainingConfig training;
    private final int stepsPerEpoch;
    private long epoch;

    TrainingStepper(FittedAutoencoder model, Dataset train) {
        this.model = model;
        this.training = model.trainingConfig();
        TrainingState state = model.state;
        List<TrainingProcedure.PhasePlan> phases = model.phases(training.epochs());
        int phase = Math.min(state.phase, phases.size() - 1);
        int rows = Math.min(training.batchSize(), train.size());
        if (state.optimizer == null) {
            state.optimizer = new Optimizer(model.phaseOptimizer(phase, training.optimizer()),
                    model.phaseParameters(phase), model.ops, model.config().name() + " " + phases.get(phase).name());
        }
        this.batches = Batcher.create(train, new BatchOptions(training.batchSize(), true, true,
                Seeds.derive(training.seed(), Trainer.SHUFFLE_STREAM, phase)), model.pool);
        try {
            this.step = model.trainingStep(phase, rows, Seeds.derive(training.seed(), Trainer.NOISE_STREAM, phase));
            this.stepsPerEpoch = batches.batchesPerEpoch();
            this.epoch = state.epochsDone;
            batches.startEpoch(epoch);
        } catch (RuntimeException e) {
            batches.close();
            throw e;
        }
    }

    /**
     * One training step on the next batch (a new shuffled epoch when one ends); returns its objective. Allocates
     * nothing once the JIT has compiled it.
     *
     * @throws IllegalStateException if the objective is not finite (the parameters are left as they were)
     */
    public double step() {
        if (!batches.next()) {
            batches.startEpoch(++epoch);
            batches.next();
        }
        double loss;
        // The model's monitor, as its own methods hold it: another thread's encode waits for the step to end.
        synchronized (model) {
            loss = Trainer.step(step, batches.features(), model.state, training, stepsPerEpoch);
        }
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException("model '" + model.config().name() + "' diverged at step "
                    + model.state.stepsDone + ": objective " + loss);
        }
        return loss;
    }

    /** The model being trained. */
    public FittedAutoencoder model() {
        return model;
    }

    /** Closes the batches; the model stays open. */
    @Override
    public void close() {
        batches.close();
    }
}
