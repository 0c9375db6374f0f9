package ae.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ManifoldsTest {
    private static double dot(double[] a, double[] b) {
        return Gaussians.dot(a, b);
    }

    private static double[] row(Dataset d, int i) {
        double[] r = new double[d.dimension()];
        for (int j = 0; j < r.length; j++) {
            r[j] = d.get(i, j);
        }
        return r;
    }

    @Test
    void frameIsOrthonormal() {
        qt().forAll(integers().between(3, 40), longs().all()).checkAssert((ambient, seed) -> {
            double[][] f = Gaussians.orthonormalFrame(ambient, 3, seed);
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    double s = 0;
                    for (int r = 0; r < ambient; r++) {
                        s += f[r][a] * f[r][b];
                    }
                    assertEquals(a == b ? 1 : 0, s, 1e-12);
                }
            }
        });
    }

    @Test
    void noiselessPointsAreTheirCleanPointsAndLieOnTheManifold() {
        try (ManifoldSample roll = Manifolds.swissRoll(200, 10, 0, 5)) {
            assertEquals(10, roll.ambientDimension());
            assertEquals(2, roll.intrinsicDimension());
            double[][] frame = roll.frame();
            for (int i = 0; i < 200; i++) {
                double[] x = row(roll.data(), i);
                assertArrayEquals(roll.cleanPoint(i), x, 1e-4);
                double[] c = roll.intrinsicCoordinates(i);
                double t = c[0];
                assertTrue(t >= 1.5 * Math.PI && t <= 4.5 * Math.PI && c[1] >= 0 && c[1] <= 21);
                // Back in the natural space through the frame's transpose: (t cos t, h, t sin t).
                double[] natural = new double[3];
                for (int k = 0; k < 3; k++) {
                    for (int r = 0; r < 10; r++) {
                        natural[k] += frame[r][k] * x[r];
                    }
                }
                assertArrayEquals(new double[] {t * Math.cos(t), c[1], t * Math.sin(t)}, natural, 1e-4);
            }
        }
        try (ManifoldSample circle = Manifolds.circle(100, 2.5, 2, 0, 1)) {
            for (int i = 0; i < 100; i++) {
                double[] x = row(circle.data(), i);
                assertEquals(2.5, Math.hypot(x[0], x[1]), 1e-5);
            }
        }
        try (ManifoldSample sphere = Manifolds.sphere(100, 3, 1.5, 7, 0, 1)) {
            for (int i = 0; i < 100; i++) {
                double[] x = row(sphere.data(), i);
                assertEquals(1.5, Math.sqrt(dot(x, x)), 1e-5);
            }
        }
    }

    /** The tangent basis must be orthonormal and span the derivative of the embedding along each coordinate. */
    @Test
    void tangentBasesMatchFiniteDifferencesOfTheParametrization() {
        checkTangents(Manifolds.swissRoll(50, 6, 0.1, 3), (c) -> new double[] {c[0] * Math.cos(c[0]), c[1],
            c[0] * Math.sin(c[0])});
        checkTangents(Manifolds.sCurve(50, 5, 0.1, 3), (c) -> new double[] {Math.sin(c[0]), c[1],
            Math.signum(c[0]) * (Math.cos(c[0]) - 1)});
        checkTangents(Manifolds.circle(50, 2, 4, 0.1, 3), (c) -> new double[] {2 * Math.cos(c[0]),
            2 * Math.sin(c[0])});
        checkTangents(Manifolds.spiral(50, 5, 0.1, 3), (c) -> new double[] {c[0] * Math.cos(c[0]) / (5 * Math.PI),
            c[0] * Math.sin(c[0]) / (5 * Math.PI)});
    }

    private static void checkTangents(ManifoldSample sample, Function<double[], double[]> natural) {
        try (sample) {
            double[][] frame = sample.frame();
            for (int i = 0; i < sample.data().size(); i++) {
                double[][] basis = sample.tangentBasis(i);
                assertEquals(sample.intrinsicDimension(), basis.length);
                for (int a = 0; a < basis.length; a++) {
                    for (int b = 0; b < basis.length; b++) {
                        assertEquals(a == b ? 1 : 0, dot(basis[a], basis[b]), 1e-9);
                    }
                }
                double[] c = sample.intrinsicCoordinates(i);
                for (int k = 0; k < c.length; k++) {
                    double h = 1e-6;
                    double[] plus = c.clone();
                    double[] minus = c.clone();
                    plus[k] += h;
                    minus[k] -= h;
                    double[] p = natural.apply(plus);
                    double[] m = natural.apply(minus);
                    double[] derivative = new double[frame.length];
                    for (int r = 0; r < frame.length; r++) {
                        for (int q = 0; q < p.length; q++) {
                            derivative[r] += frame[r][q] * (p[q] - m[q]) / (2 * h);
                        }
                    }
                    // The derivative must lie in the span of the basis: its projection keeps all of its length.
                    double projected = 0;
                    for (double[] t : basis) {
                        double s = dot(derivative, t);
                        projected += s * s;
                    }
                    assertEquals(dot(derivative, derivative), projected, 1e-6 * (1 + dot(derivative, derivative)),
                            sample.kind() + " point " + i + " coordinate " + k);
                }
            }
        }
    }

    @Test
    void sphereTangentsAreOrthogonalToTheRadius() {
        try (ManifoldSample sphere = Manifolds.sphere(80, 4, 1, 9, 0, 2)) {
            for (int i = 0; i < 80; i++) {
                double[] x = sphere.cleanPoint(i);
                double[][] basis = sphere.tangentBasis(i);
                assertEquals(4, basis.length);
                for (int a = 0; a < 4; a++) {
                    assertEquals(0, dot(basis[a], x), 1e-9);
                    for (int b = 0; b < 4; b++) {
                        assertEquals(a == b ? 1 : 0, dot(basis[a], basis[b]), 1e-9);
                    }
                }
            }
        }
    }

    @Test
    void noiseHasTheRequestedSpread() {
        double sigma = 0.05;
        try (ManifoldSample s = Manifolds.sCurve(4000, 20, sigma, 11)) {
            double sq = 0;
            for (int i = 0; i < 4000; i++) {
                double[] x = row(s.data(), i);
                double[] c = s.cleanPoint(i);
                for (int j = 0; j < 20; j++) {
                    sq += (x[j] - c[j]) * (x[j] - c[j]);
                }
            }
            assertEquals(sigma, Math.sqrt(sq / (4000 * 20)), sigma * 0.05);
        }
    }

    @Test
    void sameSeedSameBitsAndTheFrameDoesNotDependOnN() {
        try (ManifoldSample a = Manifolds.swissRoll(300, 8, 0.2, 77);
                ManifoldSample b = Manifolds.swissRoll(300, 8, 0.2, 77);
                ManifoldSample small = Manifolds.swissRoll(10, 8, 0.2, 77);
                ManifoldSample other = Manifolds.swissRoll(300, 8, 0.2, 78)) {
            assertArrayEquals(a.data().features().toFloatArray(), b.data().features().toFloatArray());
            assertTrue(Arrays.deepEquals(a.frame(), small.frame()));
            assertFalse(Arrays.equals(a.data().features().toFloatArray(), other.data().features().toFloatArray()));
        }
        try (ManifoldSample classic = Manifolds.swissRoll(5, 3, 0, 1)) {
            assertTrue(Arrays.deepEquals(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, classic.frame()),
                    "ambient dimension 3 keeps the unrotated roll");
        }
    }

    @Test
    void rejectsImpossibleArguments() {
        assertThrows(IllegalArgumentException.class, () -> Manifolds.swissRoll(10, 2, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Manifolds.circle(10, -1, 2, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Manifolds.sphere(10, 2, 1, 3, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> Manifolds.sphere(0, 2, 1, 3, 0, 1));
    }
}
