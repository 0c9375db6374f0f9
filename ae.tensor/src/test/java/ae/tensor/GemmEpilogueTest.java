package ae.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Work run as a GEMM epilogue: on products big enough to be split over the pool (by rows and by columns), the
 * epilogue sees every element of C once and only once it is final; bias + activation fused into the product, and
 * column sums riding in its fork and join, give the bits of the separate calls, whatever the thread count and
 * whether the pool keeps rows with threads.
 */
class GemmEpilogueTest {
    private static Tensor random(TensorScope scope, DType dtype, SplittableRandom random, int rows, int cols) {
        Tensor t = scope.allocate(dtype, rows, cols);
        Rng.seeded(random.nextLong()).fillUniform(t, -1, 1);
        return t;
    }

    @Test
    void theEpilogueSeesEveryFinishedElementOnce() {
        qt().withExamples(25).forAll(integers().between(1, 400), integers().between(1, 400), integers().between(1, 64),
                integers().between(1, 3)).checkAssert((m, n, k, threads) -> {
                    GemmKernels gemm = Kernels.simd().gemm();
                    // Pools that keep rows with threads split products of few rows by rows rather than columns.
                    try (TensorScope scope = TensorScope.open("epilogue");
                         ComputePool pool = ComputePool.create(threads, (m + n + k) % 2 == 0)) {
                        SplittableRandom random = new SplittableRandom((long) m * 1_000_003L + n * 1009L + k);
                        // A k of 64 and up to 400 x 400 reaches 10 million multiply-adds: both splits are exercised.
                        Tensor a = random(scope, DType.F32, random, m, k);
                        Tensor b = random(scope, DType.F32, random, k, n);
                        Tensor c = scope.allocate(DType.F32, m, n);
                        Tensor expected = scope.allocate(DType.F32, m, n);
                        Gemm.multiply(gemm, pool, 1, a, false, b, false, 0, expected);
                        int[] seen = new int[m * n];
                        boolean[] finalWhenSeen = {true};
                        Gemm.multiply(gemm, pool, 1, a, false, b, false, 0, c, (rowFrom, rowTo, colFrom, colTo) -> {
                            for (int i = rowFrom; i < rowTo; i++) {
                                for (int j = colFrom; j < colTo; j++) {
                                    synchronized (seen) {
                                        seen[i * n + j]++;
                                        if (c.get(i, j) != expected.get(i, j)) {
                                            finalWhenSeen[0] = false;
                                        }
                                    }
                                }
                            }
                        });
                        for (int i = 0; i < seen.length; i++) {
                            assertEquals(1, seen[i], "element " + i / n + ", " + i % n + " of " + m + " x " + n);
                        }
                        assertEquals(true, finalWhenSeen[0], "an element was handed over before it was final");
                    }
                });
    }

    @Test
    void fusedBiasActivationGivesTheBitsOfTheTwoCalls() {
        qt().withExamples(20).forAll(integers().between(1, 300), integers().between(1, 300), integers().between(1, 80),
                longs().all()).checkAssert((m, n, k, seed) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    DType dtype = random.nextInt(4) == 0 ? DType.F64 : DType.F32;
                    Kernels kernels = random.nextInt(4) == 0 ? Kernels.scalar() : Kernels.simd();
                    Activation act = Activation.values()[random.nextInt(Activation.values().length)];
                    boolean transB = random.nextBoolean();
                    boolean withBias = random.nextInt(4) != 0;
                    double[] reference = null;
                    for (int threads = 1; threads <= 3; threads++) {
                        try (TensorScope scope = TensorScope.open("fused");
                             ComputePool pool = ComputePool.create(threads, random.nextBoolean())) {
                            SplittableRandom values = new SplittableRandom(seed);
                            Tensor x = random(scope, dtype, values, m, k);
                            Tensor w = transB ? random(scope, dtype, values, n, k) : random(scope, dtype, values, k, n);
                            Tensor bias = withBias ? scope.allocate(dtype, n) : null;
                            if (bias != null) {
                                Rng.seeded(values.nextLong()).fillUniform(bias, -1, 1);
                            }
                            TensorOps ops = TensorOps.create(pool, kernels);
                            Tensor fused = scope.allocate(dtype, m, n);
                            ops.multiplyBiasActivation(kernels.gemm(), x, false, w, transB, bias, act, fused);
                            Tensor separate = scope.allocate(dtype, m, n);
                            Gemm.multiply(kernels.gemm(), pool, 1, x, false, w, transB, 0, separate);
                            ops.biasActivation(act, separate, bias, separate);
                            String what = act + " " + dtype + " " + kernels.name() + ", " + m + " x " + n + " x " + k
                                    + ", " + threads + " threads";
                            assertArrayEquals(separate.toDoubleArray(), fused.toDoubleArray(), what);
                            if (reference == null) {
                                reference = fused.toDoubleArray();
                            } else {
                                assertArrayEquals(reference, fused.toDoubleArray(), what + " against 1 thread");
                            }
                        }
                    }
                });
    }

    @Test
    void columnSumsWithinTheProductGiveTheBitsOfTheTwoCalls() {
        qt().withExamples(20).forAll(integers().between(1, 300), integers().between(1, 300), integers().between(1, 80),
                longs().all()).checkAssert((m, n, k, seed) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    DType dtype = random.nextInt(4) == 0 ? DType.F64 : DType.F32;
                    Kernels kernels = random.nextInt(4) == 0 ? Kernels.scalar() : Kernels.simd();
                    boolean transA = random.nextBoolean();
                    boolean accumulate = random.nextBoolean();
                    int sumRows = 1 + random.nextInt(200);
                    int sumCols = 1 + random.nextInt(900);
                    double[] reference = null;
                    for (int threads = 1; threads <= 3; threads++) {
                        try (TensorScope scope = TensorScope.open("sums");
                             ComputePool pool = ComputePool.create(threads, random.nextBoolean())) {
                            SplittableRandom values = new SplittableRandom(seed);
                            Tensor a = transA ? random(scope, dtype, values, k, m) : random(scope, dtype, values, m, k);
                            Tensor b = random(scope, dtype, values, k, n);
                            Tensor x = random(scope, dtype, values, sumRows, sumCols);
                            Tensor sums = scope.allocate(dtype, sumCols);
                            Rng.seeded(values.nextLong()).fillUniform(sums, -1, 1);
                            Tensor expectedSums = scope.allocate(dtype, sumCols);
                            expectedSums.copyFrom(sums);
                            Tensor c = scope.allocate(dtype, m, n);
                            Tensor expected = scope.allocate(dtype, m, n);
                            TensorOps ops = TensorOps.create(pool, kernels);
                            ops.multiplyAndColumnSums(kernels.gemm(), 1, a, transA, b, false, 0, c, x, sums, accumulate);
                            Gemm.multiply(kernels.gemm(), pool, 1, a, transA, b, false, 0, expected);
                            ops.columnSums(x, expectedSums, accumulate);
                            String what = dtype + " " + kernels.name() + ", " + m + " x " + n + " x " + k + ", sums of "
                                    + sumRows + " x " + sumCols + ", " + threads + " threads";
                            assertArrayEquals(expected.toDoubleArray(), c.toDoubleArray(), what);
                            assertArrayEquals(expectedSums.toDoubleArray(), sums.toDoubleArray(), what);
                            if (reference == null) {
                                reference = sums.toDoubleArray();
                            } else {
                                assertArrayEquals(reference, sums.toDoubleArray(), what + " against 1 thread");
                            }
                        }
                    }
                });
    }
}
