package ae.models;

import ae.tensor.Activation;
import java.util.Locale;

/** The stable names of activations in checkpoints and on the command line: lowercase words, never enum names. */
final class ActivationNames {
    private ActivationNames() {
    }

    static String name(Activation activation) {
        return switch (activation) {
            case IDENTITY -> "identity";
            case SIGMOID -> "sigmoid";
            case TANH -> "tanh";
            case RELU -> "relu";
            case SOFTPLUS -> "softplus";
        };
    }

    static Activation parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "identity" -> Activation.IDENTITY;
            case "sigmoid" -> Activation.SIGMOID;
            case "tanh" -> Activation.TANH;
            case "relu" -> Activation.RELU;
            case "softplus" -> Activation.SOFTPLUS;
            default -> throw new IllegalArgumentException("unknown activation '" + name
                    + "' (identity, sigmoid, tanh, relu, softplus)");
        };
    }
}
