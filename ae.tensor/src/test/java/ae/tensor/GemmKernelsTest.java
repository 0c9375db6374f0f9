package ae.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SIMD GEMM against the scalar reference and a float64 product, on shapes that cross every boundary. */
class GemmKernelsTest {
    /** Sizes up to two vectors and a bit more: every tile edge case of the micro-kernel. */
    private static final int SMALL = 2 * FloatVector.SPECIES_PREFERRED.length() + 3;
    private static ComputePool one;
    private static ComputePool two;
    private static ComputePool three;

    @BeforeAll
    static void startPools() {
        one = ComputePool.create(1);
        two = ComputePool.create(2);
        three = ComputePool.create(3);
    }

    @AfterAll
    static void stopPools() {
        one.close();
        two.close();
        three.close();
    }

    @Test
    void providersAreNamedAndSelectable() {
        assertEquals("simd", Kernels.simd().gemm().name());
        assertEquals("scalar", Kernels.scalar().gemm().name());
        assertSame(KernelSelection.simdPreferred() ? Kernels.simd() : Kernels.scalar(), Kernels.preferred());
    }

    @Test
    void sgemmMatchesReferenceOnSmallShapes() {
        qt().withExamples(400).forAll(integers().between(1, SMALL), integers().between(1, SMALL),
                        integers().between(1, SMALL), longs().all())
                .checkAssert((m, n, k, seed) -> check(new GemmCase(DType.F32, m, n, k, seed), one));
    }

    @Test
    void dgemmMatchesReferenceOnSmallShapes() {
        qt().withExamples(400).forAll(integers().between(1, SMALL), integers().between(1, SMALL),
                        integers().between(1, SMALL), longs().all())
                .checkAssert((m, n, k, seed) -> check(new GemmCase(DType.F64, m, n, k, seed), one));
    }

    /**
     * A transposed B is packed in blocks of 8 x 8 (float32; 4 x 4 for float64), then 4 x 4 beside them, then element
     * by element: every count of columns and k up to past two panels of 8-blocks and two 8-blocks of k, so that
     * each kind of block meets each kind of border, with alpha applied in all of them.
     */
    @Test
    void transposedBMatchesReferenceAtEveryPackingBorder() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        for (int n = 1; n <= 4 * lanes + 13; n++) {
            for (int k = 1; k <= 21; k++) {
                for (DType dtype : DType.values()) {
                    check(new GemmCase(dtype, (n + k) % 2 == 0, true, 5, n, k, 0.75, -0.5, 31L * n + k), one);
                }
            }
        }
    }

    /** Shapes past the cache blocks: several k blocks, several column blocks, rows split among threads. */
    @Test
    void sgemmMatchesReferenceAcrossCacheBlocks() {
        qt().withExamples(12).forAll(integers().between(1, 70), integers().between(1, 1300),
                        integers().between(200, 700), longs().all())
                .checkAssert((m, n, k, seed) -> check(new GemmCase(DType.F32, m, n, k, seed), two));
    }

    @Test
    void dgemmMatchesReferenceAcrossCacheBlocks() {
        qt().withExamples(12).forAll(integers().between(1, 70), integers().between(1, 1300),
                        integers().between(200, 700), longs().all())
                .checkAssert((m, n, k, seed) -> check(new GemmCase(DType.F64, m, n, k, seed), two));
    }

    /** Tall and narrow, wide and flat: both ways of splitting C over threads, with tiles that do not divide. */
    @Test
    void parallelSplitsMatchReference() {
        qt().withExamples(10).forAll(integers().between(100, 400), integers().between(1, 90),
                        integers().between(50, 300), longs().all())
                .checkAssert((m, n, k, seed) -> {
                    check(new GemmCase(DType.F32, m, n, k, seed), three);
                    check(new GemmCase(DType.F32, n, m, k, seed), three);
                    check(new GemmCase(DType.F64, m, n, k, seed), two);
                });
    }

    /** Past the widest column block, past the tallest row block (also per thread), and several k blocks. */
    @Test
    void everyCacheBlockBoundaryIsCrossed() {
        int[][] shapes = {{9, 4200, 37}, {790, 21, 45}, {400, 70, 700}, {300, 50, 1700}};
        for (int[] shape : shapes) {
            for (int variant = 0; variant < 4; variant++) {
                for (DType dtype : DType.values()) {
                    GemmCase problem = new GemmCase(dtype, (variant & 1) != 0, (variant & 2) != 0,
                            shape[0], shape[1], shape[2], 0.5, -1, 7 * variant + shape[0]);
                    check(problem, variant % 2 == 0 ? one : two);
                }
            }
        }
    }

    /**
     * From 1024 rows on, float32 products run on 12-row tiles (FloatGemmTall): every transpose, row blocks of 120 and
     * a ragged last one, one to three k blocks of up to 1024, one to three threads, both ways of splitting C.
     */
    @Test
    void tallFloat32ProductsMatchReference() {
        qt().withExamples(8).forAll(integers().between(1024, 1100), integers().between(1, 70),
                        integers().between(1, 2200), longs().all())
                .checkAssert((m, n, k, seed) -> {
                    int variant = (int) Math.floorMod(seed, 4L);
                    check(new GemmCase(DType.F32, (variant & 1) != 0, (variant & 2) != 0, m, n, k, 0.75,
                            variant == 3 ? 0 : -0.5, seed), variant == 0 ? one : variant == 1 ? two : three);
                });
        for (int variant = 0; variant < 4; variant++) {
            check(new GemmCase(DType.F32, (variant & 1) != 0, (variant & 2) != 0, 1031, 45, 1050, 1, 0.5,
                    variant), two);
        }
        check(new GemmCase(DType.F32, false, false, 1200, 700, 40, 1, 0, 9), two);
        // Three k blocks (k past 2 * 1024), whatever the random examples drew.
        check(new GemmCase(DType.F32, false, true, 1030, 33, 2100, 1, 0.5, 11), three);
    }

    @Test
    void sameThreadCountGivesSameBits() {
        for (ComputePool pool : new ComputePool[] {one, two, three}) {
            for (DType dtype : DType.values()) {
                for (int variant = 0; variant < 4; variant++) {
                    GemmCase wide = new GemmCase(dtype, (variant & 1) != 0, (variant & 2) != 0, 67, 301, 530, 1.5, -0.5, 17 + variant);
                    GemmCase tall = new GemmCase(dtype, (variant & 1) != 0, (variant & 2) != 0, 405, 37, 290, -1, 1, 41 + variant);
                    for (GemmCase problem : new GemmCase[] {wide, tall}) {
                        double[] first = problem.run(Kernels.simd().gemm(), pool);
                        double[] second = problem.run(Kernels.simd().gemm(), pool);
                        assertArrayEquals(first, second, problem + " on " + pool.threads() + " threads");
                        checkAgainstExact(problem, first, "simd on " + pool.threads() + " threads");
                    }
                }
            }
        }
    }

    @Test
    void alphaZeroAndBetaZeroWriteZerosWithoutReadingC() {
        GemmCase problem = new GemmCase(DType.F32, false, true, 9, 21, 5, 0, 0, 3);
        double[] c = problem.run(Kernels.simd().gemm(), one);
        for (int i = 0; i < problem.m; i++) {
            for (int j = 0; j < problem.n; j++) {
                assertEquals(0.0, c[i * problem.ldc + j]);
            }
        }
    }

    @Test
    void everyProviderRejectsBadArgumentsAndLeavesCUntouched() {
        for (Kernels kernels : new Kernels[] {Kernels.simd(), Kernels.scalar()}) {
            GemmKernels gemm = kernels.gemm();
            float[] operands = new float[100];
            MemorySegment x = MemorySegment.ofArray(operands);
            float[] cValues = new float[100];
            java.util.Arrays.fill(cValues, 7f);
            MemorySegment c = MemorySegment.ofArray(cValues);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> gemm.sgemm(one, false, false, 4, 5, 6, 1f, x, 0, 5, x, 0, 5, 0f, c, 0, 5));
            assertEquals("leading dimension of A is 5 but its stored rows have 6 elements", e.getMessage());
            // C is large enough for the first rows: a provider that wrote before checking would change them.
            assertThrows(IndexOutOfBoundsException.class,
                    () -> gemm.sgemm(one, false, false, 10, 10, 11, 1f, x, 0, 11, x, 0, 10, 0f, c, 0, 10));
            assertThrows(IllegalArgumentException.class,
                    () -> gemm.sgemm(one, false, false, -1, 10, 1, 1f, x, 0, 1, x, 0, 10, 0f, c, 0, 10));
            MemorySegment d = MemorySegment.ofArray(new double[20]);
            assertThrows(IndexOutOfBoundsException.class,
                    () -> gemm.dgemm(one, false, false, 5, 5, 5, 1, d, 0, 5, d, 0, 5, 0, d, 0, 5));
            for (float v : cValues) {
                assertEquals(7f, v, gemm.name() + " wrote C before failing");
            }
        }
    }

    private static void check(GemmCase problem, ComputePool pool) {
        double[] simd = problem.run(Kernels.simd().gemm(), pool);
        double[] scalar = problem.run(Kernels.scalar().gemm(), pool);
        checkAgainstExact(problem, simd, "simd");
        checkAgainstExact(problem, scalar, "scalar");
        for (int i = 0; i < problem.m; i++) {
            for (int j = 0; j < problem.n; j++) {
                int index = problem.cOffset + i * problem.ldc + j;
                if (Math.abs(simd[index] - scalar[index]) > 2 * problem.tolerance(i, j)) {
                    fail(problem + ": C(" + i + ", " + j + ") is " + simd[index] + " in simd but " + scalar[index]
                            + " in scalar");
                }
            }
        }
    }

    private static void checkAgainstExact(GemmCase problem, double[] c, String provider) {
        for (int index = 0; index < c.length; index++) {
            if (!problem.insideResult(index)) {
                if (Double.compare(c[index], problem.c[index]) != 0) {
                    fail(problem + ": " + provider + " wrote " + c[index] + " at " + index + ", outside the result");
                }
                continue;
            }
            int i = (index - problem.cOffset) / problem.ldc;
            int j = (index - problem.cOffset) % problem.ldc;
            double expected = problem.exact(i, j);
            if (!(Math.abs(c[index] - expected) <= problem.tolerance(i, j))) {
                fail(problem + ": " + provider + " C(" + i + ", " + j + ") is " + c[index] + " but " + expected
                        + " +- " + problem.tolerance(i, j) + " is expected");
            }
        }
    }
}
