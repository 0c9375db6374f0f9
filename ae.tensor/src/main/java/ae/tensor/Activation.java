package ae.tensor;

/**
 * Pointwise activation functions, with float64 reference formulas that the scalar kernels use and that tests
 * compare the SIMD kernels against.
 *
 * <p>The forms avoid overflow for any finite input: sigmoid evaluates {@code exp} only of a non-positive
 * argument, softplus is {@code max(a, 0) + log1p(exp(-|a|))}.
 */
public enum Activation {
    /** The identity, {@code a}: a linear layer. */
    IDENTITY,
    /** The logistic sigmoid {@code 1 / (1 + exp(-a))}, in (0, 1). */
    SIGMOID,
    /** The hyperbolic tangent, in (-1, 1). */
    TANH,
    /** The rectifier {@code max(a, 0)}. */
    RELU,
    /** The softplus {@code log(1 + exp(a))}, a smooth rectifier. */
    SOFTPLUS;

    /** act(a). */
    public double apply(double a) {
        return switch (this) {
            case IDENTITY -> a;
            case SIGMOID -> sigmoid(a);
            case TANH -> Math.tanh(a);
            case RELU -> Math.max(a, 0.0);
            case SOFTPLUS -> softplus(a);
        };
    }

    /** act'(a), from the pre-activation. */
    public double derivative(double a) {
        return switch (this) {
            case IDENTITY -> 1.0;
            case SIGMOID -> {
                // e / (1 + e)^2 with e = exp(-|a|): s * (1 - s) would cancel to 0 once s rounds to 1.
                double e = Math.exp(-Math.abs(a));
                yield e / ((1.0 + e) * (1.0 + e));
            }
            case TANH -> {
                // 4e / (1 + e)^2 with e = exp(-2|a|), for the same reason.
                double e = Math.exp(-2.0 * Math.abs(a));
                yield 4.0 * e / ((1.0 + e) * (1.0 + e));
            }
            case RELU -> a > 0.0 ? 1.0 : 0.0;
            case SOFTPLUS -> sigmoid(a);
        };
    }

    /**
     * act'(a) as backpropagation computes it: from the output {@code y = act(a)} where the output determines it
     * (sigmoid y(1-y), tanh 1-y^2, relu y>0, identity 1), from the pre-activation {@code a} for softplus.
     */
    public double derivativeForBackward(double y, double a) {
        return switch (this) {
            case IDENTITY -> 1.0;
            case SIGMOID -> y * (1.0 - y);
            case TANH -> 1.0 - y * y;
            case RELU -> y > 0.0 ? 1.0 : 0.0;
            case SOFTPLUS -> sigmoid(a);
        };
    }

    /** True if the backward kernels read the pre-activation; otherwise they read only the output. */
    public boolean backwardReadsPreActivation() {
        return this == SOFTPLUS;
    }

    /** 1 / (1 + e^-a), without overflow for any a. */
    public static double sigmoid(double a) {
        if (a >= 0.0) {
            return 1.0 / (1.0 + Math.exp(-a));
        }
        double e = Math.exp(a);
        return e / (1.0 + e);
    }

    /** log(1 + e^a), without overflow for any a. */
    public static double softplus(double a) {
        return Math.max(a, 0.0) + Math.log1p(Math.exp(-Math.abs(a)));
    }
}
