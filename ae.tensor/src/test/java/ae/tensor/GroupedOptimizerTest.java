package ae.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The grouped optimizer updates of {@link TensorOps} (one split over all of a model's parameters) against the
 * per-tensor updates: the same bits whatever the sizes and the thread count.
 */
class GroupedOptimizerTest {
    private enum Rule { ADAM, ADAM_W, SGD_MOMENTUM, SGD_PLAIN }

    /** Sizes from one element to past the parallel threshold, so groups mix tiny and split tensors. */
    private static int[] sizes(long seed, int count) {
        Random random = new Random(seed);
        int[] sizes = new int[count];
        for (int i = 0; i < count; i++) {
            sizes[i] = random.nextBoolean() ? 1 + random.nextInt(300) : 1 + random.nextInt(3 * TensorOps.PARALLEL_THRESHOLD);
        }
        return sizes;
    }

    private static Tensor[] filled(TensorScope scope, int[] sizes, long seed, double lo, double hi) {
        Tensor[] out = new Tensor[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            out[i] = scope.allocateFloat(sizes[i]);
            Rng.seeded(seed + i).fillUniform(out[i], lo, hi);
        }
        return out;
    }

    /** Three steps of {@code rule}, grouped or tensor by tensor; returns params, then first and second states. */
    private static float[][] train(Rule rule, boolean grouped, int threads, boolean rowAffinity, int[] sizes,
                                   long seed) {
        // A pool that keeps rows with threads cuts each tensor of a group by itself.
        try (TensorScope scope = TensorScope.open("grouped");
             ComputePool pool = ComputePool.create(threads, rowAffinity)) {
            TensorOps ops = TensorOps.create(pool);
            int n = sizes.length;
            Tensor[] params = filled(scope, sizes, seed, -1, 1);
            Tensor[] grads = filled(scope, sizes, seed + 100, -1, 1);
            Tensor[] first = filled(scope, sizes, seed + 200, -0.1, 0.1);
            Tensor[] second = filled(scope, sizes, seed + 300, 0, 0.1);
            for (long step = 1; step <= 3; step++) {
                if (grouped) {
                    switch (rule) {
                        case ADAM -> ops.adam(n, params, grads, first, second, 1e-2, 0.9, 0.999, 1e-8, 0.01, step);
                        case ADAM_W -> ops.adamW(n, params, grads, first, second, 1e-2, 0.9, 0.99, 1e-8, 0.1, step);
                        case SGD_MOMENTUM -> ops.sgd(n, params, grads, first, 0.1, 0.9, 0.1, 0.01, true, step == 1);
                        case SGD_PLAIN -> ops.sgd(n, params, grads, null, 0.1, 0, 0, 0.01, false, step == 1);
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        switch (rule) {
                            case ADAM -> ops.adam(params[i], grads[i], first[i], second[i], 1e-2, 0.9, 0.999, 1e-8,
                                    0.01, step);
                            case ADAM_W -> ops.adamW(params[i], grads[i], first[i], second[i], 1e-2, 0.9, 0.99, 1e-8,
                                    0.1, step);
                            case SGD_MOMENTUM -> ops.sgd(params[i], grads[i], first[i], 0.1, 0.9, 0.1, 0.01, true,
                                    step == 1);
                            case SGD_PLAIN -> ops.sgd(params[i], grads[i], null, 0.1, 0, 0, 0.01, false, step == 1);
                        }
                    }
                }
            }
            float[][] out = new float[3 * n][];
            for (int i = 0; i < n; i++) {
                out[i] = params[i].toFloatArray();
                out[n + i] = first[i].toFloatArray();
                out[2 * n + i] = second[i].toFloatArray();
            }
            return out;
        }
    }

    @Test
    void groupedUpdatesHaveTheBitsOfPerTensorUpdatesAtAnyThreadCount() {
        qt().withExamples(12).forAll(integers().between(1, 7), integers().between(1, 3), integers().between(0, 3),
                longs().all()).checkAssert((count, threads, ruleIndex, seed) -> {
                    Rule rule = Rule.values()[ruleIndex];
                    int[] sizes = sizes(seed, count);
                    float[][] expected = train(rule, false, 1, false, sizes, seed);
                    for (boolean rowAffinity : new boolean[] {false, true}) {
                        float[][] actual = train(rule, true, threads, rowAffinity, sizes, seed);
                        for (int i = 0; i < expected.length; i++) {
                            assertArrayEquals(expected[i], actual[i], rule + " tensor " + i + " of sizes "
                                    + java.util.Arrays.toString(sizes) + " at " + threads + " threads, row affinity "
                                    + rowAffinity);
                        }
                    }
                });
    }

    @Test
    void aBadEntryIsNamed() {
        try (TensorScope scope = TensorScope.open("bad"); ComputePool pool = ComputePool.create(2)) {
            TensorOps ops = TensorOps.create(pool);
            Tensor[] params = {scope.allocateFloat(4), scope.allocateFloat(3)};
            Tensor[] grads = {scope.allocateFloat(4), scope.allocateFloat(5)};
            Tensor[] first = {scope.allocateFloat(4), scope.allocateFloat(3)};
            Tensor[] second = {scope.allocateFloat(4), scope.allocateFloat(3)};
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                    () -> ops.adam(2, params, grads, first, second, 1e-3, 0.9, 0.999, 1e-8, 0, 1));
            assertTrue(shape.getMessage().contains("entry 1"), shape.getMessage());
            Tensor matrix = scope.allocateFloat(4, 6);
            Tensor[] columns = {matrix.transpose()};
            Tensor[] columnGrads = {scope.allocateFloat(6, 4)};
            IllegalArgumentException layout = assertThrows(IllegalArgumentException.class,
                    () -> ops.sgd(1, columns, columnGrads, null, 0.1, 0, 0, 0, false, true));
            assertTrue(layout.getMessage().contains("entry 0"), layout.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> ops.adam(3, params, grads, first, second, 1e-3, 0.9, 0.999, 1e-8, 0, 1));
        }
    }
}
