package ae.models;

import ae.autodiff.Parameter;
import ae.tensor.Tensor;
import java.util.List;

/**
 * How a model's parameters are trained: a sequence of phases, each with its epochs, the parameters it trains and its
 * step. The trainer runs the phases in order (batches, the optimizer on each phase's parameters, validation of the
 * last phase, checkpoints, divergence) without knowing what a step computes: backpropagation of the model's
 * objective, greedy layer-wise pretraining, or another procedure.
 */
public interface TrainingProcedure extends Part {
    /**
     * The phases in order, with their epochs; the last one trains the whole model for {@code endToEndEpochs} epochs
     * and is the one validated.
     */
    List<PhasePlan> plan(ModelConfig model, int endToEndEpochs);

    /** What phase {@code phase} trains, in a fixed order (the optimizer's state follows it). */
    List<Parameter> parameters(int phase, FittedAutoencoder model);

    /** A step for batches of {@code rows} rows in phase {@code phase}, drawing noise from {@code noiseSeed}. */
    PhaseStep openStep(int phase, FittedAutoencoder model, int rows, long noiseSeed);

    /**
     * The work of one epoch of a phase fitted from whole passes over the data rather than by optimizer steps (an exact
     * fit such as principal components'), or null, the default, for a phase of optimizer steps. The trainer then
     * feeds it every training row once per epoch, partial last batch included, and runs no optimizer.
     */
    default EpochFit openEpochFit(int phase, FittedAutoencoder model) {
        return null;
    }

    /**
     * The optimizer of phase {@code phase}, whose state (momentum, moments, step count) the phase keeps from step to
     * step and a checkpoint saves: {@code training}, the training configuration's, unless the procedure updates that
     * phase by a rule of its own (RBM pretraining's SGD with momentum).
     */
    default OptimizerConfig optimizer(int phase, ModelConfig model, OptimizerConfig training) {
        return training;
    }

    /** Tensors the procedure itself keeps with the model (fitted statistics, say), declared after the others'. */
    default void declare(ParameterPlan plan, ModelConfig model) {
    }

    /** Refuses, with an IllegalArgumentException naming the model, an encoder and decoder it cannot train. */
    default void check(String model, Encoder encoder, Decoder decoder) {
    }

    /**
     * This procedure with {@code penalty} also on the objectives of its own phases (greedy layer-wise pretraining puts
     * it on every layer's), replacing a penalty of the same kind; the end-to-end objective gets penalties from the
     * model. Procedures without phases of their own return themselves.
     */
    default TrainingProcedure withPenalty(Penalty penalty) {
        return this;
    }

    /** End-to-end backpropagation. */
    static TrainingProcedure backpropagation() {
        return Backpropagation.INSTANCE;
    }

    /** A phase that reads every row of an epoch and sets the parameters at its end. */
    interface EpochFit extends AutoCloseable {
        /** Forgets what the previous epoch read. */
        void startEpoch();

        /** Reads the rows of one batch (which it must not keep). */
        void read(Tensor batch);

        /** Sets the parameters from the epoch's rows and returns their mean objective per row under them. */
        double finishEpoch();

        @Override
        void close();
    }

    /** One phase: its name (in epoch reports and checkpoints), its epochs, and whether it is the end-to-end one. */
    record PhasePlan(String name, int epochs, boolean endToEnd) {
    }
}
