package ae.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.tensor.internal.vector.FloatVectorMath;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/** The float32 vector math: within a few ulp of float64 everywhere, and bit-identical to its scalar twins. */
class FloatVectorMathTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    interface ScalarTwin {
        float apply(float x);
    }

    private static float[] inputs() {
        SplittableRandom r = new SplittableRandom(17);
        float[] special = {0f, -0f, 1e-30f, -1e-30f, 0.625f, -0.625f, 88.7f, 89f, 100f, -87.3f, -104f, -200f, 1000f,
            -1000f, Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NaN};
        int n = 200_000 / S.length() * S.length();
        float[] x = new float[n];
        System.arraycopy(special, 0, x, 0, special.length);
        for (int i = special.length; i < n; i++) {
            x[i] = switch (i % 4) {
                case 0 -> (float) r.nextDouble(-110, 110);
                case 1 -> (float) r.nextDouble(-3, 3);
                case 2 -> (float) r.nextDouble(-1e-3, 1e-3);
                default -> Float.intBitsToFloat(r.nextInt());
            };
        }
        return x;
    }

    private static void check(String name, UnaryOperator<FloatVector> vector, ScalarTwin twin, DoubleUnaryOperator exact,
                              double maxUlps) {
        float[] x = inputs();
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i += S.length()) {
            vector.apply(FloatVector.fromArray(S, x, i)).intoArray(y, i);
        }
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToIntBits(twin.apply(x[i])), Float.floatToIntBits(y[i]),
                    name + " twin differs from the vector lane at " + x[i]);
            double e = exact.applyAsDouble(x[i]);
            if (Double.isNaN(e) || Double.isInfinite(e) || Math.abs(e) > Float.MAX_VALUE) {
                assertTrue(Double.isNaN(e) ? Float.isNaN(y[i]) : y[i] == (float) e, name + " at " + x[i] + ": " + y[i]);
                continue;
            }
            if (Math.abs(e) < Float.MIN_NORMAL) {
                // Subnormal results: absolute error within a few subnormal steps.
                assertTrue(Math.abs(y[i] - e) <= 4 * Float.MIN_VALUE,
                        name + " at " + x[i] + ": " + y[i] + " vs " + e);
                continue;
            }
            worst = Math.max(worst, Math.abs(y[i] - e) / Math.ulp((float) e));
        }
        assertTrue(worst <= maxUlps, name + ": worst error " + worst + " ulp");
    }

    @Test
    void expIsAccurateAndMatchesItsTwin() {
        check("exp", FloatVectorMath::exp, FloatVectorMath::exp, Math::exp, 1.5);
    }

    @Test
    void sigmoidIsAccurateAndMatchesItsTwin() {
        check("sigmoid", FloatVectorMath::sigmoid, FloatVectorMath::sigmoid, Activation::sigmoid, 3);
    }

    @Test
    void softplusIsAccurateAndMatchesItsTwin() {
        check("softplus", FloatVectorMath::softplus, FloatVectorMath::softplus, Activation::softplus, 3);
    }

    @Test
    void tanhIsAccurateAndMatchesItsTwin() {
        check("tanh", FloatVectorMath::tanh, FloatVectorMath::tanh, Math::tanh, 2);
    }
}
