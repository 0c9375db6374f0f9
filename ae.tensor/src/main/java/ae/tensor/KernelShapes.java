package ae.tensor;

import ae.tensor.internal.gemm.GemmBlocking;
import jdk.incubator.vector.FloatVector;

/**
 * Smaller extents that take the same branches in every float32 kernel: a warm-up that trains a miniature copy of a
 * model (its widths and batch replaced by their {@link #miniature miniatures}) runs the same main loops, vector
 * tails, scalar tails, masks and GEMM tile cases as the real model, at a fraction of the cost, so the JIT compiles
 * the kernels with profiles of the real branches.
 *
 * <p>An extent's {@link #pathClass path class} is what the kernels branch on: the extent itself below the
 * {@link #modulus() modulus} (small extents are kept), otherwise its residue modulo that modulus (a multiple of
 * four vectors, the widest unrolled loop, and of the GEMM's register tile rows), which side of each GEMM block size
 * it lies on, and whether its GEMM depth blocks leave a tail of a vector or of a packed sub-tile (the row and
 * column blocks are multiples of the tiles, so the residue decides their last tiles). Since every
 * extent keeps its residue, so does every product of extents: the flat loops over a whole matrix take the same
 * branches too. With more than one thread, how a GEMM or an elementwise operation is split among the threads
 * depends on its total size, which a miniature does not keep; the kernels each thread runs are the same.
 */
public final class KernelShapes {
    private static final int LANES = FloatVector.SPECIES_PREFERRED.length();
    private static final int MODULUS = lcm(lcm(4 * LANES, GemmBlocking.ROWS_PER_TILE), GemmBlocking.SUB_TILE);
    private static final int TALL_MODULUS = lcm(MODULUS, GemmBlocking.TALL_ROWS_PER_TILE);

    private KernelShapes() {
    }

    /**
     * The modulus every large extent's residue is kept by, for the kernels of this machine's vector size (64 with
     * 16-lane float vectors); extents at least {@link GemmBlocking#TALL_ROWS} wide also keep the tall GEMM's tile
     * rows.
     */
    public static int modulus() {
        return MODULUS;
    }

    /**
     * For each of a model's extents (input width, layer widths, batch size), the smallest extent of the same
     * {@link #pathClass path class}; {@code extents} together decide whether the tall GEMM can run (only a GEMM with
     * as many rows as the largest extent can be tall), so a model's extents are to be given in one call.
     *
     * @throws IllegalArgumentException for an extent below 1
     */
    public static int[] miniature(int... extents) {
        boolean tall = canBeTall(extents);
        int[] out = new int[extents.length];
        for (int i = 0; i < extents.length; i++) {
            int x = extents[i];
            long target = classOf(x, tall);
            int candidate = Math.min(x, modulus(tall));
            while (classOf(candidate, tall) != target) {
                candidate++;
            }
            out[i] = candidate;
        }
        return out;
    }

    /**
     * What the kernels branch on for {@code extent}, as text (equal texts, equal branches), among extents whose
     * largest is {@code largestExtent} (which decides whether the tall GEMM's blocks matter).
     *
     * @throws IllegalArgumentException for an extent below 1, or above {@code largestExtent}
     */
    public static String pathClass(int extent, int largestExtent) {
        if (extent > largestExtent) {
            throw new IllegalArgumentException("extent " + extent + " is above the largest, " + largestExtent);
        }
        boolean tall = canBeTall(largestExtent);
        return describe(classOf(extent, tall), tall);
    }

    private static boolean canBeTall(int... extents) {
        int largest = 0;
        for (int x : extents) {
            if (x < 1) {
                throw new IllegalArgumentException("an extent must be at least 1, got " + x);
            }
            largest = Math.max(largest, x);
        }
        return largest >= GemmBlocking.TALL_ROWS;
    }

    private static int modulus(boolean tall) {
        return tall ? TALL_MODULUS : MODULUS;
    }

    /** The block sizes an extent is compared with: depth and row blocks, column blocks, then the tall GEMM's. */
    private static final int[] THRESHOLDS = {GemmBlocking.DEPTH_BLOCK, GemmBlocking.ROW_BLOCK,
            GemmBlocking.COLUMN_BLOCK, GemmBlocking.TALL_DEPTH_BLOCK, GemmBlocking.TALL_ROW_BLOCK,
            GemmBlocking.TALL_ROWS - 1};
    private static final int[] DEPTH_BLOCKS = {GemmBlocking.DEPTH_BLOCK, GemmBlocking.TALL_DEPTH_BLOCK};

    /**
     * An extent's path class, kept in a number (the warm-up computes hundreds of them at start-up, when objects and
     * text would cost more than the search): the extent itself when below the modulus (bits 0-15), otherwise its
     * residue (bits 16-31), one bit per threshold it lies above (from bit 32), and per depth block size the set of
     * tails its blocks leave (from bit 40, four bits per block size: a vector's tail is bit 0, a packed sub-tile's
     * bit 1 of the combination).
     */
    private static long classOf(int x, boolean tall) {
        if (x < 1) {
            throw new IllegalArgumentException("an extent must be at least 1, got " + x);
        }
        int modulus = modulus(tall);
        if (x < modulus) {
            return x;
        }
        long above = 0;
        for (int t = 0; t < (tall ? THRESHOLDS.length : 3); t++) {
            if (x > THRESHOLDS[t]) {
                above |= 1L << t;
            }
        }
        long tails = 0;
        for (int b = 0; b < (tall ? 2 : 1); b++) {
            tails |= (long) depthTails(x, DEPTH_BLOCKS[b]) << (4 * b);
        }
        return (long) (x % modulus) << 16 | above << 32 | tails << 40;
    }

    private static String describe(long pathClass, boolean tall) {
        if (pathClass < 1 << 16) {
            return "exactly " + pathClass;
        }
        StringBuilder out = new StringBuilder("residue ").append(pathClass >> 16 & 0xFFFF).append(" of ")
                .append(modulus(tall));
        for (int t = 0; t < (tall ? THRESHOLDS.length : 3); t++) {
            out.append((pathClass >> (32 + t) & 1) != 0 ? ", above " : ", at most ").append(THRESHOLDS[t]);
        }
        for (int b = 0; b < (tall ? 2 : 1); b++) {
            out.append(", depth blocks of ").append(DEPTH_BLOCKS[b]).append(":");
            for (int tail = 0; tail < 4; tail++) {
                if ((pathClass >> (40 + 4 * b + tail) & 1) != 0) {
                    out.append((tail & 1) != 0 ? " a vector tail" : " no vector tail")
                            .append((tail & 2) != 0 ? " and a sub-tile tail;" : ";");
                }
            }
        }
        return out.toString();
    }

    /**
     * The GEMM cuts k into nearly equal blocks: which tails (a vector's, bit 0; a packed sub-tile's, bit 1) their
     * depths leave, one bit per combination.
     */
    private static int depthTails(int k, int depthBlock) {
        int blocks = (k + depthBlock - 1) / depthBlock;
        int tails = 0;
        for (int b = 0; b < blocks; b++) {
            int kc = ComputePool.chunkStart(k, blocks, b + 1, 1) - ComputePool.chunkStart(k, blocks, b, 1);
            int tail = (kc % LANES == 0 ? 0 : 1) | (kc % GemmBlocking.SUB_TILE == 0 ? 0 : 2);
            tails |= 1 << tail;
        }
        return tails;
    }

    private static int lcm(int a, int b) {
        int x = a;
        int y = b;
        while (y != 0) {
            int t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }
}
