package ae.autodiff.internal;

import ae.tensor.Activation;

/**
 * First and second derivatives of activations written in terms of their output {@code h = act(a)}: the fused
 * penalties need act'' and only have h, which layers keep (the pre-activation is overwritten in place).
 */
public final class Curvature {
    private Curvature() {
    }

    /** act'(a) from h. Softplus: sigmoid(a) = 1 - exp(-h), with expm1 so that tiny h stays accurate. */
    public static double slope(Activation act, double h) {
        return switch (act) {
            case IDENTITY -> 1;
            case SIGMOID -> h * (1 - h);
            case TANH -> 1 - h * h;
            case RELU -> h > 0 ? 1 : 0;
            case SOFTPLUS -> -Math.expm1(-h);
        };
    }

    /** act''(a) from h; 0 for ReLU, whose second derivative vanishes wherever it exists. */
    public static double curvature(Activation act, double h) {
        return switch (act) {
            case IDENTITY, RELU -> 0;
            case SIGMOID -> h * (1 - h) * (1 - 2 * h);
            case TANH -> -2 * h * (1 - h * h);
            case SOFTPLUS -> {
                double s = -Math.expm1(-h);
                yield s * (1 - s);
            }
        };
    }

    /** True if act'' vanishes everywhere it exists, so no gradient reaches the pre-activation through act'. */
    public static boolean isFlat(Activation act) {
        return act == Activation.IDENTITY || act == Activation.RELU;
    }
}
