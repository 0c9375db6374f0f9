package ae.tensor;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

/**
 * One randomly drawn GEMM problem: operands stored with padded leading dimensions at nonzero offsets, and a C
 * whose padding is filled with a sentinel, so that writes outside the m x n result are caught.
 */
final class GemmCase {
    static final double SENTINEL = -12345.0;
    private static final double[] ALPHAS = {1, -1, 0.5, 1.75, 0};
    private static final double[] BETAS = {0, 1, -0.5, 2};

    final DType dtype;
    final boolean transA;
    final boolean transB;
    final int m;
    final int n;
    final int k;
    final int lda;
    final int ldb;
    final int ldc;
    final int aOffset;
    final int bOffset;
    final int cOffset;
    final double alpha;
    final double beta;
    final double[] a;
    final double[] b;
    final double[] c;

    GemmCase(DType dtype, int m, int n, int k, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        this.dtype = dtype;
        this.m = m;
        this.n = n;
        this.k = k;
        transA = random.nextBoolean();
        transB = random.nextBoolean();
        lda = storedCols(transA, m, k) + padding(random);
        ldb = storedCols(transB, k, n) + padding(random);
        ldc = n + padding(random);
        aOffset = random.nextInt(0, 20);
        bOffset = random.nextInt(0, 20);
        cOffset = random.nextInt(0, 20);
        alpha = random.nextInt(10) == 0 ? 0 : ALPHAS[random.nextInt(ALPHAS.length - 1)];
        beta = BETAS[random.nextInt(BETAS.length)];
        a = operand(random, aOffset, storedRows(transA, m, k), storedCols(transA, m, k), lda);
        b = operand(random, bOffset, storedRows(transB, k, n), storedCols(transB, k, n), ldb);
        c = operand(random, cOffset, m, n, ldc);
        if (beta == 0) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    c[cOffset + i * ldc + j] = Double.NaN;
                }
            }
        }
    }

    GemmCase(DType dtype, boolean transA, boolean transB, int m, int n, int k, long seed) {
        this(dtype, transA, transB, m, n, k, 1, 0, seed);
    }

    GemmCase(DType dtype, boolean transA, boolean transB, int m, int n, int k, double alpha, double beta, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        this.dtype = dtype;
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.n = n;
        this.k = k;
        this.lda = storedCols(transA, m, k);
        this.ldb = storedCols(transB, k, n);
        this.ldc = n;
        this.aOffset = 0;
        this.bOffset = 0;
        this.cOffset = 0;
        this.alpha = alpha;
        this.beta = beta;
        a = operand(random, 0, storedRows(transA, m, k), lda, lda);
        b = operand(random, 0, storedRows(transB, k, n), ldb, ldb);
        c = operand(random, 0, m, n, n);
    }

    private static int storedRows(boolean trans, int rows, int cols) {
        return trans ? cols : rows;
    }

    private static int storedCols(boolean trans, int rows, int cols) {
        return trans ? rows : cols;
    }

    private static int padding(SplittableRandom random) {
        return random.nextBoolean() ? 0 : random.nextInt(1, 40);
    }

    private static double[] operand(SplittableRandom random, int offset, int rows, int cols, int ld) {
        double[] x = new double[offset + rows * ld + 7];
        java.util.Arrays.fill(x, SENTINEL);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                // Values exactly representable in float32, so both precisions see the same operands.
                x[offset + i * ld + j] = (float) random.nextDouble(-1, 1);
            }
        }
        return x;
    }

    double opA(int i, int p) {
        return transA ? a[aOffset + p * lda + i] : a[aOffset + i * lda + p];
    }

    double opB(int p, int j) {
        return transB ? b[bOffset + j * ldb + p] : b[bOffset + p * ldb + j];
    }

    /** Runs the kernels and returns the whole C buffer, padding and sentinels included. */
    double[] run(GemmKernels kernels, ComputePool pool) {
        try (TensorScope scope = TensorScope.open("gemm case")) {
            MemorySegment as = load(scope, a);
            MemorySegment bs = load(scope, b);
            Tensor ct = scope.allocate(dtype, c.length);
            ct.copyFrom(c);
            MemorySegment cs = ct.segment();
            if (dtype == DType.F32) {
                kernels.sgemm(pool, transA, transB, m, n, k, (float) alpha, as, aOffset, lda, bs, bOffset, ldb,
                        (float) beta, cs, cOffset, ldc);
            } else {
                kernels.dgemm(pool, transA, transB, m, n, k, alpha, as, aOffset, lda, bs, bOffset, ldb,
                        beta, cs, cOffset, ldc);
            }
            return ct.toDoubleArray();
        }
    }

    private MemorySegment load(TensorScope scope, double[] values) {
        Tensor t = scope.allocate(dtype, values.length);
        t.copyFrom(values);
        return t.segment();
    }

    /** The product in float64, naive order: the reference for both precisions. */
    double exact(int i, int j) {
        double sum = 0;
        for (int p = 0; p < k; p++) {
            sum += opA(i, p) * opB(p, j);
        }
        double old = beta == 0 ? 0 : beta * c[cOffset + i * ldc + j];
        return alpha * sum + old;
    }

    /**
     * How far a correct result may be from {@link #exact}: each of the k+2 roundings of a sum may cost one unit
     * of the element type's precision on the magnitudes involved.
     */
    double tolerance(int i, int j) {
        double magnitude = 0;
        for (int p = 0; p < k; p++) {
            magnitude += Math.abs(opA(i, p) * opB(p, j));
        }
        magnitude = Math.abs(alpha) * magnitude + (beta == 0 ? 0 : Math.abs(beta * c[cOffset + i * ldc + j]));
        double eps = dtype == DType.F32 ? 0x1p-23 : 0x1p-52;
        return 2.0 * (k + 2) * eps * magnitude + Double.MIN_NORMAL;
    }

    /** True if element {@code index} of the C buffer belongs to the m x n result. */
    boolean insideResult(int index) {
        int rel = index - cOffset;
        return rel >= 0 && rel / ldc < m && rel % ldc < n;
    }

    @Override
    public String toString() {
        return dtype + " " + (transA ? "A^T" : "A") + " " + (transB ? "B^T" : "B") + " m=" + m + " n=" + n + " k=" + k
                + " lda=" + lda + " ldb=" + ldb + " ldc=" + ldc + " offsets=" + aOffset + "," + bOffset + "," + cOffset
                + " alpha=" + alpha + " beta=" + beta;
    }
}
