package ae.models;

import ae.data.BatchOptions;
import ae.data.Batcher;
import ae.data.Dataset;
import ae.data.Seeds;
import ae.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The training loop: phases, epochs, steps, validation, early stopping, divergence and checkpoints. */
final class Trainer {
    /**
     * A phase whose objective rises above its first step's by this many times the first step's (at least 1) has
     * diverged even while the objective stays finite: saturated losses such as cross-entropy do not overflow.
     */
    static final double EXPLOSION_FACTOR = 1000;

    /** Seed streams of ae.models, apart from ae.data's (1..4) and the initialization's. */
    static final long SHUFFLE_STREAM = 0x5A;
    static final long NOISE_STREAM = 0x5B;

    private Trainer() {
    }

    static TrainingHistory train(FittedAutoencoder model, Dataset train, Dataset validation, TrainingConfig config,
                                 TrainingListener listener) {
        TrainingState state = model.state;
        if (state.stoppedEarly) {
            throw new IllegalStateException("model '" + model.config().name() + "' stopped early at epoch "
                    + state.epochsDone + "; there is nothing to resume");
        }
        List<TrainingProcedure.PhasePlan> phases = model.phases(config.epochs());
        String outcomeMessage = null;
        TrainingHistory.Outcome outcome = TrainingHistory.Outcome.COMPLETED;
        phaseLoop:
        while (state.phase < phases.size()) {
            int phase = state.phase;
            TrainingProcedure.PhasePlan plan = phases.get(phase);
            boolean endToEnd = plan.endToEnd();
            int epochs = plan.epochs();
            String phaseName = plan.name();
            if (state.epochsDone >= epochs) {
                if (phase == phases.size() - 1) {
                    break;
                }
                nextPhase(state);
                continue;
            }
            TrainingProcedure.EpochFit fit = model.config().procedure().openEpochFit(phase, model);
            if (fit != null) {
                try (fit) {
                    fitEpochs(model, train, fit, phaseName, epochs, config, listener);
                }
                if (phase == phases.size() - 1) {
                    break;
                }
                nextPhase(state);
                continue;
            }
            if (state.optimizer == null) {
                state.optimizer = new Optimizer(model.phaseOptimizer(phase, config.optimizer()),
                        model.phaseParameters(phase), model.ops, model.config().name() + " " + phaseName);
            }
            if (endToEnd && validation != null && config.earlyStoppingPatience() > 0 && state.best == null) {
                state.best = new Snapshot("best parameters of " + model.config().name(), model.parameterTensors());
                state.best.capture();
            }
            BatchOptions options = new BatchOptions(config.batchSize(), true, config.dropLast(),
                    Seeds.derive(config.seed(), SHUFFLE_STREAM, phase));
            long noiseSeed = Seeds.derive(config.seed(), NOISE_STREAM, phase);
            Map<String, Tensor> live = model.parameterTensors();
            live.putAll(state.optimizer.state());
            try (Batcher batches = Batcher.create(train, options, model.pool);
                 Snapshot lastGood = new Snapshot("last good state of " + model.config().name(), live)) {
                int stepsPerEpoch = batches.batchesPerEpoch();
                // Looked up once: the map key of a step is a string, which a per-step lookup would allocate.
                int fullRows = Math.min(config.batchSize(), train.size());
                PhaseStep fullBatch = model.trainingStep(phase, fullRows, noiseSeed);
                double initialLoss = Double.NaN;
                while (state.epochsDone < epochs) {
                    lastGood.capture();
                    long stepsAtEpochStart = state.stepsDone;
                    long optimizerStepsAtEpochStart = state.optimizer.steps();
                    int epoch = state.epochsDone + 1;
                    long started = System.nanoTime();
                    double lossSum = 0;
                    long samples = 0;
                    int step = 0;
                    batches.startEpoch(state.epochsDone);
                    while (batches.next()) {
                        int rows = batches.rows();
                        PhaseStep g = rows == fullRows ? fullBatch : model.trainingStep(phase, rows, noiseSeed);
                        double loss = step(g, batches.features(), state, config, stepsPerEpoch);
                        if (Double.isNaN(initialLoss)) {
                            initialLoss = loss;
                        }
                        boolean exploded = Double.isFinite(loss) && loss - initialLoss
                                > EXPLOSION_FACTOR * Math.max(Math.abs(initialLoss), 1);
                        if (!Double.isFinite(loss) || exploded) {
                            lastGood.restore();
                            state.stepsDone = stepsAtEpochStart;
                            state.optimizer.restoreSteps(optimizerStepsAtEpochStart);
                            outcome = TrainingHistory.Outcome.DIVERGED;
                            outcomeMessage = String.format(Locale.ROOT, "training of '%s' stopped in %s epoch %d at "
                                    + "step %d of %d: the objective became %s; the model keeps the parameters of the "
                                    + "end of epoch %d", model.config().name(), phaseName, epoch, step + 1,
                                    stepsPerEpoch, exploded ? String.format(Locale.ROOT, "%.6g, over %.0f times"
                                            + " its first step's %.6g (is the learning rate too high?)", loss,
                                            EXPLOSION_FACTOR, initialLoss)
                                            : Double.isNaN(loss) ? "NaN" : "infinite", epoch - 1);
                            break phaseLoop;
                        }
                        lossSum += loss * rows;
                        samples += rows;
                        step++;
                        listener.onStep(phaseName, epoch, step, stepsPerEpoch, loss);
                    }
                    double trainSeconds = (System.nanoTime() - started) / 1e9;
                    double validationLoss = endToEnd && validation != null ? model.meanLoss(validation)
                            : Double.NaN;
                    state.epochsDone++;
                    EpochReport report = new EpochReport(phaseName, epoch, lossSum / Math.max(1, samples),
                            validationLoss, samples / trainSeconds, (System.nanoTime() - started) / 1e9);
                    state.history.add(report);
                    if (endToEnd && validation != null && config.earlyStoppingPatience() > 0) {
                        if (validationLoss < state.bestValidation) {
                            state.bestValidation = validationLoss;
                            state.bestEpoch = epoch;
                            state.epochsSinceBest = 0;
                            state.best.capture();
                        } else if (++state.epochsSinceBest >= config.earlyStoppingPatience()) {
                            state.best.restore();
                            state.stoppedEarly = true;
                            outcome = TrainingHistory.Outcome.EARLY_STOPPED;
                            outcomeMessage = String.format(Locale.ROOT, "training of '%s' stopped early after epoch %d:"
                                    + " no better validation loss for %d epochs; the model keeps epoch %d's parameters"
                                    + " (validation loss %.6g)", model.config().name(), epoch,
                                    config.earlyStoppingPatience(), state.bestEpoch, state.bestValidation);
                        }
                    }
                    saveCheckpoint(model, config);
                    listener.onEpoch(report, model);
                    if (state.stoppedEarly) {
                        break phaseLoop;
                    }
                }
            }
            if (phase < phases.size() - 1) {
                nextPhase(state);
            } else {
                break;
            }
        }
        if (outcomeMessage == null) {
            outcomeMessage = "training of '" + model.config().name() + "' completed " + state.epochsDone + " epochs";
        }
        TrainingHistory history = new TrainingHistory(state.history, outcome, outcomeMessage);
        model.history = history;
        listener.onFinish(history);
        return history;
    }

    /** The epochs of a phase fitted from every row of each epoch: no optimizer, validation or early stopping. */
    private static void fitEpochs(FittedAutoencoder model, Dataset train, TrainingProcedure.EpochFit fit,
                                  String phaseName, int epochs, TrainingConfig config, TrainingListener listener) {
        TrainingState state = model.state;
        BatchOptions options = new BatchOptions(config.batchSize(), false, false, config.seed());
        try (Batcher batches = Batcher.create(train, options, model.pool)) {
            int stepsPerEpoch = batches.batchesPerEpoch();
            while (state.epochsDone < epochs) {
                int epoch = state.epochsDone + 1;
                long started = System.nanoTime();
                fit.startEpoch();
                batches.startEpoch(state.epochsDone);
                int step = 0;
                long samples = 0;
                while (batches.next()) {
                    fit.read(batches.features());
                    samples += batches.rows();
                    step++;
                    state.stepsDone++;
                    listener.onStep(phaseName, epoch, step, stepsPerEpoch, Double.NaN);
                }
                double loss = fit.finishEpoch();
                double seconds = (System.nanoTime() - started) / 1e9;
                state.epochsDone++;
                EpochReport report = new EpochReport(phaseName, epoch, loss, Double.NaN, samples / seconds, seconds);
                state.history.add(report);
                saveCheckpoint(model, config);
                listener.onEpoch(report, model);
            }
        }
    }

    /**
     * One training step on a batch: the phase's gradients with this step's noise, a finite-objective check, the
     * optimizer's update. Returns the objective, or a non-finite value without touching the parameters. Allocates
     * nothing.
     */
    static double step(PhaseStep step, Tensor batch, TrainingState state, TrainingConfig config, int stepsPerEpoch) {
        double loss = step.computeGradients(batch, state.stepsDone);
        if (!Double.isFinite(loss)) {
            return loss;
        }
        state.optimizer.step(config.schedule().factor(state.stepsDone, stepsPerEpoch));
        step.afterUpdate();
        state.stepsDone++;
        return loss;
    }

    private static void nextPhase(TrainingState state) {
        state.closeOptimizer();
        state.phase++;
        state.epochsDone = 0;
        state.stepsDone = 0;
    }

    private static void saveCheckpoint(FittedAutoencoder model, TrainingConfig config) {
        if (config.checkpoint() == null) {
            return;
        }
        try {
            Checkpoints.save(model, config.checkpoint());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint " + config.checkpoint(), e);
        }
    }
}
