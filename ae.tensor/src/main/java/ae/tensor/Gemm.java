package ae.tensor;

/**
 * Matrix multiply on 2-D tensors: {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(X)} is X or,
 * when its flag is set, X transposed.
 *
 * <p>Operands may be row-major with any leading dimension (rows views included) or transposed views of such
 * tensors; a transposed view costs nothing, it only flips which way the kernel reads. All three tensors must have
 * the same element type. As in BLAS, {@code beta == 0} means C is not read, and C must not overlap A or B.
 */
public final class Gemm {
    private Gemm() {
    }

    /** Multiplies with the GEMM of {@link Kernels#preferred()}. */
    public static void multiply(ComputePool pool, double alpha, Tensor a, boolean transA, Tensor b, boolean transB,
                                double beta, Tensor c) {
        multiply(Kernels.preferred().gemm(), pool, alpha, a, transA, b, transB, beta, c);
    }

    /** Multiplies with the given kernels. */
    public static void multiply(GemmKernels kernels, ComputePool pool, double alpha, Tensor a, boolean transA,
                                Tensor b, boolean transB, double beta, Tensor c) {
        multiply(kernels, pool, alpha, a, transA, b, transB, beta, c, null);
    }

    /**
     * Multiplies with the given kernels, then runs {@code epilogue} (if not null) on every part of C, in C's rows and
     * columns: for a float32 C stored row-major, each thread on the rectangle it computed, as soon as it is done (see
     * {@link GemmKernels.Epilogue}); otherwise on the whole of C after the product. {@link TensorOps#multiplyBiasActivation}
     * uses one for bias + activation.
     */
    public static void multiply(GemmKernels kernels, ComputePool pool, double alpha, Tensor a, boolean transA,
                                Tensor b, boolean transB, double beta, Tensor c, GemmKernels.Epilogue epilogue) {
        require2d("A", a);
        require2d("B", b);
        require2d("C", c);
        Shapes.requireSameDType("A", a, "B", b);
        Shapes.requireSameDType("A", a, "C", c);
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int kOfB = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (k != kOfB) {
            throw new IllegalArgumentException("op(A) is " + Shapes.format(m, k) + " but op(B) is "
                    + Shapes.format(kOfB, n) + ": inner dimensions differ");
        }
        if (c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException("C is " + Shapes.format(c.shape()) + " but op(A) is "
                    + Shapes.format(m, k) + " and op(B) is " + Shapes.format(kOfB, n) + ", so C must be "
                    + Shapes.format(m, n));
        }
        requireMatrixLayout("A", a);
        requireMatrixLayout("B", b);
        requireMatrixLayout("C", c);
        if (isStoredTransposed(c)) {
            // C^T is the row-major matrix in memory, and C^T = op(B)^T * op(A)^T.
            call(kernels, pool, c.dtype(), n, m, k, alpha, b, !transB, a, !transA, beta, c, null);
            if (epilogue != null && m > 0 && n > 0) {
                epilogue.apply(0, m, 0, n);
            }
        } else {
            call(kernels, pool, c.dtype(), m, n, k, alpha, a, transA, b, transB, beta, c, epilogue);
        }
    }

    private static void call(GemmKernels kernels, ComputePool pool, DType dtype, int m, int n, int k, double alpha,
                             Tensor a, boolean transA, Tensor b, boolean transB, double beta, Tensor c,
                             GemmKernels.Epilogue epilogue) {
        boolean kernelTransA = transA != isStoredTransposed(a);
        boolean kernelTransB = transB != isStoredTransposed(b);
        if (dtype == DType.F32) {
            kernels.sgemm(pool, kernelTransA, kernelTransB, m, n, k, (float) alpha,
                    a.segment(), a.offset(), leadingDimension(a), b.segment(), b.offset(), leadingDimension(b),
                    (float) beta, c.segment(), c.offset(), leadingDimension(c), epilogue);
        } else {
            kernels.dgemm(pool, kernelTransA, kernelTransB, m, n, k, alpha,
                    a.segment(), a.offset(), leadingDimension(a), b.segment(), b.offset(), leadingDimension(b),
                    beta, c.segment(), c.offset(), leadingDimension(c));
            if (epilogue != null && m > 0 && n > 0) {
                epilogue.apply(0, m, 0, n);
            }
        }
    }

    private static void require2d(String name, Tensor x) {
        if (x.rank() != 2) {
            throw new IllegalArgumentException(name + " must be 2-D, got shape " + Shapes.format(x.shape()));
        }
    }

    /**
     * True if the tensor is a transposed view: its elements are row-major in memory as the transpose. Strides of a
     * dimension of size 1 never matter, so such a dimension does not decide.
     */
    private static boolean isStoredTransposed(Tensor x) {
        return x.cols() > 1 && x.stride(1) != 1;
    }

    private static void requireMatrixLayout(String name, Tensor x) {
        boolean rowMajor = x.cols() <= 1 || x.stride(1) == 1;
        boolean columnMajor = x.rows() <= 1 || x.stride(0) == 1;
        if (!rowMajor && !columnMajor) {
            throw new IllegalArgumentException(name + " of shape " + Shapes.format(x.shape()) + " has strides ["
                    + x.stride(0) + ", " + x.stride(1) + "]: one of them must be 1 (row-major or a transposed view)");
        }
        long ld = isStoredTransposed(x) ? x.stride(1) : x.stride(0);
        if (ld > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " has a leading dimension of " + ld + ", above 2^31 - 1");
        }
    }

    /** Distance between stored rows; a single stored row has no distance, its length serves. */
    private static int leadingDimension(Tensor x) {
        boolean transposed = isStoredTransposed(x);
        int storedRows = transposed ? x.cols() : x.rows();
        int storedCols = transposed ? x.rows() : x.cols();
        long ld = transposed ? x.stride(1) : x.stride(0);
        return storedRows <= 1 ? Math.max(1, storedCols) : (int) Math.max(ld, 1);
    }
}
