package ae.models;

import ae.tensor.Tensor;

/**
 * One training step of a phase, built once per batch size and replayed: it writes the gradients of its parameters
 * (those its {@link TrainingProcedure} lists for the phase) for a batch; the trainer then applies the optimizer. A
 * steady-state step allocates nothing.
 */
public interface PhaseStep extends AutoCloseable {
    /**
     * Writes the parameters' gradients for {@code batch} at global step {@code step} (which fixes the step's noise)
     * and returns the objective; a non-finite objective is returned before any gradient is written.
     */
    double computeGradients(Tensor batch, long step);

    /** Runs after the optimizer's update (to project parameters back onto a constraint, say). */
    default void afterUpdate() {
    }

    @Override
    void close();
}
