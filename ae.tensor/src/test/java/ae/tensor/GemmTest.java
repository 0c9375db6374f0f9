package ae.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tensor facade: layouts it maps onto the kernels, and the shape errors it reports. */
class GemmTest {
    private static ComputePool pool;

    @BeforeAll
    static void startPool() {
        pool = ComputePool.create(2);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    /**
     * Every operand is randomly a plain matrix, a rows view of a wider buffer (leading dimension above the width),
     * or a transposed view; the result must match a float64 product of the logical matrices.
     */
    @Test
    void everyLayoutGivesTheLogicalProduct() {
        qt().withExamples(150).forAll(integers().between(1, 40), integers().between(1, 40), integers().between(1, 40),
                longs().all()).checkAssert((m, n, k, seed) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    DType dtype = random.nextBoolean() ? DType.F32 : DType.F64;
                    boolean transA = random.nextBoolean();
                    boolean transB = random.nextBoolean();
                    double alpha = random.nextBoolean() ? 1 : -0.75;
                    double beta = random.nextBoolean() ? 0 : 0.5;
                    try (TensorScope scope = TensorScope.open("facade")) {
                        Tensor a = operand(scope, dtype, random, transA ? k : m, transA ? m : k);
                        Tensor b = operand(scope, dtype, random, transB ? n : k, transB ? k : n);
                        Tensor c = operand(scope, dtype, random, m, n);
                        double[][] expected = new double[m][n];
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                double sum = 0;
                                for (int p = 0; p < k; p++) {
                                    sum += (transA ? a.get(p, i) : a.get(i, p)) * (transB ? b.get(j, p) : b.get(p, j));
                                }
                                expected[i][j] = alpha * sum + beta * c.get(i, j);
                            }
                        }
                        Gemm.multiply(pool, alpha, a, transA, b, transB, beta, c);
                        double eps = dtype == DType.F32 ? 0x1p-23 : 0x1p-52;
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                assertEquals(expected[i][j], c.get(i, j), 4.0 * (k + 2) * eps * (k + 1),
                                        "C(" + i + ", " + j + ") of " + a + (transA ? "^T" : "") + " * " + b
                                                + (transB ? "^T" : "") + " into " + c);
                            }
                        }
                    }
                });
    }

    /** A rows x cols tensor in one of three layouts, filled with values in [-1, 1]. */
    private static Tensor operand(TensorScope scope, DType dtype, SplittableRandom random, int rows, int cols) {
        Tensor t = switch (random.nextInt(3)) {
            case 0 -> scope.allocate(dtype, rows, cols);
            case 1 -> scope.allocate(dtype, rows + 2, cols + random.nextInt(1, 9)).rows(1, rows + 1)
                    .transpose().rows(0, cols).transpose();
            default -> scope.allocate(dtype, cols, rows).transpose();
        };
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t.set(i, j, random.nextDouble(-1, 1));
            }
        }
        return t;
    }

    @Test
    void innerDimensionMismatchNamesBothShapes() {
        try (TensorScope scope = TensorScope.open("facade")) {
            Tensor a = scope.allocateFloat(128, 784);
            Tensor w = scope.allocateFloat(256, 784);
            Tensor c = scope.allocateFloat(128, 256);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Gemm.multiply(pool, 1, a, false, w, false, 0, c));
            assertEquals("op(A) is [128, 784] but op(B) is [256, 784]: inner dimensions differ", e.getMessage());
            Gemm.multiply(pool, 1, a, false, w, true, 0, c);
        }
    }

    @Test
    void wrongResultShapeNamesAllShapes() {
        try (TensorScope scope = TensorScope.open("facade")) {
            Tensor a = scope.allocateFloat(3, 4);
            Tensor b = scope.allocateFloat(4, 5);
            Tensor c = scope.allocateFloat(5, 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Gemm.multiply(pool, 1, a, false, b, false, 0, c));
            assertEquals("C is [5, 3] but op(A) is [3, 4] and op(B) is [4, 5], so C must be [3, 5]", e.getMessage());
        }
    }

    @Test
    void mixedElementTypesAreRejected() {
        try (TensorScope scope = TensorScope.open("facade")) {
            Tensor a = scope.allocateFloat(3, 4);
            Tensor b = scope.allocateDouble(4, 5);
            Tensor c = scope.allocateFloat(3, 5);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Gemm.multiply(pool, 1, a, false, b, false, 0, c));
            assertEquals("A is float32 but B is float64", e.getMessage());
            Tensor c64 = scope.allocateDouble(3, 5);
            Tensor b32 = scope.allocateFloat(4, 5);
            e = assertThrows(IllegalArgumentException.class, () -> Gemm.multiply(pool, 1, a, false, b32, false, 0, c64));
            assertEquals("A is float32 but C is float64", e.getMessage());
        }
    }

    @Test
    void nonMatrixOperandsAreRejected() {
        try (TensorScope scope = TensorScope.open("facade")) {
            Tensor a = scope.allocateFloat(3, 4, 2);
            Tensor b = scope.allocateFloat(4, 5);
            Tensor c = scope.allocateFloat(3, 5);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Gemm.multiply(pool, 1, a, false, b, false, 0, c));
            assertEquals("A must be 2-D, got shape [3, 4, 2]", e.getMessage());
        }
    }

    @Test
    void closedScopeIsRejected() {
        TensorScope scope = TensorScope.open("short-lived");
        Tensor a = scope.allocateFloat(2, 2);
        Tensor b = scope.allocateFloat(2, 2);
        Tensor c = scope.allocateFloat(2, 2);
        scope.close();
        assertThrows(IllegalStateException.class, () -> Gemm.multiply(pool, 1, a, false, b, false, 0, c));
    }

    @Test
    void scalarKernelsCanBeChosen() {
        try (TensorScope scope = TensorScope.open("facade")) {
            Tensor a = scope.fromArray(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
            Tensor b = scope.fromArray(new double[] {1, 0, 0, 1, 1, 1}, 3, 2);
            Tensor c = scope.allocateDouble(2, 2);
            Gemm.multiply(Kernels.scalar().gemm(), pool, 1, a, false, b, false, 0, c);
            assertEquals(4.0, c.get(0, 0));
            assertEquals(5.0, c.get(0, 1));
            assertEquals(10.0, c.get(1, 0));
            assertEquals(11.0, c.get(1, 1));
        }
    }
}
