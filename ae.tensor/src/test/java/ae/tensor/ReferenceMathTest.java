package ae.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * The scalar reference against independent float64 formulas, including the extreme arguments where the naive
 * formulas overflow; and the SIMD float32 functions against float64 at those extremes.
 */
class ReferenceMathTest {
    private static final double[] EXTREMES = {-1000, -100, -88.8, -30, -1e-8, 0, 1e-8, 30, 88.8, 100, 1000};

    /** log(1 + e^t) by a formula other than the library's: log1p of the small exponential on either side. */
    private static double softplusIndependent(double t) {
        return t <= 0 ? Math.log1p(Math.exp(t)) : t + Math.log1p(Math.exp(-t));
    }

    /** -[x log sigmoid(z) + (1-x) log(1 - sigmoid(z))] = x softplus(-z) + (1-x) softplus(z). */
    private static double bceIndependent(double z, double x) {
        return x * softplusIndependent(-z) + (1 - x) * softplusIndependent(z);
    }

    @Test
    void activationsAreFiniteAndCorrectAtExtremes() {
        for (double a : EXTREMES) {
            for (Activation act : Activation.values()) {
                assertTrue(Double.isFinite(act.apply(a)), act + " at " + a);
                assertTrue(Double.isFinite(act.derivative(a)), act + "' at " + a);
            }
            assertEquals(1 / (1 + Math.exp(-a)), Activation.sigmoid(a), 1e-16 + 1e-15 * Activation.sigmoid(a));
            assertEquals(softplusIndependent(a), Activation.softplus(a), 1e-300 + 1e-15 * Activation.softplus(a));
        }
        assertEquals(1000.0, Activation.softplus(1000.0));
        assertEquals(Math.exp(-100), Activation.softplus(-100), 1e-58);
        assertEquals(Math.exp(-100), Activation.SIGMOID.derivative(100), 1e-58);
        assertEquals(4 * Math.exp(-200), Activation.TANH.derivative(100), 1e-100);
    }

    @Test
    void derivativesMatchCentralDifferences() {
        qt().forAll(doubles().between(-8, 8)).checkAssert(a -> {
            double h = 1e-5;
            for (Activation act : Activation.values()) {
                if (act == Activation.RELU && Math.abs(a) < 2 * h) {
                    continue;
                }
                double numeric = (act.apply(a + h) - act.apply(a - h)) / (2 * h);
                assertEquals(numeric, act.derivative(a), 1e-8, act + "' at " + a);
                assertEquals(act.derivative(a), act.derivativeForBackward(act.apply(a), a), 1e-12,
                        act + " backward form at " + a);
            }
        });
    }

    @Test
    void scalarBceMatchesIndependentFormulaIncludingExtremeLogits() {
        double[] targets = {0, 0.25, 1};
        int n = EXTREMES.length * targets.length;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment z = arena.allocate(8L * n);
            MemorySegment x = arena.allocate(8L * n);
            MemorySegment grad = arena.allocate(8L * n);
            MemorySegment loss = arena.allocate(8L * n);
            int i = 0;
            for (double zi : EXTREMES) {
                for (double xi : targets) {
                    z.setAtIndex(ValueLayout.JAVA_DOUBLE, i, zi);
                    x.setAtIndex(ValueLayout.JAVA_DOUBLE, i, xi);
                    i++;
                }
            }
            // One element per row, so each row loss is one term.
            Kernels.scalar().vector().bceWithLogitsF64(n, 1, z, 0, 1, x, 0, 1, 0.5, grad, 0, 1, loss, 0);
            for (int r = 0; r < n; r++) {
                double zi = z.getAtIndex(ValueLayout.JAVA_DOUBLE, r);
                double xi = x.getAtIndex(ValueLayout.JAVA_DOUBLE, r);
                double expected = bceIndependent(zi, xi);
                double actual = loss.getAtIndex(ValueLayout.JAVA_DOUBLE, r);
                assertEquals(expected, actual, 1e-300 + 1e-13 * Math.abs(expected), "bce z=" + zi + " x=" + xi);
                double expectedGrad = 0.5 * (1 / (1 + Math.exp(-zi)) - xi);
                assertEquals(expectedGrad, grad.getAtIndex(ValueLayout.JAVA_DOUBLE, r),
                        1e-300 + 1e-14 * Math.abs(expectedGrad), "bce grad z=" + zi + " x=" + xi);
            }
        }
    }

    @Test
    void simdFloat32LossAndActivationsStayAccurateAtExtremeLogits() {
        float[] logits = {-1000f, -100f, -88.8f, -30f, -1e-8f, 0f, 1e-8f, 30f, 88.8f, 100f, 1000f, 5f, -5f, 0.6f, -0.7f, 17f, 2f};
        int n = logits.length;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment z = arena.allocate(4L * n);
            MemorySegment x = arena.allocate(4L * n);
            MemorySegment grad = arena.allocate(4L * n);
            MemorySegment loss = arena.allocate(4L * n);
            MemorySegment out = arena.allocate(4L * n);
            for (int i = 0; i < n; i++) {
                z.setAtIndex(ValueLayout.JAVA_FLOAT, i, logits[i]);
                x.setAtIndex(ValueLayout.JAVA_FLOAT, i, i % 2 == 0 ? 1f : 0f);
            }
            VectorKernels simd = Kernels.simd().vector();
            simd.bceWithLogitsF32(n, 1, z, 0, 1, x, 0, 1, 1f, grad, 0, 1, loss, 0);
            for (int i = 0; i < n; i++) {
                double zi = logits[i];
                double xi = i % 2 == 0 ? 1 : 0;
                double expected = bceIndependent(zi, xi);
                double actual = loss.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                assertEquals(expected, actual, 1e-37 + 1e-6 * expected, "bce z=" + zi + " x=" + xi);
                double g = grad.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                assertEquals(1 / (1 + Math.exp(-zi)) - xi, g, 1e-7, "bce grad z=" + zi);
            }
            for (Activation act : Activation.values()) {
                simd.activationF32(act, n, z, 0, out, 0);
                for (int i = 0; i < n; i++) {
                    double expected = act.apply(logits[i]);
                    double actual = out.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                    assertEquals(expected, actual, 1e-37 + 1e-6 * Math.abs(expected), act + " at " + logits[i]);
                }
                simd.activationDerivativeF32(act, n, z, 0, out, 0);
                for (int i = 0; i < n; i++) {
                    double expected = act.derivative(logits[i]);
                    double actual = out.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                    // Below float32's subnormal range the derivative is 0 in float32, which counts as exact.
                    assertEquals(expected, actual, 1e-44 + 1e-6 * Math.abs(expected), act + "' at " + logits[i]);
                }
            }
        }
    }

    @Test
    void rowLogSumExpIsStableForLargeAndInfiniteRows() {
        try (Arena arena = Arena.ofConfined()) {
            float[][] rows = {
                {1000f, 1000f, 999f},
                {-1000f, -1000f, -1000f},
                {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY},
                {Float.NEGATIVE_INFINITY, 0f, Float.NEGATIVE_INFINITY},
                {Float.POSITIVE_INFINITY, 0f, 1f},
            };
            double[] expected = {
                1000 + Math.log(2 + Math.exp(-1)),
                -1000 + Math.log(3),
                Double.NEGATIVE_INFINITY,
                0,
                Double.POSITIVE_INFINITY,
            };
            MemorySegment x = arena.allocate(4L * 15);
            MemorySegment out = arena.allocate(4L * 5);
            for (int r = 0; r < 5; r++) {
                for (int c = 0; c < 3; c++) {
                    x.setAtIndex(ValueLayout.JAVA_FLOAT, r * 3 + c, rows[r][c]);
                }
            }
            for (VectorKernels k : new VectorKernels[] {Kernels.scalar().vector(), Kernels.simd().vector()}) {
                k.rowLogSumExpF32(5, 3, x, 0, 3, out, 0);
                for (int r = 0; r < 5; r++) {
                    assertEquals((float) expected[r], out.getAtIndex(ValueLayout.JAVA_FLOAT, r), 1e-3f,
                            k.name() + " row " + r);
                }
            }
        }
    }
}
