package ae.models;

import ae.autodiff.Parameter;
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

    /** Refuses, with an IllegalArgumentException naming the model, an encoder and decoder it cannot train. */
    default void check(String model, Encoder encoder, Decoder decoder) {
    }

    /** End-to-end backpropagation. */
    static TrainingProcedure backpropagation() {
        return Backpropagation.INSTANCE;
    }

    /** One phase: its name (in epoch reports and checkpoints), its epochs, and whether it is the end-to-end one. */
    record PhasePlan(String name, int epochs, boolean endToEnd) {
    }
}
