package ae.models;

import ae.autodiff.Node;
import ae.tensor.Activation;

/**
 * A regularizer added to the loss, weighted: it builds its own term at its site and describes itself through its
 * {@link PartKind}. Terms are averaged over the batch like the loss, so weights mean the same at any batch size.
 *
 * <p>Writing a new penalty takes one class: a record with a {@code KIND} listing its settings, a {@link #term}
 * that builds the unweighted term from what the {@link PenaltySite} offers (the code, the encoder's input, the
 * reconstruction, the weights), and, if it needs something of the model, a {@link #check}. To save it in checkpoints,
 * add its kind to the {@link Catalog} the checkpoint is loaded with.
 */
public interface Penalty extends Part {
    /** The factor the term is multiplied by before it is added to the objective; 0 leaves the term out. */
    double weight();

    /** The unweighted term, a 1 x 1 node, built at {@code site}. */
    Node term(PenaltySite site);

    /**
     * Refuses, with an IllegalArgumentException naming the model, a site this penalty cannot work at: an encoder of
     * {@code encoderDepth} layers whose code has activation {@code codeActivation}.
     */
    default void check(String model, int encoderDepth, Activation codeActivation) {
    }

    /** Checks a penalty weight: finite and at least 0. */
    static double requireWeight(String kind, double weight) {
        if (!(weight >= 0) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException(kind + ": a penalty weight must be finite and >= 0, got " + weight);
        }
        return weight;
    }
}
