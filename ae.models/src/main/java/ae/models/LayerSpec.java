package ae.models;

import ae.tensor.Activation;
import java.util.Objects;

/** One dense layer's output width and activation. */
public record LayerSpec(int units, Activation activation) {
    /**
     * Checks the layer; throws {@link IllegalArgumentException} for fewer than one unit, {@link NullPointerException}
     * for a null activation.
     */
    public LayerSpec {
        if (units < 1) {
            throw new IllegalArgumentException("a layer needs at least one unit, got " + units);
        }
        Objects.requireNonNull(activation, "activation");
    }

    /** A layer of {@code units} units followed by {@code activation}. */
    public static LayerSpec of(int units, Activation activation) {
        return new LayerSpec(units, activation);
    }
}
