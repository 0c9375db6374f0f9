package ae.autodiff;

import ae.tensor.Activation;
import java.lang.foreign.MemorySegment;

/**
 * First and second derivatives of activations written in terms of their output {@code h = act(a)}: the fused
 * penalties need act'' and only have h, which layers keep (the pre-activation is overwritten in place).
 */
final class Curvature {
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

    /** {@code out[j] = act'(a_j)} for the n outputs h at {@code offset}; the switch is outside the element loop. */
    public static void slopes(Activation act, MemorySegment s, boolean f32, long offset, int n, double[] out) {
        switch (act) {
            case IDENTITY -> java.util.Arrays.fill(out, 0, n, 1);
            case SIGMOID -> {
                for (int j = 0; j < n; j++) {
                    double h = Elements.get(s, f32, offset + j);
                    out[j] = h * (1 - h);
                }
            }
            case TANH -> {
                for (int j = 0; j < n; j++) {
                    double h = Elements.get(s, f32, offset + j);
                    out[j] = 1 - h * h;
                }
            }
            case RELU -> {
                for (int j = 0; j < n; j++) {
                    out[j] = Elements.get(s, f32, offset + j) > 0 ? 1 : 0;
                }
            }
            case SOFTPLUS -> {
                for (int j = 0; j < n; j++) {
                    out[j] = -Math.expm1(-Elements.get(s, f32, offset + j));
                }
            }
        }
    }

    /** {@code out[j] = act''(a_j)} for the n outputs h at {@code offset}, as {@link #curvature} element by element. */
    public static void curvatures(Activation act, MemorySegment s, boolean f32, long offset, int n, double[] out) {
        switch (act) {
            case IDENTITY, RELU -> java.util.Arrays.fill(out, 0, n, 0);
            case SIGMOID -> {
                for (int j = 0; j < n; j++) {
                    double h = Elements.get(s, f32, offset + j);
                    out[j] = h * (1 - h) * (1 - 2 * h);
                }
            }
            case TANH -> {
                for (int j = 0; j < n; j++) {
                    double h = Elements.get(s, f32, offset + j);
                    out[j] = -2 * h * (1 - h * h);
                }
            }
            case SOFTPLUS -> {
                for (int j = 0; j < n; j++) {
                    double slope = -Math.expm1(-Elements.get(s, f32, offset + j));
                    out[j] = slope * (1 - slope);
                }
            }
        }
    }

    /** {@code out[j] = act'(a_j) act''(a_j)}, the pre-activation factor of d(act'^2)/da, for n outputs h. */
    public static void slopeCurvatures(Activation act, MemorySegment s, boolean f32, long offset, int n, double[] out) {
        switch (act) {
            case IDENTITY, RELU -> java.util.Arrays.fill(out, 0, n, 0);
            case SIGMOID -> {
                for (int j = 0; j < n; j++) {
                    double h = Elements.get(s, f32, offset + j);
                    double slope = h * (1 - h);
                    out[j] = slope * slope * (1 - 2 * h);
                }
            }
            case TANH -> {
                for (int j = 0; j < n; j++) {
                    double h = Elements.get(s, f32, offset + j);
                    double slope = 1 - h * h;
                    out[j] = -2 * h * slope * slope;
                }
            }
            case SOFTPLUS -> {
                for (int j = 0; j < n; j++) {
                    double slope = -Math.expm1(-Elements.get(s, f32, offset + j));
                    out[j] = slope * slope * (1 - slope);
                }
            }
        }
    }

    /** True if act'' vanishes everywhere it exists, so no gradient reaches the pre-activation through act'. */
    public static boolean isFlat(Activation act) {
        return act == Activation.IDENTITY || act == Activation.RELU;
    }
}
