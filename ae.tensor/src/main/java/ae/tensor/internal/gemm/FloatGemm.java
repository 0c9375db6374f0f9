package ae.tensor.internal.gemm;

import ae.tensor.ComputePool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 half of {@link PanamaGemm}; {@code FloatGemm} and {@code DoubleGemm} mirror each other line by line.
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
final class FloatGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ValueLayout.OfFloat E = ValueLayout.JAVA_FLOAT_UNALIGNED;
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
    private static final int TRANSPOSED_LANES = 16;
    /** Interleave the low halves of two vectors: lanes a0 b0 a1 b1 ... */
    private static final FloatVector ZIP_LOW = zipIndexes(0);
    /** Interleave the high halves of two vectors. */
    private static final FloatVector ZIP_HIGH = zipIndexes(LANES / 2);

    private static FloatVector zipIndexes(int from) {
        float[] indexes = new float[LANES];
        for (int lane = 0; lane < LANES; lane++) {
            indexes[lane] = from + lane / 2 + (lane % 2) * LANES;
        }
        return FloatVector.fromArray(S, indexes, 0);
    }

    /** Lanes of a transposed row of A that belong to the first of the two tiles it spans. */
    private static final VectorMask<Float> FIRST_TILE = S.indexInRange(0, MR);
    /** Lanes that belong to the second tile. */
    private static final VectorMask<Float> SECOND_TILE = S.indexInRange(0, 2 * MR).andNot(FIRST_TILE);

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private static final ThreadLocal<Call> CALLS = ThreadLocal.withInitial(Call::new);

    private FloatGemm() {
    }

    /** Per-thread packing memory; it only grows, so steady state allocates nothing. */
    private static final class Scratch {
        private float[] a = new float[0];
        private float[] b = new float[0];
        private MemorySegment tile = MemorySegment.NULL;

        float[] a(int length) {
            if (a.length < length) {
                a = new float[length];
            }
            return a;
        }

        float[] b(int length) {
            if (b.length < length) {
                b = new float[length];
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
        float alpha;
        MemorySegment a;
        long aOffset;
        int lda;
        MemorySegment b;
        long bOffset;
        int ldb;
        float beta;
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

    static void gemm(ComputePool pool, boolean transA, boolean transB, int m, int n, int k, float alpha,
                     MemorySegment a, long aOffset, int lda, MemorySegment b, long bOffset, int ldb,
                     float beta, MemorySegment c, long cOffset, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
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
            float[] packedB = scratch.b(panels * NR * KC);
            for (int kb = 0; kb < kBlocks; kb++) {
                int pc = ComputePool.chunkStart(k, kBlocks, kb, 1);
                int kc = ComputePool.chunkStart(k, kBlocks, kb + 1, 1) - pc;
                packB(call, pc, kc, jc, nc, packedB);
                float beta = kb == 0 ? call.beta : 1f;
                for (int ic = rowFrom; ic < rowTo; ic += MC) {
                    int mc = Math.min(MC, rowTo - ic);
                    int tiles = (mc + MR - 1) / MR;
                    float[] packedA = scratch.a(tiles * MR * KC);
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
                                kernel(kc, packedA, aAt, packedB, bAt, tile, 0, NR * BYTES, 0f);
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
    private static void packB(Call call, int pc, int kc, int jc, int nc, float[] packed) {
        FloatVector alpha = FloatVector.broadcast(S, call.alpha);
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
                            FloatVector.fromMemorySegment(S, b, from + v * BYTES, NATIVE).mul(alpha).intoArray(packed, dst + v);
                        } else {
                            VectorMask<Float> inside = S.indexInRange(v, width);
                            FloatVector.fromMemorySegment(S, b, from + v * BYTES, NATIVE, inside).mul(alpha)
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
    private static void packTransposedB(Call call, int pc, int kc, int jc, int nc, float[] packed, FloatVector alpha) {
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
        float scale = call.alpha;
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
                packed[lastPanel + p * NR + column] = 0f;
            }
        }
    }

    /**
     * Packs rows [ic, ic+mc) x columns [pc, pc+kc) of an untransposed A into tiles of MR rows, each kc groups of
     * the MR elements of one column. Square blocks are transposed in registers, ragged borders copied element by
     * element. Rows past mc in the last tile keep stale values: the kernel computes them, but they only reach the
     * tile buffer, never C.
     */
    private static void packRowsOfA(Call call, int ic, int mc, int pc, int kc, float[] packed) {
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
    private static void packTransposedA(Call call, int ic, int mc, int pc, int kc, float[] packed) {
        for (int i = 0; i < mc; i += MR) {
            int rows = Math.min(MR, mc - i);
            int tile = i * kc;
            for (int r0 = 0; r0 < rows; r0 += LANES) {
                VectorMask<Float> inside = S.indexInRange(r0, rows);
                long src = (call.aOffset + (long) pc * call.lda + ic + i + r0) * BYTES;
                long srcStep = (long) call.lda * BYTES;
                for (int p = 0; p < kc; p++) {
                    FloatVector.fromMemorySegment(S, call.a, src, NATIVE, inside).intoArray(packed, tile + p * MR + r0, inside);
                    src += srcStep;
                }
            }
        }
    }

    /** Merges the first rows x cols of the tile buffer into C: C = tile + beta * C, C unread when beta == 0. */
    private static void mergeTile(MemorySegment tile, MemorySegment c, long cAt, long cRowStep, int rows, int cols,
                                  float beta) {
        FloatVector betaV = FloatVector.broadcast(S, beta);
        for (int r = 0; r < rows; r++) {
            long at = cAt + r * cRowStep;
            long from = r * NR * BYTES;
            for (int v = 0; v < cols; v += LANES) {
                VectorMask<Float> inside = S.indexInRange(v, cols);
                FloatVector sum = FloatVector.fromMemorySegment(S, tile, from + v * BYTES, NATIVE);
                if (beta != 0f) {
                    sum = FloatVector.fromMemorySegment(S, c, at + v * BYTES, NATIVE, inside).fma(betaV, sum);
                }
                sum.intoMemorySegment(c, at + v * BYTES, NATIVE, inside);
            }
        }
    }

    /** C = beta * C, for a product with no terms; beta == 0 writes zeros without reading C. */
    private static void scale(int m, int n, float beta, MemorySegment c, long cOffset, int ldc) {
        for (int i = 0; i < m; i++) {
            long row = cOffset + (long) i * ldc;
            for (int j = 0; j < n; j++) {
                c.setAtIndex(E, row + j, beta == 0f ? 0f : beta * c.getAtIndex(E, row + j));
            }
        }
    }

    /**
     * Transposes the 16 x 16 block of alpha * B at {@code src} (rows {@code rowStep} bytes apart) into
     * 16 consecutive rows of a packed panel at {@code dst}. Each round pairs row i with row i + 8 and
     * interleaves them, which moves one bit of the row index into the column index; after 4 rounds rows
     * and columns have traded places.
     */
    private static void transposeBlock(MemorySegment b, long src, long rowStep, FloatVector alpha, float[] packed,
                                       int dst) {
        FloatVector r0 = FloatVector.fromMemorySegment(S, b, src, NATIVE).mul(alpha);
        FloatVector r1 = FloatVector.fromMemorySegment(S, b, src + 1 * rowStep, NATIVE).mul(alpha);
        FloatVector r2 = FloatVector.fromMemorySegment(S, b, src + 2 * rowStep, NATIVE).mul(alpha);
        FloatVector r3 = FloatVector.fromMemorySegment(S, b, src + 3 * rowStep, NATIVE).mul(alpha);
        FloatVector r4 = FloatVector.fromMemorySegment(S, b, src + 4 * rowStep, NATIVE).mul(alpha);
        FloatVector r5 = FloatVector.fromMemorySegment(S, b, src + 5 * rowStep, NATIVE).mul(alpha);
        FloatVector r6 = FloatVector.fromMemorySegment(S, b, src + 6 * rowStep, NATIVE).mul(alpha);
        FloatVector r7 = FloatVector.fromMemorySegment(S, b, src + 7 * rowStep, NATIVE).mul(alpha);
        FloatVector r8 = FloatVector.fromMemorySegment(S, b, src + 8 * rowStep, NATIVE).mul(alpha);
        FloatVector r9 = FloatVector.fromMemorySegment(S, b, src + 9 * rowStep, NATIVE).mul(alpha);
        FloatVector r10 = FloatVector.fromMemorySegment(S, b, src + 10 * rowStep, NATIVE).mul(alpha);
        FloatVector r11 = FloatVector.fromMemorySegment(S, b, src + 11 * rowStep, NATIVE).mul(alpha);
        FloatVector r12 = FloatVector.fromMemorySegment(S, b, src + 12 * rowStep, NATIVE).mul(alpha);
        FloatVector r13 = FloatVector.fromMemorySegment(S, b, src + 13 * rowStep, NATIVE).mul(alpha);
        FloatVector r14 = FloatVector.fromMemorySegment(S, b, src + 14 * rowStep, NATIVE).mul(alpha);
        FloatVector r15 = FloatVector.fromMemorySegment(S, b, src + 15 * rowStep, NATIVE).mul(alpha);
        FloatVector s0 = ZIP_LOW.selectFrom(r0, r8);
        FloatVector s1 = ZIP_HIGH.selectFrom(r0, r8);
        FloatVector s2 = ZIP_LOW.selectFrom(r1, r9);
        FloatVector s3 = ZIP_HIGH.selectFrom(r1, r9);
        FloatVector s4 = ZIP_LOW.selectFrom(r2, r10);
        FloatVector s5 = ZIP_HIGH.selectFrom(r2, r10);
        FloatVector s6 = ZIP_LOW.selectFrom(r3, r11);
        FloatVector s7 = ZIP_HIGH.selectFrom(r3, r11);
        FloatVector s8 = ZIP_LOW.selectFrom(r4, r12);
        FloatVector s9 = ZIP_HIGH.selectFrom(r4, r12);
        FloatVector s10 = ZIP_LOW.selectFrom(r5, r13);
        FloatVector s11 = ZIP_HIGH.selectFrom(r5, r13);
        FloatVector s12 = ZIP_LOW.selectFrom(r6, r14);
        FloatVector s13 = ZIP_HIGH.selectFrom(r6, r14);
        FloatVector s14 = ZIP_LOW.selectFrom(r7, r15);
        FloatVector s15 = ZIP_HIGH.selectFrom(r7, r15);
        r0 = ZIP_LOW.selectFrom(s0, s8);
        r1 = ZIP_HIGH.selectFrom(s0, s8);
        r2 = ZIP_LOW.selectFrom(s1, s9);
        r3 = ZIP_HIGH.selectFrom(s1, s9);
        r4 = ZIP_LOW.selectFrom(s2, s10);
        r5 = ZIP_HIGH.selectFrom(s2, s10);
        r6 = ZIP_LOW.selectFrom(s3, s11);
        r7 = ZIP_HIGH.selectFrom(s3, s11);
        r8 = ZIP_LOW.selectFrom(s4, s12);
        r9 = ZIP_HIGH.selectFrom(s4, s12);
        r10 = ZIP_LOW.selectFrom(s5, s13);
        r11 = ZIP_HIGH.selectFrom(s5, s13);
        r12 = ZIP_LOW.selectFrom(s6, s14);
        r13 = ZIP_HIGH.selectFrom(s6, s14);
        r14 = ZIP_LOW.selectFrom(s7, s15);
        r15 = ZIP_HIGH.selectFrom(s7, s15);
        s0 = ZIP_LOW.selectFrom(r0, r8);
        s1 = ZIP_HIGH.selectFrom(r0, r8);
        s2 = ZIP_LOW.selectFrom(r1, r9);
        s3 = ZIP_HIGH.selectFrom(r1, r9);
        s4 = ZIP_LOW.selectFrom(r2, r10);
        s5 = ZIP_HIGH.selectFrom(r2, r10);
        s6 = ZIP_LOW.selectFrom(r3, r11);
        s7 = ZIP_HIGH.selectFrom(r3, r11);
        s8 = ZIP_LOW.selectFrom(r4, r12);
        s9 = ZIP_HIGH.selectFrom(r4, r12);
        s10 = ZIP_LOW.selectFrom(r5, r13);
        s11 = ZIP_HIGH.selectFrom(r5, r13);
        s12 = ZIP_LOW.selectFrom(r6, r14);
        s13 = ZIP_HIGH.selectFrom(r6, r14);
        s14 = ZIP_LOW.selectFrom(r7, r15);
        s15 = ZIP_HIGH.selectFrom(r7, r15);
        r0 = ZIP_LOW.selectFrom(s0, s8);
        r1 = ZIP_HIGH.selectFrom(s0, s8);
        r2 = ZIP_LOW.selectFrom(s1, s9);
        r3 = ZIP_HIGH.selectFrom(s1, s9);
        r4 = ZIP_LOW.selectFrom(s2, s10);
        r5 = ZIP_HIGH.selectFrom(s2, s10);
        r6 = ZIP_LOW.selectFrom(s3, s11);
        r7 = ZIP_HIGH.selectFrom(s3, s11);
        r8 = ZIP_LOW.selectFrom(s4, s12);
        r9 = ZIP_HIGH.selectFrom(s4, s12);
        r10 = ZIP_LOW.selectFrom(s5, s13);
        r11 = ZIP_HIGH.selectFrom(s5, s13);
        r12 = ZIP_LOW.selectFrom(s6, s14);
        r13 = ZIP_HIGH.selectFrom(s6, s14);
        r14 = ZIP_LOW.selectFrom(s7, s15);
        r15 = ZIP_HIGH.selectFrom(s7, s15);
        r0.intoArray(packed, dst);
        r1.intoArray(packed, dst + 1 * NR);
        r2.intoArray(packed, dst + 2 * NR);
        r3.intoArray(packed, dst + 3 * NR);
        r4.intoArray(packed, dst + 4 * NR);
        r5.intoArray(packed, dst + 5 * NR);
        r6.intoArray(packed, dst + 6 * NR);
        r7.intoArray(packed, dst + 7 * NR);
        r8.intoArray(packed, dst + 8 * NR);
        r9.intoArray(packed, dst + 9 * NR);
        r10.intoArray(packed, dst + 10 * NR);
        r11.intoArray(packed, dst + 11 * NR);
        r12.intoArray(packed, dst + 12 * NR);
        r13.intoArray(packed, dst + 13 * NR);
        r14.intoArray(packed, dst + 14 * NR);
        r15.intoArray(packed, dst + 15 * NR);
    }

    /**
     * Transposes the 16 x 16 block of A at {@code src} (rows {@code rowStep} bytes apart) into packed
     * tiles at {@code dst}: transposed row t holds element t of every row, and its lanes go to the MR-wide
     * groups of the tiles these rows belong to. Interleaving rounds as in {@link #transposeBlock}.
     */
    private static void transposeRowsOfA(MemorySegment a, long src, long rowStep, float[] packed, int dst,
                                         int kc) {
        FloatVector r0 = FloatVector.fromMemorySegment(S, a, src, NATIVE);
        FloatVector r1 = FloatVector.fromMemorySegment(S, a, src + 1 * rowStep, NATIVE);
        FloatVector r2 = FloatVector.fromMemorySegment(S, a, src + 2 * rowStep, NATIVE);
        FloatVector r3 = FloatVector.fromMemorySegment(S, a, src + 3 * rowStep, NATIVE);
        FloatVector r4 = FloatVector.fromMemorySegment(S, a, src + 4 * rowStep, NATIVE);
        FloatVector r5 = FloatVector.fromMemorySegment(S, a, src + 5 * rowStep, NATIVE);
        FloatVector r6 = FloatVector.fromMemorySegment(S, a, src + 6 * rowStep, NATIVE);
        FloatVector r7 = FloatVector.fromMemorySegment(S, a, src + 7 * rowStep, NATIVE);
        FloatVector r8 = FloatVector.fromMemorySegment(S, a, src + 8 * rowStep, NATIVE);
        FloatVector r9 = FloatVector.fromMemorySegment(S, a, src + 9 * rowStep, NATIVE);
        FloatVector r10 = FloatVector.fromMemorySegment(S, a, src + 10 * rowStep, NATIVE);
        FloatVector r11 = FloatVector.fromMemorySegment(S, a, src + 11 * rowStep, NATIVE);
        FloatVector r12 = FloatVector.fromMemorySegment(S, a, src + 12 * rowStep, NATIVE);
        FloatVector r13 = FloatVector.fromMemorySegment(S, a, src + 13 * rowStep, NATIVE);
        FloatVector r14 = FloatVector.fromMemorySegment(S, a, src + 14 * rowStep, NATIVE);
        FloatVector r15 = FloatVector.fromMemorySegment(S, a, src + 15 * rowStep, NATIVE);
        FloatVector s0 = ZIP_LOW.selectFrom(r0, r8);
        FloatVector s1 = ZIP_HIGH.selectFrom(r0, r8);
        FloatVector s2 = ZIP_LOW.selectFrom(r1, r9);
        FloatVector s3 = ZIP_HIGH.selectFrom(r1, r9);
        FloatVector s4 = ZIP_LOW.selectFrom(r2, r10);
        FloatVector s5 = ZIP_HIGH.selectFrom(r2, r10);
        FloatVector s6 = ZIP_LOW.selectFrom(r3, r11);
        FloatVector s7 = ZIP_HIGH.selectFrom(r3, r11);
        FloatVector s8 = ZIP_LOW.selectFrom(r4, r12);
        FloatVector s9 = ZIP_HIGH.selectFrom(r4, r12);
        FloatVector s10 = ZIP_LOW.selectFrom(r5, r13);
        FloatVector s11 = ZIP_HIGH.selectFrom(r5, r13);
        FloatVector s12 = ZIP_LOW.selectFrom(r6, r14);
        FloatVector s13 = ZIP_HIGH.selectFrom(r6, r14);
        FloatVector s14 = ZIP_LOW.selectFrom(r7, r15);
        FloatVector s15 = ZIP_HIGH.selectFrom(r7, r15);
        r0 = ZIP_LOW.selectFrom(s0, s8);
        r1 = ZIP_HIGH.selectFrom(s0, s8);
        r2 = ZIP_LOW.selectFrom(s1, s9);
        r3 = ZIP_HIGH.selectFrom(s1, s9);
        r4 = ZIP_LOW.selectFrom(s2, s10);
        r5 = ZIP_HIGH.selectFrom(s2, s10);
        r6 = ZIP_LOW.selectFrom(s3, s11);
        r7 = ZIP_HIGH.selectFrom(s3, s11);
        r8 = ZIP_LOW.selectFrom(s4, s12);
        r9 = ZIP_HIGH.selectFrom(s4, s12);
        r10 = ZIP_LOW.selectFrom(s5, s13);
        r11 = ZIP_HIGH.selectFrom(s5, s13);
        r12 = ZIP_LOW.selectFrom(s6, s14);
        r13 = ZIP_HIGH.selectFrom(s6, s14);
        r14 = ZIP_LOW.selectFrom(s7, s15);
        r15 = ZIP_HIGH.selectFrom(s7, s15);
        s0 = ZIP_LOW.selectFrom(r0, r8);
        s1 = ZIP_HIGH.selectFrom(r0, r8);
        s2 = ZIP_LOW.selectFrom(r1, r9);
        s3 = ZIP_HIGH.selectFrom(r1, r9);
        s4 = ZIP_LOW.selectFrom(r2, r10);
        s5 = ZIP_HIGH.selectFrom(r2, r10);
        s6 = ZIP_LOW.selectFrom(r3, r11);
        s7 = ZIP_HIGH.selectFrom(r3, r11);
        s8 = ZIP_LOW.selectFrom(r4, r12);
        s9 = ZIP_HIGH.selectFrom(r4, r12);
        s10 = ZIP_LOW.selectFrom(r5, r13);
        s11 = ZIP_HIGH.selectFrom(r5, r13);
        s12 = ZIP_LOW.selectFrom(r6, r14);
        s13 = ZIP_HIGH.selectFrom(r6, r14);
        s14 = ZIP_LOW.selectFrom(r7, r15);
        s15 = ZIP_HIGH.selectFrom(r7, r15);
        r0 = ZIP_LOW.selectFrom(s0, s8);
        r1 = ZIP_HIGH.selectFrom(s0, s8);
        r2 = ZIP_LOW.selectFrom(s1, s9);
        r3 = ZIP_HIGH.selectFrom(s1, s9);
        r4 = ZIP_LOW.selectFrom(s2, s10);
        r5 = ZIP_HIGH.selectFrom(s2, s10);
        r6 = ZIP_LOW.selectFrom(s3, s11);
        r7 = ZIP_HIGH.selectFrom(s3, s11);
        r8 = ZIP_LOW.selectFrom(s4, s12);
        r9 = ZIP_HIGH.selectFrom(s4, s12);
        r10 = ZIP_LOW.selectFrom(s5, s13);
        r11 = ZIP_HIGH.selectFrom(s5, s13);
        r12 = ZIP_LOW.selectFrom(s6, s14);
        r13 = ZIP_HIGH.selectFrom(s6, s14);
        r14 = ZIP_LOW.selectFrom(s7, s15);
        r15 = ZIP_HIGH.selectFrom(s7, s15);
        r0.intoArray(packed, dst, FIRST_TILE);
        r0.intoArray(packed, dst + MR * kc - MR, SECOND_TILE);
        r1.intoArray(packed, dst + 1 * MR, FIRST_TILE);
        r1.intoArray(packed, dst + MR * kc, SECOND_TILE);
        r2.intoArray(packed, dst + 2 * MR, FIRST_TILE);
        r2.intoArray(packed, dst + MR * kc + 1 * MR, SECOND_TILE);
        r3.intoArray(packed, dst + 3 * MR, FIRST_TILE);
        r3.intoArray(packed, dst + MR * kc + 2 * MR, SECOND_TILE);
        r4.intoArray(packed, dst + 4 * MR, FIRST_TILE);
        r4.intoArray(packed, dst + MR * kc + 3 * MR, SECOND_TILE);
        r5.intoArray(packed, dst + 5 * MR, FIRST_TILE);
        r5.intoArray(packed, dst + MR * kc + 4 * MR, SECOND_TILE);
        r6.intoArray(packed, dst + 6 * MR, FIRST_TILE);
        r6.intoArray(packed, dst + MR * kc + 5 * MR, SECOND_TILE);
        r7.intoArray(packed, dst + 7 * MR, FIRST_TILE);
        r7.intoArray(packed, dst + MR * kc + 6 * MR, SECOND_TILE);
        r8.intoArray(packed, dst + 8 * MR, FIRST_TILE);
        r8.intoArray(packed, dst + MR * kc + 7 * MR, SECOND_TILE);
        r9.intoArray(packed, dst + 9 * MR, FIRST_TILE);
        r9.intoArray(packed, dst + MR * kc + 8 * MR, SECOND_TILE);
        r10.intoArray(packed, dst + 10 * MR, FIRST_TILE);
        r10.intoArray(packed, dst + MR * kc + 9 * MR, SECOND_TILE);
        r11.intoArray(packed, dst + 11 * MR, FIRST_TILE);
        r11.intoArray(packed, dst + MR * kc + 10 * MR, SECOND_TILE);
        r12.intoArray(packed, dst + 12 * MR, FIRST_TILE);
        r12.intoArray(packed, dst + MR * kc + 11 * MR, SECOND_TILE);
        r13.intoArray(packed, dst + 13 * MR, FIRST_TILE);
        r13.intoArray(packed, dst + MR * kc + 12 * MR, SECOND_TILE);
        r14.intoArray(packed, dst + 14 * MR, FIRST_TILE);
        r14.intoArray(packed, dst + MR * kc + 13 * MR, SECOND_TILE);
        r15.intoArray(packed, dst + 15 * MR, FIRST_TILE);
        r15.intoArray(packed, dst + MR * kc + 14 * MR, SECOND_TILE);
    }

    /** The micro-kernel for packed A: element (r, p) of the tile is {@code a[aAt + p * MR + r]}. */
    private static void kernel(int kc, float[] a, int aAt, float[] b, int bAt,
                               MemorySegment c, long cAt, long cRowStep, float beta) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bAt + p * NR;
            int ai = aAt + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + 1 * LANES);
            FloatVector x = FloatVector.broadcast(S, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[ai + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[ai + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        if (beta == 0f) {
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
            FloatVector betaV = FloatVector.broadcast(S, beta);
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

    private static void update(FloatVector sum, MemorySegment c, long at, FloatVector betaV) {
        FloatVector.fromMemorySegment(S, c, at, NATIVE).fma(betaV, sum).intoMemorySegment(c, at, NATIVE);
    }
}
