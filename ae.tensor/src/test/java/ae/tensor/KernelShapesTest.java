package ae.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import ae.tensor.internal.gemm.GemmBlocking;
import java.util.TreeSet;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * A miniature extent takes the same branches as the real one: checked against a walk of the float32 GEMM's loops
 * (FloatGemm's block, onePass, packing and micro-kernel choices, written out here from the code) and of the
 * elementwise loops (four-vector main loop, one-vector loop, scalar tail), on the products as well.
 */
class KernelShapesTest {
    private static final int LANES = FloatVector.SPECIES_PREFERRED.length();
    private static final int MR = GemmBlocking.ROWS_PER_TILE;
    private static final int NR = 2 * LANES;
    private static final int SUB = GemmBlocking.SUB_TILE;
    private static final int TB = GemmBlocking.TRANSPOSE_BLOCK;
    private static final int KC = GemmBlocking.DEPTH_BLOCK;
    private static final int MC = GemmBlocking.ROW_BLOCK;
    private static final int NC = GemmBlocking.COLUMN_BLOCK;

    /** The branches FloatGemm takes (each once, however often) for an m x n x k product with beta 0, one thread (names are the code's). */
    private static TreeSet<String> gemmBranches(int m, int n, int k, boolean transA, boolean transB) {
        TreeSet<String> out = new TreeSet<>();
        int kBlocks = (k + KC - 1) / KC;
        for (int kb = 0; kb < kBlocks; kb++) {
            int kc = ComputePool.chunkStart(k, kBlocks, kb + 1, 1) - ComputePool.chunkStart(k, kBlocks, kb, 1);
            String kernel = kb == 0 ? "kernelStore" : "kernelAccumulate";
            boolean onePass = m <= MC;
            out.add(onePass ? "onePass" : "packed row blocks");
            for (int jc = 0; jc < n; jc += NC) {
                int nc = Math.min(NC, n - jc);
                for (int ic = 0; ic < m; ic += onePass ? m : MC) {
                    int mc = onePass ? m : Math.min(MC, m - ic);
                    packA(out, transA, mc, kc);
                    for (int j = 0; j < nc; j += NR) {
                        int cols = Math.min(NR, nc - j);
                        int packedWidth = onePass ? cols : nc;
                        packB(out, transB, packedWidth, kc);
                        for (int i = 0; i < mc; i += MR) {
                            int rows = Math.min(MR, mc - i);
                            if (rows == MR && cols == NR) {
                                out.add(kernel);
                            } else if (rows == MR && cols == LANES) {
                                out.add("kernelOneVector into C, beta " + (kb == 0 ? "0" : "1"));
                            } else if (cols <= LANES) {
                                out.add("kernelOneVector into the tile, merged");
                            } else {
                                out.add("kernelStore into the tile, merged");
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    private static void packA(TreeSet<String> out, boolean transA, int mc, int kc) {
        if (transA) {
            out.add(mc % SUB == 0 ? "packTransposedA whole" : "packTransposedA masked");
            if (mc >= SUB) {
                out.add("packTransposedA full sub-tiles");
            }
        } else {
            int fullRows = mc / SUB * SUB;
            int fullK = kc / LANES * LANES;
            if (fullRows > 0 && fullK > 0) {
                out.add("packRowsOfA transposes");
            }
            if (fullK < kc) {
                out.add("packRowsOfA copies a k tail");
            }
            if (fullRows < mc) {
                out.add("packRowsOfA copies a row tail");
            }
        }
    }

    private static void packB(TreeSet<String> out, boolean transB, int nc, int kc) {
        if (!transB && nc == NR) {
            out.add("packFullPanel");
        } else if (!transB) {
            for (int q = 0; q * NR < nc; q++) {
                int width = Math.min(NR, nc - q * NR);
                for (int v = 0; v < NR; v += LANES) {
                    out.add(v + LANES <= width ? "packB vector" : "packB masked");
                }
            }
        } else {
            int blockColumns = kc >= TB ? nc / TB * TB : 0;
            int fullColumns = nc / SUB * SUB;
            int fullK = kc / SUB * SUB;
            if (blockColumns > 0) {
                out.add("packTransposedB transposeBlockOfB");
            }
            if (blockColumns < fullColumns && fullK > 0) {
                out.add("packTransposedB 4 x 4 past the blocks' columns");
            }
            if (fullK < kc && blockColumns < fullColumns) {
                out.add("packTransposedB copies a k tail");
            }
            if (fullColumns < nc) {
                out.add("packTransposedB copies a column tail");
            }
            if (nc % NR != 0) {
                out.add("packTransposedB pads the last panel");
            }
        }
    }

    /** The loops of the elementwise kernels: four vectors at a time, one, then scalars. */
    private static String flatBranches(long n) {
        long fours = n / (4L * LANES);
        long rest = n % (4L * LANES);
        return (fours > 0) + " " + (rest / LANES > 0) + " " + (rest % LANES > 0) + " " + (n / LANES > 0);
    }

    @Test
    void miniatureProductsTakeTheSameGemmBranches() {
        qt().withExamples(300).forAll(integers().between(1, 2100), integers().between(1, 2100),
                integers().between(1, 2100), integers().between(0, 3)).checkAssert((m, n, k, trans) -> {
            int[] mini = KernelShapes.miniature(m, n, k);
            boolean transA = (trans & 1) != 0;
            boolean transB = (trans & 2) != 0;
            if (Math.max(m, Math.max(n, k)) < GemmBlocking.TALL_ROWS) {
                // FloatGemm computes these (the walk above is of FloatGemm, not of the tall GEMM).
                assertEquals(gemmBranches(m, n, k, transA, transB),
                        gemmBranches(mini[0], mini[1], mini[2], transA, transB),
                        m + "x" + n + "x" + k + " -> " + mini[0] + "x" + mini[1] + "x" + mini[2]);
            }
            assertEquals(flatBranches((long) m * n), flatBranches((long) mini[0] * mini[1]));
            assertEquals(flatBranches(n), flatBranches(mini[1]));
            assertTrue(mini[0] <= m && mini[1] <= n && mini[2] <= k);
        });
    }

    @Test
    void aReferenceWorkloadShrinksSeveralfold() {
        // R1: 784 inputs, 256 hidden units, batches of 128.
        int[] mini = KernelShapes.miniature(784, 256, 128);
        double work = 784.0 * 256 * 128;
        double miniWork = (double) mini[0] * mini[1] * mini[2];
        assertTrue(work / miniWork >= 10, mini[0] + " " + mini[1] + " " + mini[2]);
        assertTrue(mini[0] > KC, "784 inputs need more than one depth block, as the real product does");
    }

    @Test
    void theWalkTellsDepthBlocksApart() {
        // Able to fail: a miniature of the depth that kept one block would lose kernelAccumulate.
        assertNotEquals(gemmBranches(128, 256, 784, false, false), gemmBranches(128, 256, 784 % 64, false, false));
        int oneBlock = 784 % KernelShapes.modulus() + KernelShapes.modulus();
        assertTrue(oneBlock <= KC);
        assertNotEquals(KernelShapes.pathClass(784, 784), KernelShapes.pathClass(oneBlock, 784));
    }

    @Test
    void smallExtentsAreKeptAndBadOnesRefused() {
        assertEquals(7, KernelShapes.miniature(7)[0]);
        assertEquals(KernelShapes.modulus() - 1, KernelShapes.miniature(KernelShapes.modulus() - 1)[0]);
        assertThrows(IllegalArgumentException.class, () -> KernelShapes.miniature(0));
        assertThrows(IllegalArgumentException.class, () -> KernelShapes.pathClass(10, 9));
    }
}
