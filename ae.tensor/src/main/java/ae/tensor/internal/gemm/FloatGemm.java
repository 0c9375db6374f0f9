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
 * <p>GotoBLAS/BLIS structure: C is cut into column blocks of {@link #NC}; k into nearly equal blocks of at most
 * {@link #KC}; for each (column block, k block) the block of op(B) is packed, scaled by alpha, into panels
 * {@link #NR} columns wide so that the micro-kernel reads it as consecutive vectors that stay in L1 while it
 * walks down the rows of C. A is not packed: the micro-kernel broadcasts its elements in place with a row step and
 * a column step, which covers both transposes; only a last partial tile of fewer than {@link #MR} rows is copied,
 * so that the kernel never reads past the matrix.
 */
final class FloatGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ValueLayout.OfFloat E = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final long BYTES = E.byteSize();
    private static final int LANES = S.length();
    private static final long VECTOR_BYTES = S.vectorByteSize();
    /** Rows of C per micro-tile. */
    static final int MR = 4;
    /** Columns of C per micro-tile: 4 vectors. */
    static final int NR = 4 * LANES;
    private static final long PANEL_ROW_BYTES = NR * BYTES;
    /** Longest k block: a packed B panel of KC x NR stays in L1. */
    static final int KC = 256;
    /** Widest column block of C whose packed B block stays in L2. */
    static final int NC = 1024;
    /** Below this many multiply-adds one thread does everything: waking workers would cost more. */
    static final long PARALLEL_THRESHOLD = 2000000L;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private static final ThreadLocal<Call> CALLS = ThreadLocal.withInitial(Call::new);

    private FloatGemm() {
    }

    /** Per-thread packing memory, 64-byte aligned; it only grows, so steady state allocates nothing. */
    private static final class Scratch {
        private MemorySegment packedB = MemorySegment.NULL;
        private MemorySegment edgeA = MemorySegment.NULL;

        MemorySegment packedB(long bytes) {
            if (packedB.byteSize() < bytes) {
                packedB = Arena.ofAuto().allocate(bytes, 64);
            }
            return packedB;
        }

        MemorySegment edgeA(long bytes) {
            if (edgeA.byteSize() < bytes) {
                edgeA = Arena.ofAuto().allocate(bytes, 64);
            }
            return edgeA;
        }
    }

    /**
     * The operands of one multiply, kept per calling thread and reused as the pool task, so that going parallel
     * allocates no lambda. Chunk c computes its own rectangle of C from start to end of the k loop.
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

        void clear() {
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
            call.clear();
        }
    }

    /**
     * Splits C among threads from the shape and thread count alone. Columns are preferred: each thread then packs
     * only its own part of B and reads A in place. Rows are split when C is too narrow, at the price of every
     * thread packing all of B.
     */
    private static void planChunks(Call call, int threads) {
        long work = (long) call.m * call.n * call.k;
        int columnPanels = (call.n + NR - 1) / NR;
        int rowTiles = (call.m + MR - 1) / MR;
        if (threads == 1 || work < PARALLEL_THRESHOLD) {
            call.chunks = 1;
            call.splitColumns = true;
        } else if (columnPanels >= threads || columnPanels >= rowTiles) {
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
        int k = call.k;
        int kBlocks = (k + KC - 1) / KC;
        MemorySegment edgeA = scratch.edgeA((long) MR * KC * BYTES);
        long aRowStep = (call.transA ? 1L : call.lda) * BYTES;
        long aColStep = (call.transA ? (long) call.lda : 1L) * BYTES;
        long cRowStep = (long) call.ldc * BYTES;
        int fullRowsEnd = rowFrom + (rowTo - rowFrom) / MR * MR;
        for (int jc = colFrom; jc < colTo; jc += NC) {
            int nc = Math.min(NC, colTo - jc);
            int panels = (nc + NR - 1) / NR;
            MemorySegment packedB = scratch.packedB((long) panels * NR * KC * BYTES);
            for (int kb = 0; kb < kBlocks; kb++) {
                int pc = ComputePool.chunkStart(k, kBlocks, kb, 1);
                int kc = ComputePool.chunkStart(k, kBlocks, kb + 1, 1) - pc;
                packB(call, pc, kc, jc, nc, packedB);
                float beta = kb == 0 ? call.beta : 1f;
                int edgeRows = rowTo - fullRowsEnd;
                if (edgeRows > 0) {
                    packEdgeA(call, fullRowsEnd, edgeRows, pc, kc, edgeA);
                }
                long aAt0 = (call.aOffset + (call.transA ? (long) pc * call.lda : pc)) * BYTES;
                for (int q = 0; q < panels; q++) {
                    int j = jc + q * NR;
                    int cols = Math.min(NR, colTo - j);
                    long bAt = (long) q * kc * PANEL_ROW_BYTES;
                    for (int i = rowFrom; i < fullRowsEnd; i += MR) {
                        long aAt = aAt0 + i * aRowStep;
                        long cAt = (call.cOffset + (long) i * call.ldc + j) * BYTES;
                        kernel(kc, call.a, aAt, aRowStep, aColStep, packedB, bAt, call.c, cAt, cRowStep, MR, cols, beta);
                    }
                    if (edgeRows > 0) {
                        long cAt = (call.cOffset + (long) fullRowsEnd * call.ldc + j) * BYTES;
                        kernel(kc, edgeA, 0, BYTES, MR * BYTES, packedB, bAt, call.c, cAt, cRowStep, edgeRows, cols, beta);
                    }
                }
            }
        }
    }

    /**
     * Packs rows [pc, pc+kc) x columns [jc, jc+nc) of alpha * op(B) into panels of NR columns, panel after panel,
     * each kc rows of NR consecutive elements; columns past nc are zero.
     */
    private static void packB(Call call, int pc, int kc, int jc, int nc, MemorySegment packed) {
        float alpha = call.alpha;
        MemorySegment b = call.b;
        int ldb = call.ldb;
        int panels = (nc + NR - 1) / NR;
        if (!call.transB) {
            FloatVector alphaV = FloatVector.broadcast(S, alpha);
            for (int q = 0; q < panels; q++) {
                int width = Math.min(NR, nc - q * NR);
                long dst = (long) q * kc * PANEL_ROW_BYTES;
                long src = (call.bOffset + (long) pc * ldb + jc + (long) q * NR) * BYTES;
                long srcStep = (long) ldb * BYTES;
                if (width == NR) {
                    for (int p = 0; p < kc; p++) {
                        for (int v = 0; v < NR; v += LANES) {
                            FloatVector.fromMemorySegment(S, b, src + v * BYTES, NATIVE).mul(alphaV)
                                    .intoMemorySegment(packed, dst + v * BYTES, NATIVE);
                        }
                        src += srcStep;
                        dst += PANEL_ROW_BYTES;
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        for (int v = 0; v < NR; v += LANES) {
                            VectorMask<Float> inside = S.indexInRange(v, width);
                            FloatVector.fromMemorySegment(S, b, src + v * BYTES, NATIVE, inside).mul(alphaV)
                                    .intoMemorySegment(packed, dst + v * BYTES, NATIVE);
                        }
                        src += srcStep;
                        dst += PANEL_ROW_BYTES;
                    }
                }
            }
        } else {
            for (int q = 0; q < panels; q++) {
                int width = Math.min(NR, nc - q * NR);
                long panel = (long) q * kc * PANEL_ROW_BYTES;
                for (int jj = 0; jj < NR; jj++) {
                    long dst = panel + jj * BYTES;
                    if (jj < width) {
                        long src = (call.bOffset + (long) (jc + q * NR + jj) * ldb + pc) * BYTES;
                        for (int p = 0; p < kc; p++) {
                            packed.set(E, dst, alpha * b.get(E, src));
                            src += BYTES;
                            dst += PANEL_ROW_BYTES;
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            packed.set(E, dst, 0f);
                            dst += PANEL_ROW_BYTES;
                        }
                    }
                }
            }
        }
    }

    /**
     * Copies the last {@code rows} (< MR) rows of op(A), columns [pc, pc+kc), as kc groups of MR elements. Rows
     * past {@code rows} keep whatever they held: the kernel computes them but never writes them to C.
     */
    private static void packEdgeA(Call call, int row, int rows, int pc, int kc, MemorySegment edge) {
        MemorySegment a = call.a;
        int lda = call.lda;
        for (int r = 0; r < rows; r++) {
            long dst = r * BYTES;
            for (int p = 0; p < kc; p++) {
                long index = call.transA ? call.aOffset + (long) (pc + p) * lda + row + r
                        : call.aOffset + (long) (row + r) * lda + pc + p;
                edge.set(E, dst, a.getAtIndex(E, index));
                dst += MR * BYTES;
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
     * One 4 x 4-vector tile of C: the accumulators stay in registers for the whole k loop, each step
     * loads 4 vectors of packed B and broadcasts 4 elements of A, which may be read in place with any
     * row and column step. Only the first {@code rows} rows and {@code cols} columns are written back.
     */
    private static void kernel(int kc, MemorySegment a, long aAt, long aRowStep, long aColStep,
                               MemorySegment packedB, long bAt, MemorySegment c, long cAt, long cRowStep,
                               int rows, int cols, float beta) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S), c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S), c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S), c23 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S), c33 = FloatVector.zero(S);
        long a1 = aAt + aRowStep;
        long a2 = aAt + 2 * aRowStep;
        long a3 = aAt + 3 * aRowStep;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromMemorySegment(S, packedB, bAt, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(S, packedB, bAt + 1 * VECTOR_BYTES, NATIVE);
            FloatVector b2 = FloatVector.fromMemorySegment(S, packedB, bAt + 2 * VECTOR_BYTES, NATIVE);
            FloatVector b3 = FloatVector.fromMemorySegment(S, packedB, bAt + 3 * VECTOR_BYTES, NATIVE);
            FloatVector x = FloatVector.broadcast(S, a.get(E, aAt));
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a.get(E, a1));
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a.get(E, a2));
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a.get(E, a3));
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
            aAt += aColStep;
            a1 += aColStep;
            a2 += aColStep;
            a3 += aColStep;
            bAt += PANEL_ROW_BYTES;
        }
        FloatVector betaV = FloatVector.broadcast(S, beta);
        if (cols == NR) {
            {
                long at = cAt;
                update(c00, c, at, beta, betaV);
                update(c01, c, at + 1 * VECTOR_BYTES, beta, betaV);
                update(c02, c, at + 2 * VECTOR_BYTES, beta, betaV);
                update(c03, c, at + 3 * VECTOR_BYTES, beta, betaV);
            }
            if (rows > 1) {
                long at = cAt + 1L * cRowStep;
                update(c10, c, at, beta, betaV);
                update(c11, c, at + 1 * VECTOR_BYTES, beta, betaV);
                update(c12, c, at + 2 * VECTOR_BYTES, beta, betaV);
                update(c13, c, at + 3 * VECTOR_BYTES, beta, betaV);
            }
            if (rows > 2) {
                long at = cAt + 2L * cRowStep;
                update(c20, c, at, beta, betaV);
                update(c21, c, at + 1 * VECTOR_BYTES, beta, betaV);
                update(c22, c, at + 2 * VECTOR_BYTES, beta, betaV);
                update(c23, c, at + 3 * VECTOR_BYTES, beta, betaV);
            }
            if (rows > 3) {
                long at = cAt + 3L * cRowStep;
                update(c30, c, at, beta, betaV);
                update(c31, c, at + 1 * VECTOR_BYTES, beta, betaV);
                update(c32, c, at + 2 * VECTOR_BYTES, beta, betaV);
                update(c33, c, at + 3 * VECTOR_BYTES, beta, betaV);
            }
        } else {
            VectorMask<Float> m0 = S.indexInRange(0 * LANES, cols);
            VectorMask<Float> m1 = S.indexInRange(1 * LANES, cols);
            VectorMask<Float> m2 = S.indexInRange(2 * LANES, cols);
            VectorMask<Float> m3 = S.indexInRange(3 * LANES, cols);
            {
                long at = cAt;
                update(c00, c, at, beta, betaV, m0);
                update(c01, c, at + 1 * VECTOR_BYTES, beta, betaV, m1);
                update(c02, c, at + 2 * VECTOR_BYTES, beta, betaV, m2);
                update(c03, c, at + 3 * VECTOR_BYTES, beta, betaV, m3);
            }
            if (rows > 1) {
                long at = cAt + 1L * cRowStep;
                update(c10, c, at, beta, betaV, m0);
                update(c11, c, at + 1 * VECTOR_BYTES, beta, betaV, m1);
                update(c12, c, at + 2 * VECTOR_BYTES, beta, betaV, m2);
                update(c13, c, at + 3 * VECTOR_BYTES, beta, betaV, m3);
            }
            if (rows > 2) {
                long at = cAt + 2L * cRowStep;
                update(c20, c, at, beta, betaV, m0);
                update(c21, c, at + 1 * VECTOR_BYTES, beta, betaV, m1);
                update(c22, c, at + 2 * VECTOR_BYTES, beta, betaV, m2);
                update(c23, c, at + 3 * VECTOR_BYTES, beta, betaV, m3);
            }
            if (rows > 3) {
                long at = cAt + 3L * cRowStep;
                update(c30, c, at, beta, betaV, m0);
                update(c31, c, at + 1 * VECTOR_BYTES, beta, betaV, m1);
                update(c32, c, at + 2 * VECTOR_BYTES, beta, betaV, m2);
                update(c33, c, at + 3 * VECTOR_BYTES, beta, betaV, m3);
            }
        }
    }

    private static void update(FloatVector acc, MemorySegment c, long at, float beta, FloatVector betaV) {
        if (beta == 0f) {
            acc.intoMemorySegment(c, at, NATIVE);
        } else {
            FloatVector.fromMemorySegment(S, c, at, NATIVE).fma(betaV, acc).intoMemorySegment(c, at, NATIVE);
        }
    }

    private static void update(FloatVector acc, MemorySegment c, long at, float beta, FloatVector betaV,
                               VectorMask<Float> mask) {
        if (beta == 0f) {
            acc.intoMemorySegment(c, at, NATIVE, mask);
        } else {
            FloatVector.fromMemorySegment(S, c, at, NATIVE, mask).fma(betaV, acc).intoMemorySegment(c, at, NATIVE, mask);
        }
    }
}
