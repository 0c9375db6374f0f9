package ae.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The kernels on {@link Tensor}s: checks shapes and element types (an {@link IllegalArgumentException} names
 * the shapes at fault), calls the chosen {@link VectorKernels} / {@link OptimizerKernels} provider, and splits
 * large work over a {@link ComputePool}.
 *
 * <p>Layouts: elementwise operations take tensors of one shape that are either all contiguous (any rank) or all
 * 2-D with unit column stride (rows may be padded, as in row views of a wider matrix). Matrix operations take
 * 2-D tensors with unit column stride; vectors (bias, per-row or per-column outputs) must be contiguous 1-D.
 * float32 and float64 are both accepted, but all operands of one call share one element type; the optimizer
 * updates are float32 only.
 *
 * <p>Determinism: work is split only above {@value #PARALLEL_THRESHOLD} elements, into at most
 * {@code pool.threads()} parts whose boundaries depend only on the sizes and the thread count. Elementwise and
 * per-row results do not depend on the split at all; whole-tensor reductions ({@link #sum}, {@link #dot}, ...)
 * add, in order, the sums of fixed blocks of at most {@value #REDUCTION_BLOCK} elements within each row (a tensor
 * of rank other than 2 counts as one row), so their bits depend neither on the thread count nor on row padding.
 *
 * <p>No heap allocation per call in steady state: each calling thread reuses one task object. Safe to use from
 * several threads at once (the pool runs one task at a time).
 */
public final class TensorOps {
    /** Below this many elements a call runs on the calling thread: splitting would cost more than it saves. */
    public static final int PARALLEL_THRESHOLD = 1 << 15;
    /** Block length of whole-tensor reductions; fixed so that the sum's bits never depend on the thread count. */
    public static final int REDUCTION_BLOCK = 1 << 14;
    private static final int MIN_CHUNK_ELEMENTS = 1 << 14;
    /** Column granule of split column ranges: a multiple of every vector width, so chunks start lane-aligned. */
    private static final int COLUMN_GRANULE = 64;

    private final ComputePool pool;
    private final VectorKernels kernels;
    private final OptimizerKernels optimizer;
    private final ThreadLocal<Job> jobs = ThreadLocal.withInitial(Job::new);

    private TensorOps(ComputePool pool, VectorKernels kernels, OptimizerKernels optimizer) {
        this.pool = pool;
        this.kernels = kernels;
        this.optimizer = optimizer;
    }

    /** Operations on {@code pool} with the preferred providers (SIMD unless {@code -Dae.simd=false}). */
    public static TensorOps create(ComputePool pool) {
        return create(pool, Kernels.preferred());
    }

    /** Operations on {@code pool} with the given providers (tests compare providers this way); GEMM is not used. */
    public static TensorOps create(ComputePool pool, Kernels kernels) {
        if (pool == null || kernels == null) {
            throw new IllegalArgumentException("pool and kernels are required");
        }
        return new TensorOps(pool, kernels.vector(), kernels.optimizer());
    }

    public ComputePool pool() {
        return pool;
    }

    public VectorKernels kernels() {
        return kernels;
    }

    public OptimizerKernels optimizerKernels() {
        return optimizer;
    }

    // ---- activations -------------------------------------------------------------------------------------

    /** out = act(in). */
    public void activation(Activation act, Tensor in, Tensor out) {
        Job j = elementwise(Op.ACTIVATION, "activation", "in", in, "out", out, null, null, null, null);
        j.act = act;
        run(j);
    }

    /** out(i, j) = act(in(i, j) + bias(j)); {@code bias} of shape [cols], or null for none. */
    public void biasActivation(Activation act, Tensor in, Tensor bias, Tensor out) {
        requireMatrix("biasActivation", "in", in);
        sameShape("biasActivation", "in", in, "out", out);
        sameDType("biasActivation", "in", in, "out", out);
        requireMatrix("biasActivation", "out", out);
        if (bias != null) {
            requireVector("biasActivation", "bias", bias, in.dim(1));
            sameDType("biasActivation", "in", in, "bias", bias);
        }
        Job j = job(Op.BIAS_ACTIVATION, in.dtype());
        j.act = act;
        j.matrix(in.dim(0), in.dim(1));
        j.operand(0, in);
        j.operand(1, out);
        if (bias != null) {
            j.operand(2, bias);
        } else {
            j.seg[2] = null;
        }
        j.split = Split.ROWS;
        run(j);
    }

    /**
     * gradIn = gradOut * act'(a) (or += when {@code accumulate}): from {@code output} = act(a), or from
     * {@code preActivation} for softplus; the one not read may be null.
     */
    public void activationBackward(Activation act, Tensor output, Tensor preActivation, Tensor gradOut, Tensor gradIn,
                                   boolean accumulate) {
        Tensor read = act.backwardReadsPreActivation() ? preActivation : output;
        if (read == null) {
            throw new IllegalArgumentException("activationBackward for " + act + " needs the "
                    + (act.backwardReadsPreActivation() ? "pre-activation" : "output"));
        }
        String readName = act.backwardReadsPreActivation() ? "preActivation" : "output";
        Job j = elementwise(Op.ACTIVATION_BACKWARD, "activationBackward", readName, read, "gradOut", gradOut,
                "gradIn", gradIn, null, null);
        j.act = act;
        j.flag = accumulate;
        run(j);
    }

    /** out = act'(a) from the pre-activation. */
    public void activationDerivative(Activation act, Tensor preActivation, Tensor out) {
        Job j = elementwise(Op.ACTIVATION_DERIVATIVE, "activationDerivative", "preActivation", preActivation,
                "out", out, null, null, null, null);
        j.act = act;
        run(j);
    }

    // ---- elementwise -------------------------------------------------------------------------------------

    /** out = a + b. */
    public void add(Tensor a, Tensor b, Tensor out) {
        run(elementwise(Op.ADD, "add", "a", a, "b", b, "out", out, null, null));
    }

    /** out = a - b. */
    public void sub(Tensor a, Tensor b, Tensor out) {
        run(elementwise(Op.SUB, "sub", "a", a, "b", b, "out", out, null, null));
    }

    /** out = a * b, elementwise. */
    public void mul(Tensor a, Tensor b, Tensor out) {
        run(elementwise(Op.MUL, "mul", "a", a, "b", b, "out", out, null, null));
    }

    /** y += alpha * x. */
    public void axpy(double alpha, Tensor x, Tensor y) {
        Job j = elementwise(Op.AXPY, "axpy", "x", x, "y", y, null, null, null, null);
        j.s0 = alpha;
        run(j);
    }

    /** y = alpha * x + beta * y. */
    public void axpby(double alpha, Tensor x, double beta, Tensor y) {
        Job j = elementwise(Op.AXPBY, "axpby", "x", x, "y", y, null, null, null, null);
        j.s0 = alpha;
        j.s1 = beta;
        run(j);
    }

    /** y += alpha * a * b, elementwise. */
    public void addProduct(double alpha, Tensor a, Tensor b, Tensor y) {
        Job j = elementwise(Op.ADD_PRODUCT, "addProduct", "a", a, "b", b, "y", y, null, null);
        j.s0 = alpha;
        run(j);
    }

    /** out = alpha * x. */
    public void scale(double alpha, Tensor x, Tensor out) {
        Job j = elementwise(Op.SCALE, "scale", "x", x, "out", out, null, null, null, null);
        j.s0 = alpha;
        run(j);
    }

    /** out = min(max(x, lo), hi). */
    public void clamp(double lo, double hi, Tensor x, Tensor out) {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clamp needs lo <= hi, got [" + lo + ", " + hi + "]");
        }
        Job j = elementwise(Op.CLAMP, "clamp", "x", x, "out", out, null, null, null, null);
        j.s0 = lo;
        j.s1 = hi;
        run(j);
    }

    /** out = exp(x). */
    public void exp(Tensor x, Tensor out) {
        run(elementwise(Op.EXP, "exp", "x", x, "out", out, null, null, null, null));
    }

    /** dst = src (same shape and element type). */
    public void copy(Tensor src, Tensor dst) {
        run(elementwise(Op.COPY, "copy", "src", src, "dst", dst, null, null, null, null));
    }

    /** Every element of {@code t} = value. */
    public void fill(Tensor t, double value) {
        Job j = elementwise(Op.FILL, "fill", "t", t, null, null, null, null, null, null);
        j.s0 = value;
        run(j);
    }

    // ---- reductions --------------------------------------------------------------------------------------

    /** Sum of all elements. */
    public double sum(Tensor x) {
        return reduce(elementwise(Op.SUM, "sum", "x", x, null, null, null, null, null, null), x);
    }

    /** Sum of squares of all elements. */
    public double sumOfSquares(Tensor x) {
        return reduce(elementwise(Op.SUM_OF_SQUARES, "sumOfSquares", "x", x, null, null, null, null, null, null), x);
    }

    /** Sum of a * b over all elements. */
    public double dot(Tensor a, Tensor b) {
        return reduce(elementwise(Op.DOT, "dot", "a", a, "b", b, null, null, null, null), a);
    }

    /** Largest element (NaN if any is NaN; negative infinity for an empty tensor). */
    public double max(Tensor x) {
        return reduce(elementwise(Op.MAX, "max", "x", x, null, null, null, null, null, null), x);
    }

    /** out(i) = sum_j x(i, j) (or += when {@code accumulate}); x [rows, cols], out [rows]. */
    public void rowSums(Tensor x, Tensor out, boolean accumulate) {
        Job j = matrixToVector(Op.ROW_SUMS, "rowSums", x, out, true);
        j.flag = accumulate;
        j.split = Split.ROWS;
        run(j);
    }

    /** out(j) = sum_i x(i, j) (or += when {@code accumulate}); x [rows, cols], out [cols]: bias gradients. */
    public void columnSums(Tensor x, Tensor out, boolean accumulate) {
        Job j = matrixToVector(Op.COLUMN_SUMS, "columnSums", x, out, false);
        j.flag = accumulate;
        j.split = Split.COLUMNS;
        run(j);
    }

    /** out(i) = log sum_j exp(x(i, j)), stable for any magnitude; x [rows, cols], out [rows]. */
    public void rowLogSumExp(Tensor x, Tensor out) {
        Job j = matrixToVector(Op.ROW_LOG_SUM_EXP, "rowLogSumExp", x, out, true);
        j.split = Split.ROWS;
        run(j);
    }

    // ---- losses ------------------------------------------------------------------------------------------

    /**
     * Binary cross-entropy from logits, fused with its gradient: rowLoss(i) = sum_j max(z,0) - z*x + log1p(exp(-|z|)),
     * grad = gradScale * (sigmoid(z) - x) unless {@code grad} is null. Returns the sum of the row losses.
     */
    public double bceWithLogits(Tensor logits, Tensor targets, double gradScale, Tensor grad, Tensor rowLoss) {
        return loss(Op.BCE_WITH_LOGITS, "bceWithLogits", "logits", logits, targets, gradScale, grad, rowLoss);
    }

    /**
     * Squared error fused with its gradient: rowLoss(i) = sum_j (p - t)^2, grad = gradScale * 2 * (p - t) unless
     * {@code grad} is null. Returns the sum of the row losses.
     */
    public double squaredError(Tensor predictions, Tensor targets, double gradScale, Tensor grad, Tensor rowLoss) {
        return loss(Op.SQUARED_ERROR, "squaredError", "predictions", predictions, targets, gradScale, grad, rowLoss);
    }

    private double loss(Op op, String name, String inputName, Tensor input, Tensor targets, double gradScale,
                        Tensor grad, Tensor rowLoss) {
        requireMatrix(name, inputName, input);
        sameShape(name, inputName, input, "targets", targets);
        sameDType(name, inputName, input, "targets", targets);
        requireMatrix(name, "targets", targets);
        requireVector(name, "rowLoss", rowLoss, input.dim(0));
        sameDType(name, inputName, input, "rowLoss", rowLoss);
        Job j = job(op, input.dtype());
        j.matrix(input.dim(0), input.dim(1));
        j.operand(0, input);
        j.operand(1, targets);
        j.operand(3, rowLoss);
        if (grad != null) {
            sameShape(name, inputName, input, "grad", grad);
            sameDType(name, inputName, input, "grad", grad);
            requireMatrix(name, "grad", grad);
            j.operand(2, grad);
        } else {
            j.seg[2] = null;
        }
        j.s0 = gradScale;
        j.split = Split.ROWS;
        run(j);
        int rows = input.dim(0);
        return input.dtype() == DType.F32
                ? kernels.sumF32(rows, rowLoss.segment(), rowLoss.offset())
                : kernels.sumF64(rows, rowLoss.segment(), rowLoss.offset());
    }

    // ---- optimizers --------------------------------------------------------------------------------------

    /** One SGD step (PyTorch's formula, see {@link OptimizerKernels}); {@code momentumBuffer} may be null if momentum is 0. */
    public void sgd(Tensor param, Tensor grad, Tensor momentumBuffer, double lr, double momentum, double dampening,
                    double weightDecay, boolean nesterov, boolean firstStep) {
        if (momentum != 0 && momentumBuffer == null) {
            throw new IllegalArgumentException("sgd with momentum " + momentum + " needs a momentum buffer");
        }
        requireF32("sgd", "param", param);
        Job j = elementwise(Op.SGD, "sgd", "param", param, "grad", grad,
                momentum != 0 ? "momentumBuffer" : null, momentum != 0 ? momentumBuffer : null, null, null);
        j.s0 = lr;
        j.s1 = momentum;
        j.s2 = dampening;
        j.s3 = weightDecay;
        j.flag = nesterov;
        j.flag2 = firstStep;
        run(j);
    }

    /** One Adam step number {@code step} (1, 2, ...): PyTorch's {@code Adam}, L2 weight decay. */
    public void adam(Tensor param, Tensor grad, Tensor firstMoment, Tensor secondMoment, double lr, double beta1,
                     double beta2, double eps, double weightDecay, long step) {
        adamStep(Op.ADAM, "adam", param, grad, firstMoment, secondMoment, lr, beta1, beta2, eps, weightDecay, step);
    }

    /** One AdamW step number {@code step} (1, 2, ...): PyTorch's {@code AdamW}, decoupled weight decay. */
    public void adamW(Tensor param, Tensor grad, Tensor firstMoment, Tensor secondMoment, double lr, double beta1,
                      double beta2, double eps, double weightDecay, long step) {
        adamStep(Op.ADAM_W, "adamW", param, grad, firstMoment, secondMoment, lr, beta1, beta2, eps, weightDecay, step);
    }

    private void adamStep(Op op, String name, Tensor param, Tensor grad, Tensor firstMoment, Tensor secondMoment,
                          double lr, double beta1, double beta2, double eps, double weightDecay, long step) {
        if (step < 1) {
            throw new IllegalArgumentException(name + " steps count from 1, got " + step);
        }
        requireF32(name, "param", param);
        Job j = elementwise(op, name, "param", param, "grad", grad, "firstMoment", firstMoment,
                "secondMoment", secondMoment);
        j.s0 = lr;
        j.s1 = beta1;
        j.s2 = beta2;
        j.s3 = eps;
        j.s4 = weightDecay;
        j.s5 = 1.0 - Math.pow(beta1, step);
        j.s6 = 1.0 - Math.pow(beta2, step);
        run(j);
    }

    // ---- checks ------------------------------------------------------------------------------------------

    private static boolean shapesEqual(Tensor a, Tensor b) {
        if (a.rank() != b.rank()) {
            return false;
        }
        for (int i = 0; i < a.rank(); i++) {
            if (a.dim(i) != b.dim(i)) {
                return false;
            }
        }
        return true;
    }

    private static void sameShape(String op, String nameA, Tensor a, String nameB, Tensor b) {
        if (b == null) {
            throw new IllegalArgumentException(op + ": " + nameB + " is required");
        }
        if (!shapesEqual(a, b)) {
            throw new IllegalArgumentException(op + ": " + nameA + " " + Shapes.format(a.shape()) + " and " + nameB
                    + " " + Shapes.format(b.shape()) + " must have the same shape");
        }
    }

    private static void sameDType(String op, String nameA, Tensor a, String nameB, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": " + nameA + " is " + a.dtype() + " but " + nameB + " is "
                    + b.dtype());
        }
    }

    private static void requireF32(String op, String name, Tensor t) {
        if (t.dtype() != DType.F32) {
            throw new IllegalArgumentException(op + ": " + name + " must be float32, got " + t.dtype());
        }
    }

    private static void requireMatrix(String op, String name, Tensor t) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + name + " is required");
        }
        if (t.rank() != 2 || (t.stride(1) != 1 && t.dim(1) > 1) || t.stride(0) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": " + name + " must be a 2-D matrix with unit column stride, got "
                    + describe(t));
        }
    }

    private static void requireVector(String op, String name, Tensor t, int length) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + name + " is required");
        }
        if (t.rank() != 1 || t.dim(0) != length) {
            throw new IllegalArgumentException(op + ": " + name + " has shape " + Shapes.format(t.shape()) + " but "
                    + Shapes.format(length) + " is required");
        }
        if (!t.isContiguous()) {
            throw new IllegalArgumentException(op + ": " + name + " must be contiguous, got " + describe(t));
        }
    }

    private static String describe(Tensor t) {
        long[] strides = new long[t.rank()];
        for (int i = 0; i < strides.length; i++) {
            strides[i] = t.stride(i);
        }
        return "shape " + Shapes.format(t.shape()) + " with strides " + Arrays.toString(strides);
    }

    private static int checkedCount(String op, Tensor t) {
        long n = t.size();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": " + Shapes.format(t.shape()) + " has more than 2^31-1 elements");
        }
        return (int) n;
    }

    private Job job(Op op, DType dtype) {
        Job j = jobs.get();
        j.op = op;
        j.dtype = dtype;
        j.operands = 0;
        return j;
    }

    /**
     * Prepares an elementwise job over up to four tensors of one shape and element type: one flat run if all are
     * contiguous, otherwise rows of 2-D tensors with unit column stride.
     */
    private Job elementwise(Op op, String name, String n0, Tensor t0, String n1, Tensor t1, String n2, Tensor t2,
                            String n3, Tensor t3) {
        if (t0 == null) {
            throw new IllegalArgumentException(name + ": " + n0 + " is required");
        }
        boolean contiguous = t0.isContiguous();
        if (n1 != null) {
            sameShape(name, n0, t0, n1, t1);
            sameDType(name, n0, t0, n1, t1);
            contiguous &= t1.isContiguous();
        }
        if (n2 != null) {
            sameShape(name, n0, t0, n2, t2);
            sameDType(name, n0, t0, n2, t2);
            contiguous &= t2.isContiguous();
        }
        if (n3 != null) {
            sameShape(name, n0, t0, n3, t3);
            sameDType(name, n0, t0, n3, t3);
            contiguous &= t3.isContiguous();
        }
        Job j = job(op, t0.dtype());
        if (contiguous) {
            j.matrix(1, checkedCount(name, t0));
            j.flat = true;
        } else {
            requireMatrix(name, n0, t0);
            if (n1 != null) {
                requireMatrix(name, n1, t1);
            }
            if (n2 != null) {
                requireMatrix(name, n2, t2);
            }
            if (n3 != null) {
                requireMatrix(name, n3, t3);
            }
            j.matrix(t0.dim(0), t0.dim(1));
        }
        j.operand(0, t0);
        j.seg[1] = null;
        j.seg[2] = null;
        j.seg[3] = null;
        if (n1 != null) {
            j.operand(1, t1);
        }
        if (n2 != null) {
            j.operand(2, t2);
        }
        if (n3 != null) {
            j.operand(3, t3);
        }
        j.split = Split.ELEMENTS;
        return j;
    }

    private Job matrixToVector(Op op, String name, Tensor x, Tensor out, boolean perRow) {
        requireMatrix(name, "x", x);
        requireVector(name, "out", out, perRow ? x.dim(0) : x.dim(1));
        sameDType(name, "x", x, "out", out);
        Job j = job(op, x.dtype());
        j.matrix(x.dim(0), x.dim(1));
        j.operand(0, x);
        j.operand(1, out);
        return j;
    }

    // ---- execution ---------------------------------------------------------------------------------------

    private void run(Job j) {
        j.kernels = kernels;
        j.optimizer = optimizer;
        long elements = (long) j.rows * j.cols;
        int units = switch (j.split) {
            case ELEMENTS -> j.flat ? (j.cols + COLUMN_GRANULE - 1) / COLUMN_GRANULE : j.rows;
            case ROWS -> j.rows;
            case COLUMNS -> (j.cols + COLUMN_GRANULE - 1) / COLUMN_GRANULE;
            case BLOCKS -> j.blocks;
        };
        int chunks = 1;
        if (elements >= PARALLEL_THRESHOLD && pool.threads() > 1) {
            chunks = (int) Math.min(Math.min(pool.threads(), units), Math.max(1, elements / MIN_CHUNK_ELEMENTS));
        }
        j.chunks = chunks;
        try {
            pool.run(chunks, j);
        } finally {
            j.release();
        }
    }

    private double reduce(Job j, Tensor x) {
        if (x.rank() == 2) {
            // Blocks within rows whatever the layout, so that a padded view sums to the bits of a dense copy.
            j.flat = false;
            j.rows = x.dim(0);
            j.cols = x.dim(1);
        }
        j.split = Split.BLOCKS;
        j.blocksPerRow = (j.cols + REDUCTION_BLOCK - 1) / REDUCTION_BLOCK;
        j.blocks = j.rows * j.blocksPerRow;
        if (j.partials.length < j.blocks) {
            j.partials = new double[Math.max(j.blocks, 2 * j.partials.length)];
        }
        Op op = j.op;
        int blocks = j.blocks;
        double[] partials = j.partials;
        run(j);
        double total = op == Op.MAX ? Double.NEGATIVE_INFINITY : 0.0;
        for (int b = 0; b < blocks; b++) {
            total = op == Op.MAX ? Math.max(total, partials[b]) : total + partials[b];
        }
        return total;
    }

    private enum Op {
        ACTIVATION, BIAS_ACTIVATION, ACTIVATION_BACKWARD, ACTIVATION_DERIVATIVE,
        ADD, SUB, MUL, AXPY, AXPBY, ADD_PRODUCT, SCALE, CLAMP, EXP, COPY, FILL,
        SUM, SUM_OF_SQUARES, DOT, MAX, ROW_SUMS, COLUMN_SUMS, ROW_LOG_SUM_EXP,
        BCE_WITH_LOGITS, SQUARED_ERROR, SGD, ADAM, ADAM_W
    }

    /** How a job's work is cut into chunks. */
    private enum Split { ELEMENTS, ROWS, COLUMNS, BLOCKS }

    /**
     * One call's operands and scalars, reused by its thread for every call so that nothing is allocated: the
     * operands of a matrix are (segment, element offset, leading dimension), the scalars s0..s6 are per op.
     */
    private static final class Job implements ComputePool.Task {
        Op op;
        DType dtype;
        Split split;
        VectorKernels kernels;
        OptimizerKernels optimizer;
        Activation act;
        int rows;
        int cols;
        boolean flat;
        int operands;
        final MemorySegment[] seg = new MemorySegment[4];
        final long[] off = new long[4];
        final int[] ld = new int[4];
        double s0;
        double s1;
        double s2;
        double s3;
        double s4;
        double s5;
        double s6;
        boolean flag;
        boolean flag2;
        int chunks;
        int blocks;
        int blocksPerRow;
        double[] partials = new double[16];

        void matrix(int rows, int cols) {
            this.rows = rows;
            this.cols = cols;
            this.flat = false;
        }

        void operand(int index, Tensor t) {
            seg[index] = t.segment();
            off[index] = t.offset();
            ld[index] = t.rank() == 2 ? (int) t.stride(0) : cols;
        }

        /** Drops references to caller memory so a finished job does not keep segments reachable. */
        void release() {
            Arrays.fill(seg, null);
            kernels = null;
            optimizer = null;
        }

        @Override
        public void run(int chunk) {
            switch (split) {
                case ELEMENTS -> {
                    if (flat) {
                        int from = ComputePool.chunkStart(cols, chunks, chunk, COLUMN_GRANULE);
                        int to = ComputePool.chunkStart(cols, chunks, chunk + 1, COLUMN_GRANULE);
                        if (to > from) {
                            elementwise(to - from, off[0] + from, off[1] + from, off[2] + from, off[3] + from);
                        }
                    } else {
                        int from = ComputePool.chunkStart(rows, chunks, chunk, 1);
                        int to = ComputePool.chunkStart(rows, chunks, chunk + 1, 1);
                        for (int r = from; r < to; r++) {
                            elementwise(cols, off[0] + (long) r * ld[0], off[1] + (long) r * ld[1],
                                    off[2] + (long) r * ld[2], off[3] + (long) r * ld[3]);
                        }
                    }
                }
                case ROWS -> {
                    int from = ComputePool.chunkStart(rows, chunks, chunk, 1);
                    int to = ComputePool.chunkStart(rows, chunks, chunk + 1, 1);
                    if (to > from) {
                        rowRange(from, to);
                    }
                }
                case COLUMNS -> {
                    int from = ComputePool.chunkStart(cols, chunks, chunk, COLUMN_GRANULE);
                    int to = ComputePool.chunkStart(cols, chunks, chunk + 1, COLUMN_GRANULE);
                    if (to > from) {
                        columnRange(from, to);
                    }
                }
                case BLOCKS -> {
                    int from = ComputePool.chunkStart(blocks, chunks, chunk, 1);
                    int to = ComputePool.chunkStart(blocks, chunks, chunk + 1, 1);
                    for (int b = from; b < to; b++) {
                        block(b);
                    }
                }
            }
        }

        /** Applies the elementwise op to {@code count} elements of each operand, starting at offsets o0..o3. */
        private void elementwise(int count, long o0, long o1, long o2, long o3) {
            boolean f32 = dtype == DType.F32;
            VectorKernels k = kernels;
            switch (op) {
                case ACTIVATION -> {
                    if (f32) {
                        k.activationF32(act, count, seg[0], o0, seg[1], o1);
                    } else {
                        k.activationF64(act, count, seg[0], o0, seg[1], o1);
                    }
                }
                case ACTIVATION_BACKWARD -> {
                    // Operand 0 is the output or the pre-activation, whichever the activation's backward reads.
                    boolean pre = act.backwardReadsPreActivation();
                    if (f32) {
                        k.activationBackwardF32(act, count, pre ? null : seg[0], o0, pre ? seg[0] : null, o0,
                                seg[1], o1, seg[2], o2, flag);
                    } else {
                        k.activationBackwardF64(act, count, pre ? null : seg[0], o0, pre ? seg[0] : null, o0,
                                seg[1], o1, seg[2], o2, flag);
                    }
                }
                case ACTIVATION_DERIVATIVE -> {
                    if (f32) {
                        k.activationDerivativeF32(act, count, seg[0], o0, seg[1], o1);
                    } else {
                        k.activationDerivativeF64(act, count, seg[0], o0, seg[1], o1);
                    }
                }
                case ADD -> {
                    if (f32) {
                        k.addF32(count, seg[0], o0, seg[1], o1, seg[2], o2);
                    } else {
                        k.addF64(count, seg[0], o0, seg[1], o1, seg[2], o2);
                    }
                }
                case SUB -> {
                    if (f32) {
                        k.subF32(count, seg[0], o0, seg[1], o1, seg[2], o2);
                    } else {
                        k.subF64(count, seg[0], o0, seg[1], o1, seg[2], o2);
                    }
                }
                case MUL -> {
                    if (f32) {
                        k.mulF32(count, seg[0], o0, seg[1], o1, seg[2], o2);
                    } else {
                        k.mulF64(count, seg[0], o0, seg[1], o1, seg[2], o2);
                    }
                }
                case AXPY -> {
                    if (f32) {
                        k.axpyF32(count, (float) s0, seg[0], o0, seg[1], o1);
                    } else {
                        k.axpyF64(count, s0, seg[0], o0, seg[1], o1);
                    }
                }
                case AXPBY -> {
                    if (f32) {
                        k.axpbyF32(count, (float) s0, seg[0], o0, (float) s1, seg[1], o1);
                    } else {
                        k.axpbyF64(count, s0, seg[0], o0, s1, seg[1], o1);
                    }
                }
                case ADD_PRODUCT -> {
                    if (f32) {
                        k.addProductF32(count, (float) s0, seg[0], o0, seg[1], o1, seg[2], o2);
                    } else {
                        k.addProductF64(count, s0, seg[0], o0, seg[1], o1, seg[2], o2);
                    }
                }
                case SCALE -> {
                    if (f32) {
                        k.scaleF32(count, (float) s0, seg[0], o0, seg[1], o1);
                    } else {
                        k.scaleF64(count, s0, seg[0], o0, seg[1], o1);
                    }
                }
                case CLAMP -> {
                    if (f32) {
                        k.clampF32(count, (float) s0, (float) s1, seg[0], o0, seg[1], o1);
                    } else {
                        k.clampF64(count, s0, s1, seg[0], o0, seg[1], o1);
                    }
                }
                case EXP -> {
                    if (f32) {
                        k.expF32(count, seg[0], o0, seg[1], o1);
                    } else {
                        k.expF64(count, seg[0], o0, seg[1], o1);
                    }
                }
                case COPY -> {
                    if (f32) {
                        k.copyF32(count, seg[0], o0, seg[1], o1);
                    } else {
                        k.copyF64(count, seg[0], o0, seg[1], o1);
                    }
                }
                case FILL -> {
                    if (f32) {
                        k.fillF32(count, (float) s0, seg[0], o0);
                    } else {
                        k.fillF64(count, s0, seg[0], o0);
                    }
                }
                case SGD -> optimizer.sgdF32(count, seg[0], o0, seg[1], o1, seg[2], o2, (float) s0, (float) s1,
                        (float) s2, (float) s3, flag, flag2);
                case ADAM -> optimizer.adamF32(count, seg[0], o0, seg[1], o1, seg[2], o2, seg[3], o3, (float) s0,
                        (float) s1, (float) s2, (float) s3, (float) s4, s5, s6);
                case ADAM_W -> optimizer.adamWF32(count, seg[0], o0, seg[1], o1, seg[2], o2, seg[3], o3, (float) s0,
                        (float) s1, (float) s2, (float) s3, (float) s4, s5, s6);
                default -> throw new IllegalStateException(op + " is not elementwise");
            }
        }

        private void rowRange(int from, int to) {
            int n = to - from;
            long o0 = off[0] + (long) from * ld[0];
            boolean f32 = dtype == DType.F32;
            VectorKernels k = kernels;
            switch (op) {
                case BIAS_ACTIVATION -> {
                    long o1 = off[1] + (long) from * ld[1];
                    if (f32) {
                        k.biasActivationF32(act, n, cols, seg[0], o0, ld[0], seg[2], off[2], seg[1], o1, ld[1]);
                    } else {
                        k.biasActivationF64(act, n, cols, seg[0], o0, ld[0], seg[2], off[2], seg[1], o1, ld[1]);
                    }
                }
                case ROW_SUMS -> {
                    if (f32) {
                        k.rowSumsF32(n, cols, seg[0], o0, ld[0], seg[1], off[1] + from, flag);
                    } else {
                        k.rowSumsF64(n, cols, seg[0], o0, ld[0], seg[1], off[1] + from, flag);
                    }
                }
                case ROW_LOG_SUM_EXP -> {
                    if (f32) {
                        k.rowLogSumExpF32(n, cols, seg[0], o0, ld[0], seg[1], off[1] + from);
                    } else {
                        k.rowLogSumExpF64(n, cols, seg[0], o0, ld[0], seg[1], off[1] + from);
                    }
                }
                case BCE_WITH_LOGITS, SQUARED_ERROR -> {
                    long o1 = off[1] + (long) from * ld[1];
                    long o2 = off[2] + (long) from * ld[2];
                    long o3 = off[3] + from;
                    boolean bce = op == Op.BCE_WITH_LOGITS;
                    if (f32 && bce) {
                        k.bceWithLogitsF32(n, cols, seg[0], o0, ld[0], seg[1], o1, ld[1], (float) s0, seg[2], o2,
                                ld[2], seg[3], o3);
                    } else if (bce) {
                        k.bceWithLogitsF64(n, cols, seg[0], o0, ld[0], seg[1], o1, ld[1], s0, seg[2], o2, ld[2],
                                seg[3], o3);
                    } else if (f32) {
                        k.squaredErrorF32(n, cols, seg[0], o0, ld[0], seg[1], o1, ld[1], (float) s0, seg[2], o2,
                                ld[2], seg[3], o3);
                    } else {
                        k.squaredErrorF64(n, cols, seg[0], o0, ld[0], seg[1], o1, ld[1], s0, seg[2], o2, ld[2],
                                seg[3], o3);
                    }
                }
                default -> throw new IllegalStateException(op + " is not a row operation");
            }
        }

        private void columnRange(int from, int to) {
            if (dtype == DType.F32) {
                kernels.columnSumsF32(rows, to - from, seg[0], off[0] + from, ld[0], seg[1], off[1] + from, flag);
            } else {
                kernels.columnSumsF64(rows, to - from, seg[0], off[0] + from, ld[0], seg[1], off[1] + from, flag);
            }
        }

        /** Reduces block b: up to REDUCTION_BLOCK elements of one row (a flat job is one long row). */
        private void block(int b) {
            int row = b / blocksPerRow;
            int from = (b % blocksPerRow) * REDUCTION_BLOCK;
            int count = Math.min(REDUCTION_BLOCK, cols - from);
            long o0 = off[0] + (long) row * ld[0] + from;
            long o1 = off[1] + (long) row * ld[1] + from;
            boolean f32 = dtype == DType.F32;
            VectorKernels k = kernels;
            partials[b] = switch (op) {
                case SUM -> f32 ? k.sumF32(count, seg[0], o0) : k.sumF64(count, seg[0], o0);
                case SUM_OF_SQUARES -> f32 ? k.sumOfSquaresF32(count, seg[0], o0) : k.sumOfSquaresF64(count, seg[0], o0);
                case DOT -> f32 ? k.dotF32(count, seg[0], o0, seg[1], o1) : k.dotF64(count, seg[0], o0, seg[1], o1);
                case MAX -> f32 ? k.maxF32(count, seg[0], o0) : k.maxF64(count, seg[0], o0);
                default -> throw new IllegalStateException(op + " is not a reduction");
            };
        }
    }
}
