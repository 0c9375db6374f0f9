package ae.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Optimizer updates against PyTorch's formulas written out in float64, over several steps; and the SIMD
 * provider against the scalar one (bit for bit: both perform the same float32 operations).
 */
class OptimizerKernelsTest {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final int STEPS = 6;

    private static MemorySegment floats(Arena arena, double[] values) {
        MemorySegment s = arena.allocate(4L * values.length, 64);
        for (int i = 0; i < values.length; i++) {
            s.setAtIndex(F, i, (float) values[i]);
        }
        return s;
    }

    private static double[] random(SplittableRandom r, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (scale * r.nextDouble(-1, 1));
        }
        return v;
    }

    private static void assertClose(String what, double[] expected, MemorySegment actual) {
        for (int i = 0; i < expected.length; i++) {
            double a = actual.getAtIndex(F, i);
            assertEquals(expected[i], a, 1e-6 + 2e-5 * Math.abs(expected[i]), what + " element " + i);
        }
    }

    @Test
    void adamAndAdamWFollowPyTorchOverSeveralSteps() {
        for (boolean decoupled : new boolean[] {false, true}) {
            for (OptimizerKernels kernels : new OptimizerKernels[] {Kernels.scalar().optimizer(), Kernels.simd().optimizer()}) {
                int n = 37;
                double lr = 1e-2;
                double beta1 = 0.9;
                double beta2 = 0.999;
                double eps = 1e-8;
                double weightDecay = 0.05;
                SplittableRandom r = new SplittableRandom(7);
                double[] p = random(r, n, 1);
                double[] m = new double[n];
                double[] v = new double[n];
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment ps = floats(arena, p);
                    MemorySegment ms = floats(arena, m);
                    MemorySegment vs = floats(arena, v);
                    for (int t = 1; t <= STEPS; t++) {
                        double[] g = random(r, n, 0.5);
                        MemorySegment gs = floats(arena, g);
                        double bc1 = 1 - Math.pow(beta1, t);
                        double bc2 = 1 - Math.pow(beta2, t);
                        for (int i = 0; i < n; i++) {
                            double gi = g[i];
                            if (decoupled) {
                                p[i] *= 1 - lr * weightDecay;
                            } else {
                                gi += weightDecay * p[i];
                            }
                            m[i] = beta1 * m[i] + (1 - beta1) * gi;
                            v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
                            double denom = Math.sqrt(v[i]) / Math.sqrt(bc2) + eps;
                            p[i] -= lr / bc1 * m[i] / denom;
                        }
                        if (decoupled) {
                            kernels.adamWF32(n, ps, 0, gs, 0, ms, 0, vs, 0, (float) lr, (float) beta1, (float) beta2,
                                    (float) eps, (float) weightDecay, bc1, bc2);
                        } else {
                            kernels.adamF32(n, ps, 0, gs, 0, ms, 0, vs, 0, (float) lr, (float) beta1, (float) beta2,
                                    (float) eps, (float) weightDecay, bc1, bc2);
                        }
                    }
                    String what = kernels.name() + (decoupled ? " adamW" : " adam");
                    assertClose(what + " param", p, ps);
                    assertClose(what + " first moment", m, ms);
                    assertClose(what + " second moment", v, vs);
                }
            }
        }
    }

    @Test
    void sgdFollowsPyTorchOverSeveralSteps() {
        for (boolean nesterov : new boolean[] {false, true}) {
            for (double momentum : new double[] {0, 0.9}) {
                for (OptimizerKernels kernels : new OptimizerKernels[] {Kernels.scalar().optimizer(), Kernels.simd().optimizer()}) {
                    int n = 41;
                    double lr = 0.1;
                    double dampening = momentum == 0 || nesterov ? 0 : 0.1;
                    double weightDecay = 0.01;
                    SplittableRandom r = new SplittableRandom(11);
                    double[] p = random(r, n, 1);
                    double[] b = new double[n];
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment ps = floats(arena, p);
                        MemorySegment bs = floats(arena, random(r, n, 9));
                        for (int t = 1; t <= STEPS; t++) {
                            double[] g = random(r, n, 0.5);
                            MemorySegment gs = floats(arena, g);
                            for (int i = 0; i < n; i++) {
                                double gi = g[i] + weightDecay * p[i];
                                if (momentum != 0) {
                                    b[i] = t == 1 ? gi : momentum * b[i] + (1 - dampening) * gi;
                                    gi = nesterov ? gi + momentum * b[i] : b[i];
                                }
                                p[i] -= lr * gi;
                            }
                            kernels.sgdF32(n, ps, 0, gs, 0, momentum == 0 ? null : bs, 0, (float) lr, (float) momentum,
                                    (float) dampening, (float) weightDecay, nesterov, t == 1);
                        }
                        String what = kernels.name() + " sgd momentum " + momentum + (nesterov ? " nesterov" : "");
                        assertClose(what + " param", p, ps);
                        if (momentum != 0) {
                            assertClose(what + " buffer", b, bs);
                        }
                    }
                }
            }
        }
    }

    @Test
    void simdEqualsScalarBitForBitOnLaneCrossingSizes() {
        qt().withExamples(200).forAll(integers().between(1, KernelHarness.MAX_FLAT), integers().between(0, 3),
                booleans().all(), longs().all()).checkAssert((n, variant, flag, seed) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    double[] p = random(r, n, 1);
                    double[] g = random(r, n, 1);
                    double[] m = random(r, n, 0.1);
                    double[] v = random(r, n, 0.1);
                    for (int i = 0; i < n; i++) {
                        v[i] = Math.abs(v[i]);
                        if (r.nextInt(4) == 0) {
                            // State near the subnormal boundary under a zero gradient, where the flush decides.
                            g[i] = 0;
                            m[i] = r.nextDouble(-8, 8) * Float.MIN_NORMAL;
                            v[i] = r.nextDouble(0, 8) * Float.MIN_NORMAL;
                        }
                    }
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment[][] state = new MemorySegment[2][];
                        OptimizerKernels[] providers = {Kernels.simd().optimizer(), Kernels.scalar().optimizer()};
                        for (int which = 0; which < 2; which++) {
                            MemorySegment ps = floats(arena, p);
                            MemorySegment gs = floats(arena, g);
                            MemorySegment ms = floats(arena, m);
                            MemorySegment vs = floats(arena, v);
                            OptimizerKernels k = providers[which];
                            switch (variant) {
                                case 0 -> k.adamF32(n, ps, 0, gs, 0, ms, 0, vs, 0, 1e-3f, 0.9f, 0.999f, 1e-8f,
                                        flag ? 0.01f : 0f, 1 - Math.pow(0.9, 3), 1 - Math.pow(0.999, 3));
                                case 1 -> k.adamWF32(n, ps, 0, gs, 0, ms, 0, vs, 0, 1e-3f, 0.3f, 0.99f, 1e-8f,
                                        0.1f, 1 - Math.pow(0.3, 2), 1 - Math.pow(0.99, 2));
                                case 2 -> k.sgdF32(n, ps, 0, gs, 0, ms, 0, 0.05f, 0.9f, 0.1f, 0.01f, flag, false);
                                default -> k.sgdF32(n, ps, 0, gs, 0, ms, 0, 0.05f, 0.9f, 0f, 0f, flag, true);
                            }
                            state[which] = new MemorySegment[] {ps, ms, vs};
                        }
                        for (int s = 0; s < 3; s++) {
                            for (int i = 0; i < n; i++) {
                                assertEquals(state[1][s].getAtIndex(F, i), state[0][s].getAtIndex(F, i),
                                        "variant " + variant + " state " + s + " element " + i);
                            }
                        }
                    }
                });
    }

    /**
     * Under a zero gradient (a dead ReLU unit) PyTorch's moments decay into the subnormals and stick at 4 * 2^-149;
     * ours reach exact zero, so later steps run without microcode assists.
     */
    @Test
    void momentsUnderAZeroGradientDecayToExactZeroNotToASubnormal() {
        int n = 35;
        for (OptimizerKernels kernels : new OptimizerKernels[] {Kernels.scalar().optimizer(), Kernels.simd().optimizer()}) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment p = floats(arena, new double[n]);
                MemorySegment g = floats(arena, new double[n]);
                MemorySegment m = floats(arena, new double[n]);
                MemorySegment v = floats(arena, new double[n]);
                MemorySegment b = floats(arena, new double[n]);
                for (int i = 0; i < n; i++) {
                    m.setAtIndex(F, i, 1e-30f);
                    v.setAtIndex(F, i, 1e-36f);
                    b.setAtIndex(F, i, 1e-30f);
                }
                for (int t = 1; t <= 1000; t++) {
                    kernels.adamF32(n, p, 0, g, 0, m, 0, v, 0, 1e-3f, 0.9f, 0.9f, 1e-8f, 0f,
                            1 - Math.pow(0.9, t), 1 - Math.pow(0.9, t));
                    kernels.sgdF32(n, p, 0, g, 0, b, 0, 1e-3f, 0.9f, 0f, 0f, false, false);
                    for (int i = 0; i < n; i++) {
                        for (MemorySegment state : new MemorySegment[] {m, v, b}) {
                            float x = state.getAtIndex(F, i);
                            assertEquals(true, x == 0f || Math.abs(x) >= Float.MIN_NORMAL,
                                    kernels.name() + " step " + t + " element " + i + " holds subnormal " + x);
                        }
                    }
                }
                for (int i = 0; i < n; i++) {
                    assertEquals(0f, m.getAtIndex(F, i), kernels.name() + " first moment " + i);
                    assertEquals(0f, v.getAtIndex(F, i), kernels.name() + " second moment " + i);
                    assertEquals(0f, b.getAtIndex(F, i), kernels.name() + " momentum buffer " + i);
                }
            }
        }
    }
}
