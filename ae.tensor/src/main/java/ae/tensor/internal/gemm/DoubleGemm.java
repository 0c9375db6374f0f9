package ae.tensor.internal.gemm;

import ae.tensor.ComputePool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float64 half of {@link PanamaGemm}; {@code FloatGemm} and {@code DoubleGemm} mirror each other line by line.
 *
 * <p>GotoBLAS/BLIS structure. C is cut into column blocks of at most {@link #NC}, k into nearly equal blocks of at
 * most {@link #KC}, rows into blocks of at most {@link #MC}. For each (column block, k block), alpha * op(B) is packed
 * into panels {@link #NR} columns wide, and for each row block op(A) into tiles of {@link #MR} rows, stored as kc
 * groups of MR elements. The micro-kernel walks one B panel (kept in L1) down all A tiles of the block (kept in L2),
 * reading both strictly forward. Packing handles the transposes: whichever way an operand is stored, square
 * blocks are transposed in registers when needed, so one kernel serves all four cases.
 *
 * <p>Packed operands live in heap arrays, not segments, because C2 removes the bounds checks of array accesses
 * whose index is the loop counter times a constant plus an invariant, which leaves the micro-kernel loop with
 * nothing but loads and FMAs; segment accesses there kept their checks and ran at two thirds of the speed.
 */
final class DoubleGemm {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final ValueLayout.OfDouble E = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final long BYTES = E.byteSize();
    private static final int LANES = S.length();
    private static final long VECTOR_BYTES = S.vectorByteSize();
    /** Rows of C per micro-tile. */
    static final int MR = 8;
    /** Columns of C per micro-tile: 2 vectors. */
    static final int NR = 2 * LANES;
    /** Longest k block: a packed panel of B, KC x NR, stays in L1. */
    static final int KC = 320;
    /** Tallest row block: its copy of A, MC x KC, stays in L2. */
    static final int MC = 384;
    /** Widest column block of C: the packed block of B, KC x NC. */
    static final int NC = 4096;
    /** Below this many multiply-adds one thread does everything: waking workers would cost more. */
    static final long PARALLEL_THRESHOLD = 4000000L;
    /** Lane count the register transpose is written for; other vector sizes pack transposed B element-wise. */
    private static final int TRANSPOSED_LANES = 8;
    /** Interleave the low halves of two vectors: lanes a0 b0 a1 b1 ... */
    private static final DoubleVector ZIP_LOW = zipIndexes(0);
    /** Interleave the high halves of two vectors. */
    private static final DoubleVector ZIP_HIGH = zipIndexes(LANES / 2);

    private static DoubleVector zipIndexes(int from) {
        double[] indexes = new double[LANES];
        for (int lane = 0; lane < LANES; lane++) {
            indexes[lane] = from + lane / 2 + (lane % 2) * LANES;
        }
        return DoubleVector.fromArray(S, indexes, 0);
    }


    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private static final ThreadLocal<Call> CALLS = ThreadLocal.withInitial(Call::new);

    private DoubleGemm() {
    }

    /** Per-thread packing memory; it only grows, so steady state allocates nothing. */
    private static final class Scratch {
        private double[] a = new double[0];
        private double[] b = new double[0];
        private MemorySegment tile = MemorySegment.NULL;

        double[] a(int length) {
            if (a.length < length) {
                a = new double[length];
            }
            return a;
        }

        double[] b(int length) {
            if (b.length < length) {
                b = new double[length];
            }
            return b;
        }

        /** Where partial tiles are computed in full before their valid part is merged into C. */
        MemorySegment tile() {
            if (tile.byteSize() == 0) {
                tile = Arena.ofAuto().allocate(MR * NR * BYTES, 64);
            }
            return tile;
        }
    }

    /**
     * The operands of one multiply, kept per calling thread and reused as the pool task, so that going parallel
     * allocates no lambda. Chunk c computes its own rectangle of C over the whole of k.
     */
    private static final class Call implements ComputePool.Task {
        boolean transA;
        boolean transB;
        int m;
        int n;
        int k;
        double alpha;
        MemorySegment a;
        long aOffset;
        int lda;
        MemorySegment b;
        long bOffset;
        int ldb;
        double beta;
        MemorySegment c;
        long cOffset;
        int ldc;
        int chunks;
        boolean splitColumns;

        @Override
        public void run(int chunk) {
            if (splitColumns) {
                int from = ComputePool.chunkStart(n, chunks, chunk, NR);
                int to = ComputePool.chunkStart(n, chunks, chunk + 1, NR);
                block(this, 0, m, from, to);
            } else {
                int from = ComputePool.chunkStart(m, chunks, chunk, MR);
                int to = ComputePool.chunkStart(m, chunks, chunk + 1, MR);
                block(this, from, to, 0, n);
            }
        }

        void release() {
            a = null;
            b = null;
            c = null;
        }
    }

    static void gemm(ComputePool pool, boolean transA, boolean transB, int m, int n, int k, double alpha,
                     MemorySegment a, long aOffset, int lda, MemorySegment b, long bOffset, int ldb,
                     double beta, MemorySegment c, long cOffset, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0) {
            scale(m, n, beta, c, cOffset, ldc);
            return;
        }
        Call call = CALLS.get();
        call.transA = transA;
        call.transB = transB;
        call.m = m;
        call.n = n;
        call.k = k;
        call.alpha = alpha;
        call.a = a;
        call.aOffset = aOffset;
        call.lda = lda;
        call.b = b;
        call.bOffset = bOffset;
        call.ldb = ldb;
        call.beta = beta;
        call.c = c;
        call.cOffset = cOffset;
        call.ldc = ldc;
        planChunks(call, pool.threads());
        try {
            pool.run(call.chunks, call);
        } finally {
            call.release();
        }
    }

    /**
     * Splits C among threads from the shape and thread count alone. Columns are preferred: each thread then packs
     * only its own part of B, and copying A is the cheaper duplicate when C is at least as wide as it is tall.
     */
    private static void planChunks(Call call, int threads) {
        long work = (long) call.m * call.n * call.k;
        int columnPanels = (call.n + NR - 1) / NR;
        int rowTiles = (call.m + MR - 1) / MR;
        if (threads == 1 || work < PARALLEL_THRESHOLD) {
            call.chunks = 1;
            call.splitColumns = true;
        } else if (columnPanels >= threads && call.n >= call.m || rowTiles < threads) {
            call.chunks = Math.min(threads, columnPanels);
            call.splitColumns = true;
        } else {
            call.chunks = Math.min(threads, rowTiles);
            call.splitColumns = false;
        }
    }

    /** Computes rows [rowFrom, rowTo) x columns [colFrom, colTo) of C completely. */
    private static void block(Call call, int rowFrom, int rowTo, int colFrom, int colTo) {
        Scratch scratch = SCRATCH.get();
        MemorySegment tile = scratch.tile();
        int k = call.k;
        int kBlocks = (k + KC - 1) / KC;
        long cRowStep = (long) call.ldc * BYTES;
        for (int jc = colFrom; jc < colTo; jc += NC) {
            int nc = Math.min(NC, colTo - jc);
            int panels = (nc + NR - 1) / NR;
            double[] packedB = scratch.b(panels * NR * KC);
            for (int kb = 0; kb < kBlocks; kb++) {
                int pc = ComputePool.chunkStart(k, kBlocks, kb, 1);
                int kc = ComputePool.chunkStart(k, kBlocks, kb + 1, 1) - pc;
                packB(call, pc, kc, jc, nc, packedB);
                double beta = kb == 0 ? call.beta : 1;
                for (int ic = rowFrom; ic < rowTo; ic += MC) {
                    int mc = Math.min(MC, rowTo - ic);
                    int tiles = (mc + MR - 1) / MR;
                    double[] packedA = scratch.a(tiles * MR * KC);
                    if (call.transA) {
                        packTransposedA(call, ic, mc, pc, kc, packedA);
                    } else {
                        packRowsOfA(call, ic, mc, pc, kc, packedA);
                    }
                    for (int q = 0; q < panels; q++) {
                        int j = jc + q * NR;
                        int cols = Math.min(NR, colTo - j);
                        int bAt = q * kc * NR;
                        for (int t = 0; t < tiles; t++) {
                            int i = ic + t * MR;
                            int rows = Math.min(MR, ic + mc - i);
                            int aAt = t * MR * kc;
                            long cAt = (call.cOffset + (long) i * call.ldc + j) * BYTES;
                            if (rows == MR && cols == NR) {
                                kernel(kc, packedA, aAt, packedB, bAt, call.c, cAt, cRowStep, beta);
                            } else {
                                kernel(kc, packedA, aAt, packedB, bAt, tile, 0, NR * BYTES, 0);
                                mergeTile(tile, call.c, cAt, cRowStep, rows, cols, beta);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs rows [pc, pc+kc) x columns [jc, jc+nc) of alpha * op(B) into panels of NR columns, panel after panel,
     * each kc rows of NR consecutive elements; columns past nc are zero.
     */
    private static void packB(Call call, int pc, int kc, int jc, int nc, double[] packed) {
        DoubleVector alpha = DoubleVector.broadcast(S, call.alpha);
        MemorySegment b = call.b;
        int panels = (nc + NR - 1) / NR;
        if (!call.transB) {
            for (int p = 0; p < kc; p++) {
                long src = (call.bOffset + (long) (pc + p) * call.ldb + jc) * BYTES;
                for (int q = 0; q < panels; q++) {
                    int width = Math.min(NR, nc - q * NR);
                    int dst = q * kc * NR + p * NR;
                    long from = src + (long) q * NR * BYTES;
                    for (int v = 0; v < NR; v += LANES) {
                        if (v + LANES <= width) {
                            DoubleVector.fromMemorySegment(S, b, from + v * BYTES, NATIVE).mul(alpha).intoArray(packed, dst + v);
                        } else {
                            VectorMask<Double> inside = S.indexInRange(v, width);
                            DoubleVector.fromMemorySegment(S, b, from + v * BYTES, NATIVE, inside).mul(alpha)
                                    .intoArray(packed, dst + v);
                        }
                    }
                }
            }
        } else {
            packTransposedB(call, pc, kc, jc, nc, packed, alpha);
        }
    }

    /**
     * Packs alpha * op(B) for B stored n x k: each stored row is a column of op(B). Square blocks of LANES x LANES
     * are transposed in registers (log2(LANES) rounds of interleaving pairs of vectors); ragged borders, at the
     * last panel and the end of the k block, are copied one element at a time.
     */
    private static void packTransposedB(Call call, int pc, int kc, int jc, int nc, double[] packed, DoubleVector alpha) {
        MemorySegment b = call.b;
        long rowStep = (long) call.ldb * BYTES;
        int fullColumns = LANES == TRANSPOSED_LANES ? nc / LANES * LANES : 0;
        int fullK = kc / LANES * LANES;
        for (int j = 0; j < fullColumns; j += LANES) {
            int panel = j / NR * kc * NR;
            int column = j % NR;
            long src = (call.bOffset + (long) (jc + j) * call.ldb + pc) * BYTES;
            for (int p = 0; p < fullK; p += LANES) {
                transposeBlock(b, src + p * BYTES, rowStep, alpha, packed, panel + p * NR + column);
            }
        }
        double scale = call.alpha;
        for (int j = 0; j < nc; j++) {
            int panel = j / NR * kc * NR;
            int column = j % NR;
            long src = (call.bOffset + (long) (jc + j) * call.ldb + pc) * BYTES;
            for (int p = j < fullColumns ? fullK : 0; p < kc; p++) {
                packed[panel + p * NR + column] = scale * b.get(E, src + p * BYTES);
            }
        }
        int lastPanel = (nc - 1) / NR * kc * NR;
        for (int column = nc % NR == 0 ? NR : nc % NR; column < NR; column++) {
            for (int p = 0; p < kc; p++) {
                packed[lastPanel + p * NR + column] = 0;
            }
        }
    }

    /**
     * Packs rows [ic, ic+mc) x columns [pc, pc+kc) of an untransposed A into tiles of MR rows, each kc groups of
     * the MR elements of one column. Square blocks are transposed in registers, ragged borders copied element by
     * element. Rows past mc in the last tile keep stale values: the kernel computes them, but they only reach the
     * tile buffer, never C.
     */
    private static void packRowsOfA(Call call, int ic, int mc, int pc, int kc, double[] packed) {
        MemorySegment a = call.a;
        long rowStep = (long) call.lda * BYTES;
        int fullRows = LANES == TRANSPOSED_LANES ? mc / LANES * LANES : 0;
        int fullK = kc / LANES * LANES;
        for (int i = 0; i < fullRows; i += LANES) {
            long src = (call.aOffset + (long) (ic + i) * call.lda + pc) * BYTES;
            for (int p = 0; p < fullK; p += LANES) {
                transposeRowsOfA(a, src + p * BYTES, rowStep, packed, i * kc + p * MR, kc);
            }
        }
        for (int i = 0; i < mc; i++) {
            int tile = i / MR * MR * kc + i % MR;
            long src = (call.aOffset + (long) (ic + i) * call.lda + pc) * BYTES;
            for (int p = i < fullRows ? fullK : 0; p < kc; p++) {
                packed[tile + p * MR] = a.get(E, src + p * BYTES);
            }
        }
    }

    /**
     * Packs rows [ic, ic+mc) x columns [pc, pc+kc) of op(A) = A^T, with A stored k x m: for each tile of MR rows
     * and each k, the MR elements that lie next to each other in A. Rows past mc keep stale values, as above.
     */
    private static void packTransposedA(Call call, int ic, int mc, int pc, int kc, double[] packed) {
        for (int i = 0; i < mc; i += MR) {
            int rows = Math.min(MR, mc - i);
            int tile = i * kc;
            for (int r0 = 0; r0 < rows; r0 += LANES) {
                VectorMask<Double> inside = S.indexInRange(r0, rows);
                long src = (call.aOffset + (long) pc * call.lda + ic + i + r0) * BYTES;
                long srcStep = (long) call.lda * BYTES;
                for (int p = 0; p < kc; p++) {
                    DoubleVector.fromMemorySegment(S, call.a, src, NATIVE, inside).intoArray(packed, tile + p * MR + r0, inside);
                    src += srcStep;
                }
            }
        }
    }

    /** Merges the first rows x cols of the tile buffer into C: C = tile + beta * C, C unread when beta == 0. */
    private static void mergeTile(MemorySegment tile, MemorySegment c, long cAt, long cRowStep, int rows, int cols,
                                  double beta) {
        DoubleVector betaV = DoubleVector.broadcast(S, beta);
        for (int r = 0; r < rows; r++) {
            long at = cAt + r * cRowStep;
            long from = r * NR * BYTES;
            for (int v = 0; v < cols; v += LANES) {
                VectorMask<Double> inside = S.indexInRange(v, cols);
                DoubleVector sum = DoubleVector.fromMemorySegment(S, tile, from + v * BYTES, NATIVE);
                if (beta != 0) {
                    sum = DoubleVector.fromMemorySegment(S, c, at + v * BYTES, NATIVE, inside).fma(betaV, sum);
                }
                sum.intoMemorySegment(c, at + v * BYTES, NATIVE, inside);
            }
        }
    }

    /** C = beta * C, for a product with no terms; beta == 0 writes zeros without reading C. */
    private static void scale(int m, int n, double beta, MemorySegment c, long cOffset, int ldc) {
        for (int i = 0; i < m; i++) {
            long row = cOffset + (long) i * ldc;
            for (int j = 0; j < n; j++) {
                c.setAtIndex(E, row + j, beta == 0 ? 0 : beta * c.getAtIndex(E, row + j));
            }
        }
    }

    /**
     * Transposes the 8 x 8 block of alpha * B at {@code src} (rows {@code rowStep} bytes apart) into
     * 8 consecutive rows of a packed panel at {@code dst}. Each round pairs row i with row i + 4 and
     * interleaves them, which moves one bit of the row index into the column index; after 3 rounds rows
     * and columns have traded places.
     */
    private static void transposeBlock(MemorySegment b, long src, long rowStep, DoubleVector alpha, double[] packed,
                                       int dst) {
        DoubleVector r0 = DoubleVector.fromMemorySegment(S, b, src, NATIVE).mul(alpha);
        DoubleVector r1 = DoubleVector.fromMemorySegment(S, b, src + 1 * rowStep, NATIVE).mul(alpha);
        DoubleVector r2 = DoubleVector.fromMemorySegment(S, b, src + 2 * rowStep, NATIVE).mul(alpha);
        DoubleVector r3 = DoubleVector.fromMemorySegment(S, b, src + 3 * rowStep, NATIVE).mul(alpha);
        DoubleVector r4 = DoubleVector.fromMemorySegment(S, b, src + 4 * rowStep, NATIVE).mul(alpha);
        DoubleVector r5 = DoubleVector.fromMemorySegment(S, b, src + 5 * rowStep, NATIVE).mul(alpha);
        DoubleVector r6 = DoubleVector.fromMemorySegment(S, b, src + 6 * rowStep, NATIVE).mul(alpha);
        DoubleVector r7 = DoubleVector.fromMemorySegment(S, b, src + 7 * rowStep, NATIVE).mul(alpha);
        DoubleVector s0 = ZIP_LOW.selectFrom(r0, r4);
        DoubleVector s1 = ZIP_HIGH.selectFrom(r0, r4);
        DoubleVector s2 = ZIP_LOW.selectFrom(r1, r5);
        DoubleVector s3 = ZIP_HIGH.selectFrom(r1, r5);
        DoubleVector s4 = ZIP_LOW.selectFrom(r2, r6);
        DoubleVector s5 = ZIP_HIGH.selectFrom(r2, r6);
        DoubleVector s6 = ZIP_LOW.selectFrom(r3, r7);
        DoubleVector s7 = ZIP_HIGH.selectFrom(r3, r7);
        r0 = ZIP_LOW.selectFrom(s0, s4);
        r1 = ZIP_HIGH.selectFrom(s0, s4);
        r2 = ZIP_LOW.selectFrom(s1, s5);
        r3 = ZIP_HIGH.selectFrom(s1, s5);
        r4 = ZIP_LOW.selectFrom(s2, s6);
        r5 = ZIP_HIGH.selectFrom(s2, s6);
        r6 = ZIP_LOW.selectFrom(s3, s7);
        r7 = ZIP_HIGH.selectFrom(s3, s7);
        s0 = ZIP_LOW.selectFrom(r0, r4);
        s1 = ZIP_HIGH.selectFrom(r0, r4);
        s2 = ZIP_LOW.selectFrom(r1, r5);
        s3 = ZIP_HIGH.selectFrom(r1, r5);
        s4 = ZIP_LOW.selectFrom(r2, r6);
        s5 = ZIP_HIGH.selectFrom(r2, r6);
        s6 = ZIP_LOW.selectFrom(r3, r7);
        s7 = ZIP_HIGH.selectFrom(r3, r7);
        s0.intoArray(packed, dst);
        s1.intoArray(packed, dst + 1 * NR);
        s2.intoArray(packed, dst + 2 * NR);
        s3.intoArray(packed, dst + 3 * NR);
        s4.intoArray(packed, dst + 4 * NR);
        s5.intoArray(packed, dst + 5 * NR);
        s6.intoArray(packed, dst + 6 * NR);
        s7.intoArray(packed, dst + 7 * NR);
    }

    /**
     * Transposes the 8 x 8 block of A at {@code src} (rows {@code rowStep} bytes apart) into packed
     * tiles at {@code dst}: transposed row t holds element t of every row, and its lanes go to the MR-wide
     * groups of the tiles these rows belong to. Interleaving rounds as in {@link #transposeBlock}.
     */
    private static void transposeRowsOfA(MemorySegment a, long src, long rowStep, double[] packed, int dst,
                                         int kc) {
        DoubleVector r0 = DoubleVector.fromMemorySegment(S, a, src, NATIVE);
        DoubleVector r1 = DoubleVector.fromMemorySegment(S, a, src + 1 * rowStep, NATIVE);
        DoubleVector r2 = DoubleVector.fromMemorySegment(S, a, src + 2 * rowStep, NATIVE);
        DoubleVector r3 = DoubleVector.fromMemorySegment(S, a, src + 3 * rowStep, NATIVE);
        DoubleVector r4 = DoubleVector.fromMemorySegment(S, a, src + 4 * rowStep, NATIVE);
        DoubleVector r5 = DoubleVector.fromMemorySegment(S, a, src + 5 * rowStep, NATIVE);
        DoubleVector r6 = DoubleVector.fromMemorySegment(S, a, src + 6 * rowStep, NATIVE);
        DoubleVector r7 = DoubleVector.fromMemorySegment(S, a, src + 7 * rowStep, NATIVE);
        DoubleVector s0 = ZIP_LOW.selectFrom(r0, r4);
        DoubleVector s1 = ZIP_HIGH.selectFrom(r0, r4);
        DoubleVector s2 = ZIP_LOW.selectFrom(r1, r5);
        DoubleVector s3 = ZIP_HIGH.selectFrom(r1, r5);
        DoubleVector s4 = ZIP_LOW.selectFrom(r2, r6);
        DoubleVector s5 = ZIP_HIGH.selectFrom(r2, r6);
        DoubleVector s6 = ZIP_LOW.selectFrom(r3, r7);
        DoubleVector s7 = ZIP_HIGH.selectFrom(r3, r7);
        r0 = ZIP_LOW.selectFrom(s0, s4);
        r1 = ZIP_HIGH.selectFrom(s0, s4);
        r2 = ZIP_LOW.selectFrom(s1, s5);
        r3 = ZIP_HIGH.selectFrom(s1, s5);
        r4 = ZIP_LOW.selectFrom(s2, s6);
        r5 = ZIP_HIGH.selectFrom(s2, s6);
        r6 = ZIP_LOW.selectFrom(s3, s7);
        r7 = ZIP_HIGH.selectFrom(s3, s7);
        s0 = ZIP_LOW.selectFrom(r0, r4);
        s1 = ZIP_HIGH.selectFrom(r0, r4);
        s2 = ZIP_LOW.selectFrom(r1, r5);
        s3 = ZIP_HIGH.selectFrom(r1, r5);
        s4 = ZIP_LOW.selectFrom(r2, r6);
        s5 = ZIP_HIGH.selectFrom(r2, r6);
        s6 = ZIP_LOW.selectFrom(r3, r7);
        s7 = ZIP_HIGH.selectFrom(r3, r7);
        s0.intoArray(packed, dst);
        s1.intoArray(packed, dst + 1 * MR);
        s2.intoArray(packed, dst + 2 * MR);
        s3.intoArray(packed, dst + 3 * MR);
        s4.intoArray(packed, dst + 4 * MR);
        s5.intoArray(packed, dst + 5 * MR);
        s6.intoArray(packed, dst + 6 * MR);
        s7.intoArray(packed, dst + 7 * MR);
    }

    /** The micro-kernel for packed A: element (r, p) of the tile is {@code a[aAt + p * MR + r]}. */
    private static void kernel(int kc, double[] a, int aAt, double[] b, int bAt,
                               MemorySegment c, long cAt, long cRowStep, double beta) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = DoubleVector.zero(S);
        DoubleVector c10 = DoubleVector.zero(S), c11 = DoubleVector.zero(S);
        DoubleVector c20 = DoubleVector.zero(S), c21 = DoubleVector.zero(S);
        DoubleVector c30 = DoubleVector.zero(S), c31 = DoubleVector.zero(S);
        DoubleVector c40 = DoubleVector.zero(S), c41 = DoubleVector.zero(S);
        DoubleVector c50 = DoubleVector.zero(S), c51 = DoubleVector.zero(S);
        DoubleVector c60 = DoubleVector.zero(S), c61 = DoubleVector.zero(S);
        DoubleVector c70 = DoubleVector.zero(S), c71 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bAt + p * NR;
            int ai = aAt + p * MR;
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bi + 1 * LANES);
            DoubleVector x = DoubleVector.broadcast(S, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, a[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, a[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, a[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(S, a[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(S, a[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = DoubleVector.broadcast(S, a[ai + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = DoubleVector.broadcast(S, a[ai + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        if (beta == 0) {
            c00.intoMemorySegment(c, cAt, NATIVE);
            c01.intoMemorySegment(c, cAt + 1 * VECTOR_BYTES, NATIVE);
            c10.intoMemorySegment(c, cAt + 1 * cRowStep, NATIVE);
            c11.intoMemorySegment(c, cAt + 1 * cRowStep + 1 * VECTOR_BYTES, NATIVE);
            c20.intoMemorySegment(c, cAt + 2 * cRowStep, NATIVE);
            c21.intoMemorySegment(c, cAt + 2 * cRowStep + 1 * VECTOR_BYTES, NATIVE);
            c30.intoMemorySegment(c, cAt + 3 * cRowStep, NATIVE);
            c31.intoMemorySegment(c, cAt + 3 * cRowStep + 1 * VECTOR_BYTES, NATIVE);
            c40.intoMemorySegment(c, cAt + 4 * cRowStep, NATIVE);
            c41.intoMemorySegment(c, cAt + 4 * cRowStep + 1 * VECTOR_BYTES, NATIVE);
            c50.intoMemorySegment(c, cAt + 5 * cRowStep, NATIVE);
            c51.intoMemorySegment(c, cAt + 5 * cRowStep + 1 * VECTOR_BYTES, NATIVE);
            c60.intoMemorySegment(c, cAt + 6 * cRowStep, NATIVE);
            c61.intoMemorySegment(c, cAt + 6 * cRowStep + 1 * VECTOR_BYTES, NATIVE);
            c70.intoMemorySegment(c, cAt + 7 * cRowStep, NATIVE);
            c71.intoMemorySegment(c, cAt + 7 * cRowStep + 1 * VECTOR_BYTES, NATIVE);
        } else {
            DoubleVector betaV = DoubleVector.broadcast(S, beta);
            update(c00, c, cAt, betaV);
            update(c01, c, cAt + 1 * VECTOR_BYTES, betaV);
            update(c10, c, cAt + 1 * cRowStep, betaV);
            update(c11, c, cAt + 1 * cRowStep + 1 * VECTOR_BYTES, betaV);
            update(c20, c, cAt + 2 * cRowStep, betaV);
            update(c21, c, cAt + 2 * cRowStep + 1 * VECTOR_BYTES, betaV);
            update(c30, c, cAt + 3 * cRowStep, betaV);
            update(c31, c, cAt + 3 * cRowStep + 1 * VECTOR_BYTES, betaV);
            update(c40, c, cAt + 4 * cRowStep, betaV);
            update(c41, c, cAt + 4 * cRowStep + 1 * VECTOR_BYTES, betaV);
            update(c50, c, cAt + 5 * cRowStep, betaV);
            update(c51, c, cAt + 5 * cRowStep + 1 * VECTOR_BYTES, betaV);
            update(c60, c, cAt + 6 * cRowStep, betaV);
            update(c61, c, cAt + 6 * cRowStep + 1 * VECTOR_BYTES, betaV);
            update(c70, c, cAt + 7 * cRowStep, betaV);
            update(c71, c, cAt + 7 * cRowStep + 1 * VECTOR_BYTES, betaV);
        }
    }

    private static void update(DoubleVector sum, MemorySegment c, long at, DoubleVector betaV) {
        DoubleVector.fromMemorySegment(S, c, at, NATIVE).fma(betaV, sum).intoMemorySegment(c, at, NATIVE);
    }
}
