package ae.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import org.junit.jupiter.api.Test;

class RngTest {
    private static final int LARGE = 200_003;

    /** The documented algorithm, written out independently of the implementation. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double unit(long key, long counter) {
        return (mix64(key + (counter + 1) * 0x9E3779B97F4A7C15L) >>> 11) * 0x1.0p-53;
    }

    @Test
    void followsTheDocumentedAlgorithm() {
        long key = mix64(42);
        Rng rng = Rng.seeded(42);
        assertEquals(mix64(key + 0x9E3779B97F4A7C15L), rng.nextLong());
        assertEquals(unit(key, 1), rng.nextDouble());
        try (TensorScope scope = TensorScope.open("rng")) {
            Tensor uniform = scope.allocateDouble(5);
            rng.fillUniform(uniform, -1, 3);
            for (int i = 0; i < 5; i++) {
                assertEquals(-1 + 4 * unit(key, 2 + i), uniform.getFlat(i));
            }
            Tensor normal = scope.allocateDouble(3);
            rng.fillNormal(normal, 0.5, 2);
            long base = 7;
            for (int i = 0; i < 3; i++) {
                long pair = base + 2 * (i / 2);
                double radius = Math.sqrt(-2 * Math.log(1 - unit(key, pair)));
                double angle = 2 * Math.PI * unit(key, pair + 1);
                double z = radius * (i % 2 == 0 ? Math.cos(angle) : Math.sin(angle));
                assertEquals(0.5 + 2 * z, normal.getFlat(i), 1e-15);
            }
            assertEquals(base + 4, rng.position(), "a normal fill of 3 consumes 4 counters");
            Rng fork = Rng.seeded(42).fork(9);
            long forkKey = mix64(key ^ mix64(9 ^ 0x632BE59BD9B4E019L));
            assertEquals(mix64(forkKey + 0x9E3779B97F4A7C15L), fork.nextLong());
        }
    }

    @Test
    void fillsAreIdenticalForAnyThreadCountAndLayout() {
        try (TensorScope scope = TensorScope.open("rng");
             ComputePool two = ComputePool.create(2);
             ComputePool three = ComputePool.create(3)) {
            for (DType dtype : DType.values()) {
                for (int kind = 0; kind < 3; kind++) {
                    double[] reference = null;
                    for (ComputePool pool : new ComputePool[] {null, two, three}) {
                        Tensor t = scope.allocate(dtype, 331, 211);
                        fill(Rng.seeded(5).fork(kind), kind, pool, t);
                        double[] values = t.toDoubleArray();
                        if (reference == null) {
                            reference = values;
                        } else {
                            assertArrayEquals(reference, values, dtype + " kind " + kind);
                        }
                    }
                    // Rows padded to a leading dimension of 240: the same values in row-major order.
                    Tensor padded = scope.allocate(dtype, 331, 240);
                    Tensor view = new Tensor(scope, padded.segment(), dtype, 3, new int[] {331, 211}, new long[] {240, 1});
                    fill(Rng.seeded(5).fork(kind), kind, two, view);
                    assertArrayEquals(reference, view.toDoubleArray(), dtype + " kind " + kind + " padded rows");
                    Tensor transposed = scope.allocate(dtype, 211, 331).transpose();
                    fill(Rng.seeded(5).fork(kind), kind, two, transposed);
                    assertArrayEquals(reference, transposed.toDoubleArray(), dtype + " kind " + kind + " transposed");
                }
            }
        }
    }

    private static void fill(Rng rng, int kind, ComputePool pool, Tensor t) {
        switch (kind) {
            case 0 -> rng.fillUniform(pool, t, -0.5, 0.25);
            case 1 -> rng.fillNormal(pool, t, 1, 3);
            default -> rng.fillBernoulli(pool, t, 0.7);
        }
    }

    @Test
    void float32FillIsTheFloat64FillRounded() {
        try (TensorScope scope = TensorScope.open("rng")) {
            Tensor f = scope.allocateFloat(1001);
            Tensor d = scope.allocateDouble(1001);
            Rng.seeded(3).fillNormal(f, 0, 1);
            Rng.seeded(3).fillNormal(d, 0, 1);
            for (int i = 0; i < 1001; i++) {
                assertEquals((float) d.getFlat(i), (float) f.getFlat(i));
            }
        }
    }

    @Test
    void consecutiveFillsDifferAndPositionsAdvance() {
        try (TensorScope scope = TensorScope.open("rng")) {
            Rng rng = Rng.seeded(1);
            Tensor a = scope.allocateFloat(64);
            Tensor b = scope.allocateFloat(64);
            rng.fillUniform(a, 0, 1);
            assertEquals(64, rng.position());
            rng.fillUniform(b, 0, 1);
            assertEquals(128, rng.position());
            assertFalse(java.util.Arrays.equals(a.toFloatArray(), b.toFloatArray()));
            rng.fillNormal(scope.allocateFloat(5), 0, 1);
            assertEquals(134, rng.position());
            Rng split = rng.split();
            assertEquals(135, rng.position());
            assertFalse(split.nextLong() == rng.nextLong());
        }
    }

    @Test
    void uniformMomentsAndRange() {
        try (TensorScope scope = TensorScope.open("rng")) {
            Tensor t = scope.allocateDouble(LARGE);
            Rng.seeded(11).fillUniform(t, -1, 3);
            double[] v = t.toDoubleArray();
            double[] m = moments(v);
            double sd = 4 / Math.sqrt(12);
            assertEquals(1, m[0], 5 * sd / Math.sqrt(LARGE), "mean");
            assertEquals(sd * sd, m[1], 0.02 * sd * sd, "variance");
            for (double x : v) {
                assertTrue(x >= -1 && x < 3, "in range: " + x);
            }
        }
    }

    @Test
    void float32UniformStaysBelowTheUpperBound() {
        try (TensorScope scope = TensorScope.open("rng")) {
            Tensor t = scope.allocateFloat(50_000);
            // A range so narrow that most float64 values round to the bound in float32.
            Rng.seeded(2).fillUniform(t, 1.0, 1.0 + 1e-7);
            for (float x : t.toFloatArray()) {
                assertTrue(x >= 1f && x < (float) (1.0 + 1e-7), "in range: " + x);
            }
        }
    }

    @Test
    void normalMoments() {
        try (TensorScope scope = TensorScope.open("rng")) {
            Tensor t = scope.allocateDouble(LARGE);
            Rng.seeded(12).fillNormal(t, 0.5, 2);
            double[] m = moments(t.toDoubleArray());
            assertEquals(0.5, m[0], 5 * 2 / Math.sqrt(LARGE), "mean");
            assertEquals(4, m[1], 4 * 5 * Math.sqrt(2.0 / LARGE), "variance");
            assertEquals(0, m[2], 5 * Math.sqrt(6.0 / LARGE), "skewness");
            assertEquals(3, m[3], 5 * Math.sqrt(24.0 / LARGE), "kurtosis");
        }
    }

    @Test
    void bernoulliRate() {
        qt().withExamples(5).forAll(integers().between(1, 9), longs().all()).checkAssert((tenths, seed) -> {
            double keep = tenths / 10.0;
            try (TensorScope scope = TensorScope.open("rng")) {
                Tensor t = scope.allocateFloat(LARGE);
                Rng.seeded(seed).fillBernoulli(t, keep);
                double ones = 0;
                for (float x : t.toFloatArray()) {
                    assertTrue(x == 0f || x == 1f);
                    ones += x;
                }
                assertEquals(keep, ones / LARGE, 5 * Math.sqrt(keep * (1 - keep) / LARGE));
            }
        });
    }

    @Test
    void splitAndForkedStreamsAreUncorrelated() {
        try (TensorScope scope = TensorScope.open("rng")) {
            Rng parent = Rng.seeded(99);
            Rng[] streams = {parent.split(), parent.split(), parent.fork(0), parent.fork(1), Rng.seeded(100)};
            double[][] values = new double[streams.length][];
            for (int s = 0; s < streams.length; s++) {
                Tensor t = scope.allocateDouble(LARGE);
                streams[s].fillNormal(t, 0, 1);
                values[s] = t.toDoubleArray();
            }
            double bound = 5 / Math.sqrt(LARGE);
            for (int a = 0; a < streams.length; a++) {
                for (int b = a + 1; b < streams.length; b++) {
                    assertEquals(0, correlation(values[a], 0, values[b], 0, LARGE), bound, "streams " + a + ", " + b);
                }
                // Neighbouring elements (the two halves of a Box-Muller pair, then across pairs) are uncorrelated.
                assertEquals(0, correlation(values[a], 0, values[a], 1, LARGE - 1), bound, "lag 1 in stream " + a);
                assertEquals(0, correlation(values[a], 0, values[a], 2, LARGE - 2), bound, "lag 2 in stream " + a);
            }
            assertEquals(Rng.seeded(99).fork(1).nextLong(), Rng.seeded(99).fork(1).nextLong());
        }
    }

    /** The float32 Bernoulli fill decides by an integer threshold; it must agree with unit(c) < keep everywhere. */
    @Test
    void bernoulliFloat32FillMatchesTheDocumentedComparison() {
        qt().forAll(longs().all(), integers().between(0, 4), integers().between(0, 1 << 20)).checkAssert(
                (seed, which, fine) -> {
                    // Plain probabilities, the ends, and probabilities on the 2^-53 grid where the comparison is tight.
                    double keep = switch (which) {
                        case 0 -> fine / (double) (1 << 20);
                        case 1 -> 0;
                        case 2 -> 1;
                        case 3 -> Math.scalb((double) fine, -20) + 0x1.0p-53;
                        default -> Math.nextDown(fine / (double) (1 << 20) + 0x1.0p-30);
                    };
                    double bounded = Math.min(1, keep);
                    try (TensorScope scope = TensorScope.open("bernoulli")) {
                        Tensor t = scope.allocateFloat(67);
                        Rng rng = Rng.seeded(seed);
                        rng.nextLong();
                        rng.fillBernoulli(t, bounded);
                        long key = mix64(seed);
                        for (int i = 0; i < 67; i++) {
                            double expected = unit(key, 1 + i) < bounded ? 1 : 0;
                            assertEquals(expected, t.getFlat(i), "element " + i + " keep " + bounded);
                        }
                    }
                });
    }

    @Test
    void forkIntoGivesTheTargetTheStateOfFork() {
        qt().forAll(longs().all(), longs().all(), integers().between(0, 5)).checkAssert((seed, stream, drawn) -> {
            Rng parent = Rng.seeded(seed);
            Rng target = Rng.seeded(~seed);
            for (int i = 0; i < drawn; i++) {
                target.nextLong();
            }
            assertSame(target, parent.forkInto(stream, target));
            Rng fork = parent.fork(stream);
            assertEquals(0, target.position());
            for (int i = 0; i < 3; i++) {
                assertEquals(fork.nextLong(), target.nextLong(), "draw " + i);
            }
        });
    }

    @Test
    void nextIntIsUniformAndInRange() {
        Rng rng = Rng.seeded(8);
        int bound = 7;
        int[] counts = new int[bound];
        int draws = 70_000;
        for (int i = 0; i < draws; i++) {
            counts[rng.nextInt(bound)]++;
        }
        double chiSquare = 0;
        for (int c : counts) {
            double e = draws / (double) bound;
            chiSquare += (c - e) * (c - e) / e;
        }
        // 6 degrees of freedom: P(chi^2 > 22.46) = 0.001.
        assertTrue(chiSquare < 22.46, "chi-square " + chiSquare);
        assertThrows(IllegalArgumentException.class, () -> rng.nextInt(0));
    }

    @Test
    void rejectsInvalidParameters() {
        try (TensorScope scope = TensorScope.open("rng")) {
            Tensor t = scope.allocateFloat(4);
            Rng rng = Rng.seeded(0);
            assertThrows(IllegalArgumentException.class, () -> rng.fillUniform(t, 1, 0));
            assertThrows(IllegalArgumentException.class, () -> rng.fillNormal(t, 0, -1));
            assertThrows(IllegalArgumentException.class, () -> rng.fillBernoulli(t, 1.5));
        }
    }

    /** Mean, variance, skewness, kurtosis. */
    private static double[] moments(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        for (double x : v) {
            double d = x - mean;
            m2 += d * d;
            m3 += d * d * d;
            m4 += d * d * d * d;
        }
        m2 /= v.length;
        m3 /= v.length;
        m4 /= v.length;
        return new double[] {mean, m2, m3 / Math.pow(m2, 1.5), m4 / (m2 * m2)};
    }

    private static double correlation(double[] a, int aFrom, double[] b, int bFrom, int n) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[aFrom + i];
            mb += b[bFrom + i];
        }
        ma /= n;
        mb /= n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            double da = a[aFrom + i] - ma;
            double db = b[bFrom + i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
