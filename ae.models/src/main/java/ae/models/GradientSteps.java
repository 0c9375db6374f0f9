package ae.models;

import ae.autodiff.Parameter;
import ae.data.BatchOptions;
import ae.data.Batcher;
import ae.data.Seeds;
import ae.tensor.Tensor;
import java.util.List;

/**
 * Training split into its two halves, for data parallelism across processes: {@link #computeGradients} writes the
 * gradients of a batch into the trained parameters' gradient tensors without touching the parameters, and
 * {@link #applyGradients} runs the optimizer on whatever those tensors hold (say, gradients averaged over shards
 * computed elsewhere). Both follow {@code fit}'s end-to-end phase: the same steps, noise seeds, optimizer and schedule,
 * and {@link #epochOrder} gives the row order {@code fit} shuffles an epoch into, so that shards of the same batches
 * reproduce {@code fit}. Made by {@link FittedAutoencoder#gradientSteps}; confined to one thread like its model.
 */
public final class GradientSteps {
    private final FittedAutoencoder model;
    private final TrainingConfig training;
    private final int phase;
    private final long noiseSeed;

    GradientSteps(FittedAutoencoder model) {
        this.model = model;
        this.training = model.trainingConfig();
        List<TrainingProcedure.PhasePlan> phases = model.phases(training.epochs());
        if (phases.size() != 1 || fitsWholeEpochs(model)) {
            throw new IllegalArgumentException("model '" + model.config().name() + "' is not trained by gradient"
                    + " steps in one phase (its procedure plans " + phases.size() + " phases or fits whole epochs),"
                    + " so its gradients cannot be computed batch by batch");
        }
        this.phase = 0;
        this.noiseSeed = Seeds.derive(training.seed(), Trainer.NOISE_STREAM, phase);
    }

    /** Asked by opening one: what opens is closed at once (a principal-components fit holds its sums off-heap). */
    private static boolean fitsWholeEpochs(FittedAutoencoder model) {
        try (TrainingProcedure.EpochFit fit = model.config().procedure().openEpochFit(0, model)) {
            return fit != null;
        }
    }

    /** The parameters whose gradients {@link #computeGradients} writes, in the optimizer's order. */
    public List<Parameter> parameters() {
        return model.phaseParameters(phase);
    }

    /**
     * Writes the gradients of the objective averaged over the rows of {@code batch} (an {@code n x d} float32 tensor)
     * into {@link #parameters()}' gradient tensors, with the noise of global step {@code step}, and returns the
     * objective; a non-finite objective is returned before any gradient is written. The parameters are untouched.
     */
    public double computeGradients(Tensor batch, long step) {
        return model.trainingStep(phase, batch.rows(), noiseSeed).computeGradients(batch, step);
    }

    /**
     * One optimizer update from the gradients now in {@link #parameters()}' gradient tensors, at the learning rate
     * the schedule gives step {@link #stepsDone()} with {@code stepsPerEpoch} steps an epoch; then the procedure's
     * projection (if any), and the step count moves on.
     */
    public void applyGradients(int stepsPerEpoch) {
        TrainingState state = model.state;
        optimizer().step(training.schedule().factor(state.stepsDone, stepsPerEpoch));
        // Only a procedure with a constraint (PSD's unit-norm dictionary) does anything here; any batch size will do.
        model.trainingStep(phase, 1, noiseSeed).afterUpdate();
        state.stepsDone++;
    }

    private Optimizer optimizer() {
        TrainingState state = model.state;
        if (state.optimizer == null) {
            state.optimizer = new Optimizer(model.phaseOptimizer(phase, training.optimizer()), parameters(), model.ops,
                    model.config().name() + " data-parallel");
        }
        return state.optimizer;
    }

    /**
     * The optimizer's state tensors (Adam's moments, SGD's momentum), in a fixed order, live: written, they become
     * the state the next {@link #applyGradients} starts from. Local-step training averages them across shards.
     */
    public List<Tensor> optimizerState() {
        return List.copyOf(optimizer().state().values());
    }

    /** Sets the steps applied so far (the schedule's and the optimizer's count) to {@code steps}. */
    public void restoreSteps(long steps) {
        optimizer().restoreSteps(steps);
        model.state.stepsDone = steps;
    }

    /** Global steps applied so far in this phase (the next step's number). */
    public long stepsDone() {
        return model.state.stepsDone;
    }

    /** Records a finished epoch in the model's history, as {@code fit} would: it is saved with the checkpoint. */
    public void finishEpoch(EpochReport report) {
        model.state.epochsDone++;
        model.state.history.add(report);
        model.history = new TrainingHistory(model.state.history, TrainingHistory.Outcome.COMPLETED,
                "training of '" + model.config().name() + "' completed " + model.state.epochsDone + " epochs");
    }

    /** Epochs recorded so far. */
    public int epochsDone() {
        return model.state.epochsDone;
    }

    /**
     * The order in which {@code fit} visits the {@code rows} rows of its training data in epoch {@code epoch}
     * (0-based): batch {@code b} is the rows {@code order[b * batchSize ..]}.
     */
    public int[] epochOrder(int rows, long epoch) {
        return Batcher.epochOrder(rows, new BatchOptions(training.batchSize(), true, training.dropLast(),
                Seeds.derive(training.seed(), Trainer.SHUFFLE_STREAM, phase)), epoch);
    }
}
