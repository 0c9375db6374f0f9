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
 * <p>No heap allocation per call in steady state: each family of operations (elementwise maps, optimizer updates,
 * row operations, fused losses, column sums, reductions) has its own task class whose fields are that family's
 * operands and settings, and each calling thread reuses one task of each family. Safe to use from several threads
 * at once (the pool runs one task at a time). A new kernel is a case in its family's enum and task, and a method
 * here.
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
    private final ThreadLocal<Tasks> tasks;

    private TensorOps(ComputePool pool, VectorKernels kernels, OptimizerKernels optimizer) {
        this.pool = pool;
        this.kernels = kernels;
        this.optimizer = optimizer;
        this.tasks = ThreadLocal.withInitial(() -> new Tasks(kernels, optimizer));
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

    /** The pool the ops split their work over. */
    public ComputePool pool() {
        return pool;
    }

    /** The elementwise and reduction kernels the ops run (SIMD or scalar). */
    public VectorKernels kernels() {
        return kernels;
    }

    /** The optimizer kernels the update steps run (SIMD or scalar). */
    public OptimizerKernels optimizerKernels() {
        return optimizer;
    }

    // ---- activations -------------------------------------------------------------------------------------

    /** out = act(in). */
    public void activation(Activation act, Tensor in, Tensor out) {
        MapTask t = map(MapKind.ACTIVATION, "activation", "in", in, "out", out, null, null);
        t.activation = act;
        execute(t);
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
        RowTask t = rows(RowKind.BIAS_ACTIVATION, in, out);
        t.activation = act;
        t.bias.set(bias, t.cols);
        execute(t);
    }

    /**
     * out = act(op(a) op(b) + bias), {@code bias} of shape [out's columns] or null for none: the product by {@code gemm}
     * on this pool, and bias + activation applied by each of the pool's threads to the part of the product it
     * computed, as soon as it is done (a {@link GemmKernels.Epilogue}): one fork and join instead of two, and the
     * values still in that thread's cache. The same bits as {@link Gemm#multiply} then {@link #biasActivation}.
     */
    public void multiplyBiasActivation(GemmKernels gemm, Tensor a, boolean transA, Tensor b, boolean transB,
                                       Tensor bias, Activation act, Tensor out) {
        requireMatrix("multiplyBiasActivation", "out", out);
        if (bias != null) {
            requireVector("multiplyBiasActivation", "bias", bias, out.dim(1));
            sameDType("multiplyBiasActivation", "out", out, "bias", bias);
        }
        BiasActivationEpilogue epilogue = tasks.get().epilogue;
        epilogue.dtype = out.dtype();
        epilogue.activation = act;
        epilogue.out.set(out, out.dim(1));
        epilogue.bias.set(bias, out.dim(1));
        try {
            Gemm.multiply(gemm, pool, 1, a, transA, b, transB, 0, out, epilogue);
        } finally {
            epilogue.out.set(null, 0);
            epilogue.bias.set(null, 0);
        }
    }

    /**
     * {@code c = alpha op(a) op(b) + beta c} by {@code gemm} on this pool, and {@code sums(j) = sum_i x(i, j)} (or +=
     * when {@code accumulate}) within the same fork and join: each of the pool's threads, once its part of the product
     * is done, sums a share of x's columns proportional to that part. A layer's weight gradient and its bias gradient
     * (the column sums of the same upstream gradient) this way cost one fork and join instead of two. The same bits
     * as {@link Gemm#multiply} then {@link #columnSums}.
     */
    public void multiplyAndColumnSums(GemmKernels gemm, double alpha, Tensor a, boolean transA, Tensor b,
                                      boolean transB, double beta, Tensor c, Tensor x, Tensor sums,
                                      boolean accumulate) {
        requireMatrixToVector("multiplyAndColumnSums", x, sums, x.dim(1));
        ColumnSumsEpilogue epilogue = tasks.get().columnSumsEpilogue;
        epilogue.dtype = x.dtype();
        epilogue.rows = x.dim(0);
        epilogue.cols = x.dim(1);
        epilogue.productRows = c.dim(0);
        epilogue.productCols = c.dim(1);
        epilogue.x.set(x, epilogue.cols);
        epilogue.sums.set(sums, epilogue.cols);
        epilogue.accumulate = accumulate;
        try {
            Gemm.multiply(gemm, pool, alpha, a, transA, b, transB, beta, c, epilogue);
        } finally {
            epilogue.x.set(null, 0);
            epilogue.sums.set(null, 0);
        }
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
        MapTask t = map(MapKind.ACTIVATION_BACKWARD, "activationBackward", readName, read, "gradOut", gradOut,
                "gradIn", gradIn);
        t.activation = act;
        t.accumulate = accumulate;
        execute(t);
    }

    /** out = act'(a) from the pre-activation. */
    public void activationDerivative(Activation act, Tensor preActivation, Tensor out) {
        MapTask t = map(MapKind.ACTIVATION_DERIVATIVE, "activationDerivative", "preActivation", preActivation,
                "out", out, null, null);
        t.activation = act;
        execute(t);
    }

    // ---- elementwise -------------------------------------------------------------------------------------

    /** out = a + b. */
    public void add(Tensor a, Tensor b, Tensor out) {
        execute(map(MapKind.ADD, "add", "a", a, "b", b, "out", out));
    }

    /** out = a - b. */
    public void sub(Tensor a, Tensor b, Tensor out) {
        execute(map(MapKind.SUB, "sub", "a", a, "b", b, "out", out));
    }

    /** out = a * b, elementwise. */
    public void mul(Tensor a, Tensor b, Tensor out) {
        execute(map(MapKind.MUL, "mul", "a", a, "b", b, "out", out));
    }

    /** y += alpha * x. */
    public void axpy(double alpha, Tensor x, Tensor y) {
        MapTask t = map(MapKind.AXPY, "axpy", "x", x, "y", y, null, null);
        t.alpha = alpha;
        execute(t);
    }

    /** y = alpha * x + beta * y. */
    public void axpby(double alpha, Tensor x, double beta, Tensor y) {
        MapTask t = map(MapKind.AXPBY, "axpby", "x", x, "y", y, null, null);
        t.alpha = alpha;
        t.beta = beta;
        execute(t);
    }

    /** y += alpha * a * b, elementwise. */
    public void addProduct(double alpha, Tensor a, Tensor b, Tensor y) {
        MapTask t = map(MapKind.ADD_PRODUCT, "addProduct", "a", a, "b", b, "y", y);
        t.alpha = alpha;
        execute(t);
    }

    /** out = alpha * x. */
    public void scale(double alpha, Tensor x, Tensor out) {
        MapTask t = map(MapKind.SCALE, "scale", "x", x, "out", out, null, null);
        t.alpha = alpha;
        execute(t);
    }

    /** out = min(max(x, lo), hi). */
    public void clamp(double lo, double hi, Tensor x, Tensor out) {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clamp needs lo <= hi, got [" + lo + ", " + hi + "]");
        }
        MapTask t = map(MapKind.CLAMP, "clamp", "x", x, "out", out, null, null);
        t.lo = lo;
        t.hi = hi;
        execute(t);
    }

    /** out = exp(x). */
    public void exp(Tensor x, Tensor out) {
        execute(map(MapKind.EXP, "exp", "x", x, "out", out, null, null));
    }

    /** dst = src (same shape and element type). */
    public void copy(Tensor src, Tensor dst) {
        execute(map(MapKind.COPY, "copy", "src", src, "dst", dst, null, null));
    }

    /** Every element of {@code t} = value. */
    public void fill(Tensor t, double value) {
        MapTask task = map(MapKind.FILL, "fill", "t", t, null, null, null, null);
        task.value = value;
        execute(task);
    }

    // ---- reductions --------------------------------------------------------------------------------------

    /** Sum of all elements. */
    public double sum(Tensor x) {
        return reduce(ReductionKind.SUM, "sum", x, null);
    }

    /** Sum of squares of all elements. */
    public double sumOfSquares(Tensor x) {
        return reduce(ReductionKind.SUM_OF_SQUARES, "sumOfSquares", x, null);
    }

    /** Sum of a * b over all elements. */
    public double dot(Tensor a, Tensor b) {
        return reduce(ReductionKind.DOT, "dot", a, b);
    }

    /** Largest element (NaN if any is NaN; negative infinity for an empty tensor). */
    public double max(Tensor x) {
        return reduce(ReductionKind.MAX, "max", x, null);
    }

    /** out(i) = sum_j x(i, j) (or += when {@code accumulate}); x [rows, cols], out [rows]. */
    public void rowSums(Tensor x, Tensor out, boolean accumulate) {
        requireMatrixToVector("rowSums", x, out, x.dim(0));
        RowTask t = rows(RowKind.ROW_SUMS, x, out);
        t.accumulate = accumulate;
        execute(t);
    }

    /** out(j) = sum_i x(i, j) (or += when {@code accumulate}); x [rows, cols], out [cols]: bias gradients. */
    public void columnSums(Tensor x, Tensor out, boolean accumulate) {
        requireMatrixToVector("columnSums", x, out, x.dim(1));
        ColumnSumsTask t = tasks.get().columnSums;
        t.dtype = x.dtype();
        t.rows = x.dim(0);
        t.cols = x.dim(1);
        t.x.set(x, t.cols);
        t.out.set(out, t.cols);
        t.accumulate = accumulate;
        execute(t);
    }

    /** out(i) = log sum_j exp(x(i, j)), stable for any magnitude; x [rows, cols], out [rows]. */
    public void rowLogSumExp(Tensor x, Tensor out) {
        requireMatrixToVector("rowLogSumExp", x, out, x.dim(0));
        execute(rows(RowKind.ROW_LOG_SUM_EXP, x, out));
    }

    // ---- losses ------------------------------------------------------------------------------------------

    /**
     * Binary cross-entropy from logits, fused with its gradient: rowLoss(i) = sum_j max(z,0) - z*x + log1p(exp(-|z|)),
     * grad = gradScale * (sigmoid(z) - x) unless {@code grad} is null. Returns the sum of the row losses.
     */
    public double bceWithLogits(Tensor logits, Tensor targets, double gradScale, Tensor grad, Tensor rowLoss) {
        return loss(LossKind.BCE_WITH_LOGITS, "bceWithLogits", "logits", logits, targets, gradScale, grad, rowLoss);
    }

    /**
     * Squared error fused with its gradient: rowLoss(i) = sum_j (p - t)^2, grad = gradScale * 2 * (p - t) unless
     * {@code grad} is null. Returns the sum of the row losses.
     */
    public double squaredError(Tensor predictions, Tensor targets, double gradScale, Tensor grad, Tensor rowLoss) {
        return loss(LossKind.SQUARED_ERROR, "squaredError", "predictions", predictions, targets, gradScale, grad,
                rowLoss);
    }

    private double loss(LossKind kind, String name, String inputName, Tensor input, Tensor targets, double gradScale,
                        Tensor grad, Tensor rowLoss) {
        requireMatrix(name, inputName, input);
        sameShape(name, inputName, input, "targets", targets);
        sameDType(name, inputName, input, "targets", targets);
        requireMatrix(name, "targets", targets);
        requireVector(name, "rowLoss", rowLoss, input.dim(0));
        sameDType(name, inputName, input, "rowLoss", rowLoss);
        if (grad != null) {
            sameShape(name, inputName, input, "grad", grad);
            sameDType(name, inputName, input, "grad", grad);
            requireMatrix(name, "grad", grad);
        }
        LossTask t = tasks.get().loss;
        t.kind = kind;
        t.dtype = input.dtype();
        t.rows = input.dim(0);
        t.cols = input.dim(1);
        t.input.set(input, t.cols);
        t.targets.set(targets, t.cols);
        t.grad.set(grad, t.cols);
        t.rowLoss.set(rowLoss, t.cols);
        t.gradScale = gradScale;
        execute(t);
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
        OptimizerTask t = tasks.get().optimizer;
        t.flat = prepareElementwise(t, "sgd", "param", param, "grad", grad,
                momentum != 0 ? "momentumBuffer" : null, momentum != 0 ? momentumBuffer : null, null, null);
        t.param.set(param, t.cols);
        t.grad.set(grad, t.cols);
        t.firstState.set(momentum != 0 ? momentumBuffer : null, t.cols);
        t.secondState.set(null, t.cols);
        t.update.sgd(lr, momentum, dampening, weightDecay, nesterov, firstStep);
        execute(t);
    }

    /** One Adam step number {@code step} (1, 2, ...): PyTorch's {@code Adam}, L2 weight decay. */
    public void adam(Tensor param, Tensor grad, Tensor firstMoment, Tensor secondMoment, double lr, double beta1,
                     double beta2, double eps, double weightDecay, long step) {
        adamStep(UpdateRule.ADAM, "adam", param, grad, firstMoment, secondMoment, lr, beta1, beta2, eps, weightDecay,
                step);
    }

    /** One AdamW step number {@code step} (1, 2, ...): PyTorch's {@code AdamW}, decoupled weight decay. */
    public void adamW(Tensor param, Tensor grad, Tensor firstMoment, Tensor secondMoment, double lr, double beta1,
                      double beta2, double eps, double weightDecay, long step) {
        adamStep(UpdateRule.ADAM_W, "adamW", param, grad, firstMoment, secondMoment, lr, beta1, beta2, eps,
                weightDecay, step);
    }

    private void adamStep(UpdateRule rule, String name, Tensor param, Tensor grad, Tensor firstMoment,
                          Tensor secondMoment, double lr, double beta1, double beta2, double eps, double weightDecay,
                          long step) {
        if (step < 1) {
            throw new IllegalArgumentException(name + " steps count from 1, got " + step);
        }
        requireF32(name, "param", param);
        OptimizerTask t = tasks.get().optimizer;
        t.flat = prepareElementwise(t, name, "param", param, "grad", grad, "firstMoment", firstMoment, "secondMoment",
                secondMoment);
        t.param.set(param, t.cols);
        t.grad.set(grad, t.cols);
        t.firstState.set(firstMoment, t.cols);
        t.secondState.set(secondMoment, t.cols);
        t.update.adam(rule, lr, beta1, beta2, eps, weightDecay, step);
        execute(t);
    }

    /**
     * One SGD step over the first {@code count} tensors of each array at once: the bits of {@link #sgd} on each in
     * turn, but split over the pool as one piece of work, so a model's update costs one fork and join instead of one
     * per parameter, and small tensors (biases) are not left to one thread. Every tensor must be contiguous;
     * {@code momentumBuffers} may be null when {@code momentum} is 0.
     */
    public void sgd(int count, Tensor[] params, Tensor[] grads, Tensor[] momentumBuffers, double lr, double momentum,
                    double dampening, double weightDecay, boolean nesterov, boolean firstStep) {
        boolean withMomentum = momentum != 0;
        if (withMomentum && momentumBuffers == null) {
            throw new IllegalArgumentException("sgd with momentum " + momentum + " needs momentum buffers");
        }
        GroupOptimizerTask t = tasks.get().groupOptimizer;
        t.update.sgd(lr, momentum, dampening, weightDecay, nesterov, firstStep);
        executeGroup(t, "sgd", count, params, grads, withMomentum ? momentumBuffers : null, null);
    }

    /**
     * One Adam step number {@code step} over the first {@code count} tensors of each array at once: the bits of
     * {@link #adam} on each in turn, split over the pool as one piece of work (see the grouped {@link #sgd}). Every
     * tensor must be contiguous.
     */
    public void adam(int count, Tensor[] params, Tensor[] grads, Tensor[] firstMoments, Tensor[] secondMoments,
                     double lr, double beta1, double beta2, double eps, double weightDecay, long step) {
        groupAdamStep(UpdateRule.ADAM, "adam", count, params, grads, firstMoments, secondMoments, lr, beta1, beta2,
                eps, weightDecay, step);
    }

    /**
     * One AdamW step number {@code step} over the first {@code count} tensors of each array at once: the bits of
     * {@link #adamW} on each in turn, split over the pool as one piece of work (see the grouped {@link #sgd}). Every
     * tensor must be contiguous.
     */
    public void adamW(int count, Tensor[] params, Tensor[] grads, Tensor[] firstMoments, Tensor[] secondMoments,
                      double lr, double beta1, double beta2, double eps, double weightDecay, long step) {
        groupAdamStep(UpdateRule.ADAM_W, "adamW", count, params, grads, firstMoments, secondMoments, lr, beta1, beta2,
                eps, weightDecay, step);
    }

    private void groupAdamStep(UpdateRule rule, String name, int count, Tensor[] params, Tensor[] grads,
                               Tensor[] firstMoments, Tensor[] secondMoments, double lr, double beta1, double beta2,
                               double eps, double weightDecay, long step) {
        if (step < 1) {
            throw new IllegalArgumentException(name + " steps count from 1, got " + step);
        }
        if (firstMoments == null || secondMoments == null) {
            throw new IllegalArgumentException(name + ": firstMoments and secondMoments are required");
        }
        GroupOptimizerTask t = tasks.get().groupOptimizer;
        t.update.adam(rule, lr, beta1, beta2, eps, weightDecay, step);
        executeGroup(t, name, count, params, grads, firstMoments, secondMoments);
    }

    /**
     * Checks and loads a group update, then runs it: the tensors' elements, each tensor rounded up to whole column
     * granules, are laid end to end and cut into nearly equal parts, so that every part starts lane-aligned within its
     * tensor and the split depends only on the sizes and the thread count.
     */
    private void executeGroup(GroupOptimizerTask t, String name, int count, Tensor[] params, Tensor[] grads,
                              Tensor[] first, Tensor[] second) {
        if (params == null || grads == null) {
            throw new IllegalArgumentException(name + ": params and grads are required");
        }
        if (count < 0 || count > params.length || count > grads.length
                || (first != null && count > first.length) || (second != null && count > second.length)) {
            throw new IllegalArgumentException(name + ": count " + count + " exceeds an array (params "
                    + params.length + ", grads " + grads.length + ")");
        }
        t.reserve(count);
        long units = 0;
        long elements = 0;
        for (int i = 0; i < count; i++) {
            Tensor p = params[i];
            try {
                requireF32(name, "param", p);
                prepareElementwise(t, name, "param", p, "grad", grads[i], first == null ? null : "first state",
                        first == null ? null : first[i], second == null ? null : "second state",
                        second == null ? null : second[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("entry " + i + " of the group: " + e.getMessage(), e);
            }
            if (!p.isContiguous() || !grads[i].isContiguous() || (first != null && !first[i].isContiguous())
                    || (second != null && !second[i].isContiguous())) {
                throw new IllegalArgumentException(name + ": the tensors of entry " + i + " of the group must be"
                        + " contiguous");
            }
            int n = t.cols;
            t.lengths[i] = n;
            t.params[i] = p.segment();
            t.paramOffsets[i] = p.offset();
            t.grads[i] = grads[i].segment();
            t.gradOffsets[i] = grads[i].offset();
            t.firstStates[i] = first == null ? null : first[i].segment();
            t.firstOffsets[i] = first == null ? 0 : first[i].offset();
            t.secondStates[i] = second == null ? null : second[i].segment();
            t.secondOffsets[i] = second == null ? 0 : second[i].offset();
            t.unitStarts[i] = (int) units;
            units += columnUnits(n);
            elements += n;
            if (units > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name + ": more than 2^31-1 granules of " + COLUMN_GRANULE
                        + " elements in one group");
            }
        }
        t.unitStarts[count] = (int) units;
        t.count = count;
        t.perTensor = pool.rowAffinity();
        int chunks = 1;
        if (elements >= PARALLEL_THRESHOLD && pool.threads() > 1) {
            chunks = (int) Math.min(Math.min(pool.threads(), units), Math.max(1, elements / MIN_CHUNK_ELEMENTS));
        }
        t.chunks = chunks;
        try {
            pool.run(chunks, t);
        } finally {
            t.release();
        }
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

    /**
     * Checks up to four tensors of one shape and element type for an elementwise task and sets its index space: one
     * flat run (1 x size) if all are contiguous, otherwise the rows of 2-D tensors with unit column stride. Returns
     * whether the run is flat. A null name means no such operand.
     */
    private static boolean prepareElementwise(SplitTask task, String name, String n0, Tensor t0, String n1,
                                           Tensor t1, String n2, Tensor t2, String n3, Tensor t3) {
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
        task.dtype = t0.dtype();
        if (contiguous) {
            task.rows = 1;
            task.cols = checkedCount(name, t0);
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
            task.rows = t0.dim(0);
            task.cols = t0.dim(1);
        }
        return contiguous;
    }

    /** This thread's map task, checked and loaded with up to three operands (the last names may be null). */
    private MapTask map(MapKind kind, String name, String n0, Tensor t0, String n1, Tensor t1, String n2, Tensor t2) {
        MapTask t = tasks.get().map;
        t.kind = kind;
        t.flat = prepareElementwise(t, name, n0, t0, n1, t1, n2, t2, null, null);
        t.first.set(t0, t.cols);
        t.second.set(n1 != null ? t1 : null, t.cols);
        t.third.set(n2 != null ? t2 : null, t.cols);
        return t;
    }

    /** This thread's row task over the rows of {@code in} (already checked), writing {@code out}. */
    private RowTask rows(RowKind kind, Tensor in, Tensor out) {
        RowTask t = tasks.get().rows;
        t.kind = kind;
        t.dtype = in.dtype();
        t.rows = in.dim(0);
        t.cols = in.dim(1);
        t.in.set(in, t.cols);
        t.out.set(out, t.cols);
        t.bias.set(null, t.cols);
        return t;
    }

    private static void requireMatrixToVector(String name, Tensor x, Tensor out, int length) {
        requireMatrix(name, "x", x);
        requireVector(name, "out", out, length);
        sameDType(name, "x", x, "out", out);
    }

    /**
     * Whole-tensor reductions add, in order, the sums of fixed blocks of at most {@value #REDUCTION_BLOCK} elements
     * within each row, so that neither the thread count nor row padding changes the bits.
     */
    private double reduce(ReductionKind kind, String name, Tensor x, Tensor y) {
        ReductionTask t = tasks.get().reduction;
        t.kind = kind;
        prepareElementwise(t, name, y == null ? "x" : "a", x, y == null ? null : "b", y, null, null, null, null);
        if (x.rank() == 2) {
            // Blocks within rows whatever the layout, so that a padded view sums to the bits of a dense copy.
            t.rows = x.dim(0);
            t.cols = x.dim(1);
        }
        t.x.set(x, t.cols);
        t.y.set(y, t.cols);
        t.blocksPerRow = (t.cols + REDUCTION_BLOCK - 1) / REDUCTION_BLOCK;
        t.blocks = t.rows * t.blocksPerRow;
        if (t.partials.length < t.blocks) {
            t.partials = new double[Math.max(t.blocks, 2 * t.partials.length)];
        }
        int blocks = t.blocks;
        double[] partials = t.partials;
        execute(t);
        double total = kind == ReductionKind.MAX ? Double.NEGATIVE_INFINITY : 0.0;
        for (int b = 0; b < blocks; b++) {
            total = kind == ReductionKind.MAX ? Math.max(total, partials[b]) : total + partials[b];
        }
        return total;
    }

    // ---- execution ---------------------------------------------------------------------------------------

    private void execute(SplitTask task) {
        long elements = (long) task.rows * task.cols;
        int chunks = 1;
        if (elements >= PARALLEL_THRESHOLD && pool.threads() > 1) {
            chunks = (int) Math.min(Math.min(pool.threads(), task.units()), Math.max(1, elements / MIN_CHUNK_ELEMENTS));
        }
        task.chunks = chunks;
        try {
            pool.run(chunks, task);
        } finally {
            task.release();
        }
    }

    private static int columnUnits(int cols) {
        return (cols + COLUMN_GRANULE - 1) / COLUMN_GRANULE;
    }

    /** One operand as a kernel sees it: a segment, the element offset of (0, 0), and the row stride in elements. */
    private static final class Operand {
        MemorySegment segment;
        long offset;
        int ld;

        /** Loads {@code t} (or nothing, for null); a tensor of rank other than 2 is one row of {@code cols}. */
        void set(Tensor t, int cols) {
            if (t == null) {
                segment = null;
                offset = 0;
                ld = 0;
            } else {
                segment = t.segment();
                offset = t.offset();
                ld = t.rank() == 2 ? (int) t.stride(0) : cols;
            }
        }

        /** The element offset of (row, col). */
        long at(int row, int col) {
            return offset + (long) row * ld + col;
        }
    }

    /**
     * A call's work over a rows x cols index space, cut into {@link #chunks} chunks of whole {@link #units}: each
     * family's task adds the operands and settings of its kernels.
     */
    private abstract static class SplitTask implements ComputePool.Task {
        final VectorKernels kernels;
        DType dtype;
        int rows;
        int cols;
        int chunks;

        SplitTask(VectorKernels kernels) {
            this.kernels = kernels;
        }

        boolean f32() {
            return dtype == DType.F32;
        }

        /** How many pieces the work may be cut into at the most. */
        abstract int units();

        /** Drops references to caller memory, so that a finished task keeps no segment reachable. */
        abstract void release();
    }

    /** Work on elements, each independent: one flat run cut at lane-aligned columns, or whole rows. */
    private abstract static class ElementwiseTask extends SplitTask {
        boolean flat;

        ElementwiseTask(VectorKernels kernels) {
            super(kernels);
        }

        @Override
        int units() {
            return flat ? columnUnits(cols) : rows;
        }

        @Override
        public final void run(int chunk) {
            if (flat) {
                int from = ComputePool.chunkStart(cols, chunks, chunk, COLUMN_GRANULE);
                int to = ComputePool.chunkStart(cols, chunks, chunk + 1, COLUMN_GRANULE);
                if (to > from) {
                    apply(to - from, 0, from);
                }
            } else {
                int from = ComputePool.chunkStart(rows, chunks, chunk, 1);
                int to = ComputePool.chunkStart(rows, chunks, chunk + 1, 1);
                for (int r = from; r < to; r++) {
                    apply(cols, r, 0);
                }
            }
        }

        /** Applies the kernel to {@code count} elements of every operand from (row, col). */
        abstract void apply(int count, int row, int col);
    }

    /** Work on whole rows of a matrix, cut at row boundaries. */
    private abstract static class RowRangeTask extends SplitTask {
        RowRangeTask(VectorKernels kernels) {
            super(kernels);
        }

        @Override
        int units() {
            return rows;
        }

        @Override
        public final void run(int chunk) {
            int from = ComputePool.chunkStart(rows, chunks, chunk, 1);
            int to = ComputePool.chunkStart(rows, chunks, chunk + 1, 1);
            if (to > from) {
                applyToRows(from, to - from);
            }
        }

        /** Applies the kernel to rows {@code from .. from + n - 1}. */
        abstract void applyToRows(int from, int n);
    }

    private enum MapKind {
        ACTIVATION, ACTIVATION_BACKWARD, ACTIVATION_DERIVATIVE, ADD, SUB, MUL, AXPY, AXPBY, ADD_PRODUCT, SCALE, CLAMP,
        EXP, COPY, FILL
    }

    /**
     * The elementwise kernels of {@link VectorKernels}: up to three operands in the kernel's argument order (for
     * activationBackward: the output or pre-activation it reads, gradOut, gradIn; for axpy: x, y; for fill: the
     * tensor), and the settings the kind uses.
     */
    private static final class MapTask extends ElementwiseTask {
        final Operand first = new Operand();
        final Operand second = new Operand();
        final Operand third = new Operand();
        MapKind kind;
        Activation activation;
        /** activationBackward adds into gradIn. */
        boolean accumulate;
        /** axpy, axpby, addProduct and scale's factor; axpby's factor of y is beta. */
        double alpha;
        double beta;
        /** clamp's bounds. */
        double lo;
        double hi;
        /** fill's value. */
        double value;

        MapTask(VectorKernels kernels) {
            super(kernels);
        }

        @Override
        void release() {
            first.set(null, 0);
            second.set(null, 0);
            third.set(null, 0);
        }

        @Override
        void apply(int n, int row, int col) {
            VectorKernels k = kernels;
            MemorySegment s1 = first.segment;
            MemorySegment s2 = second.segment;
            MemorySegment s3 = third.segment;
            long o1 = first.at(row, col);
            long o2 = second.at(row, col);
            long o3 = third.at(row, col);
            boolean f32 = f32();
            switch (kind) {
                case ACTIVATION -> {
                    if (f32) {
                        k.activationF32(activation, n, s1, o1, s2, o2);
                    } else {
                        k.activationF64(activation, n, s1, o1, s2, o2);
                    }
                }
                case ACTIVATION_BACKWARD -> {
                    boolean pre = activation.backwardReadsPreActivation();
                    MemorySegment output = pre ? null : s1;
                    MemorySegment preActivation = pre ? s1 : null;
                    if (f32) {
                        k.activationBackwardF32(activation, n, output, o1, preActivation, o1, s2, o2, s3, o3,
                                accumulate);
                    } else {
                        k.activationBackwardF64(activation, n, output, o1, preActivation, o1, s2, o2, s3, o3,
                                accumulate);
                    }
                }
                case ACTIVATION_DERIVATIVE -> {
                    if (f32) {
                        k.activationDerivativeF32(activation, n, s1, o1, s2, o2);
                    } else {
                        k.activationDerivativeF64(activation, n, s1, o1, s2, o2);
                    }
                }
                case ADD -> {
                    if (f32) {
                        k.addF32(n, s1, o1, s2, o2, s3, o3);
                    } else {
                        k.addF64(n, s1, o1, s2, o2, s3, o3);
                    }
                }
                case SUB -> {
                    if (f32) {
                        k.subF32(n, s1, o1, s2, o2, s3, o3);
                    } else {
                        k.subF64(n, s1, o1, s2, o2, s3, o3);
                    }
                }
                case MUL -> {
                    if (f32) {
                        k.mulF32(n, s1, o1, s2, o2, s3, o3);
                    } else {
                        k.mulF64(n, s1, o1, s2, o2, s3, o3);
                    }
                }
                case AXPY -> {
                    if (f32) {
                        k.axpyF32(n, (float) alpha, s1, o1, s2, o2);
                    } else {
                        k.axpyF64(n, alpha, s1, o1, s2, o2);
                    }
                }
                case AXPBY -> {
                    if (f32) {
                        k.axpbyF32(n, (float) alpha, s1, o1, (float) beta, s2, o2);
                    } else {
                        k.axpbyF64(n, alpha, s1, o1, beta, s2, o2);
                    }
                }
                case ADD_PRODUCT -> {
                    if (f32) {
                        k.addProductF32(n, (float) alpha, s1, o1, s2, o2, s3, o3);
                    } else {
                        k.addProductF64(n, alpha, s1, o1, s2, o2, s3, o3);
                    }
                }
                case SCALE -> {
                    if (f32) {
                        k.scaleF32(n, (float) alpha, s1, o1, s2, o2);
                    } else {
                        k.scaleF64(n, alpha, s1, o1, s2, o2);
                    }
                }
                case CLAMP -> {
                    if (f32) {
                        k.clampF32(n, (float) lo, (float) hi, s1, o1, s2, o2);
                    } else {
                        k.clampF64(n, lo, hi, s1, o1, s2, o2);
                    }
                }
                case EXP -> {
                    if (f32) {
                        k.expF32(n, s1, o1, s2, o2);
                    } else {
                        k.expF64(n, s1, o1, s2, o2);
                    }
                }
                case COPY -> {
                    if (f32) {
                        k.copyF32(n, s1, o1, s2, o2);
                    } else {
                        k.copyF64(n, s1, o1, s2, o2);
                    }
                }
                case FILL -> {
                    if (f32) {
                        k.fillF32(n, (float) value, s1, o1);
                    } else {
                        k.fillF64(n, value, s1, o1);
                    }
                }
            }
        }
    }

    private enum UpdateRule { SGD, ADAM, ADAM_W }

    /**
     * An optimizer's rule and hyperparameters, set by the caller before a task runs (the per-tensor and the grouped
     * updates share them), and the one place that turns them into a kernel call.
     */
    private static final class UpdateSettings {
        UpdateRule rule;
        double lr;
        double weightDecay;
        double momentum;
        double dampening;
        boolean nesterov;
        boolean firstStep;
        double beta1;
        double beta2;
        double eps;
        double biasCorrection1;
        double biasCorrection2;

        void sgd(double lr, double momentum, double dampening, double weightDecay, boolean nesterov,
                 boolean firstStep) {
            this.rule = UpdateRule.SGD;
            this.lr = lr;
            this.momentum = momentum;
            this.dampening = dampening;
            this.weightDecay = weightDecay;
            this.nesterov = nesterov;
            this.firstStep = firstStep;
        }

        void adam(UpdateRule rule, double lr, double beta1, double beta2, double eps, double weightDecay, long step) {
            this.rule = rule;
            this.lr = lr;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
            this.weightDecay = weightDecay;
            this.biasCorrection1 = 1.0 - Math.pow(beta1, step);
            this.biasCorrection2 = 1.0 - Math.pow(beta2, step);
        }

        /** Updates {@code n} elements; the second state is read by the Adam rules only. */
        void apply(OptimizerKernels optimizer, int n, MemorySegment param, long p, MemorySegment grad, long g,
                   MemorySegment first, long m, MemorySegment second, long v) {
            switch (rule) {
                case SGD -> optimizer.sgdF32(n, param, p, grad, g, first, m, (float) lr, (float) momentum,
                        (float) dampening, (float) weightDecay, nesterov, firstStep);
                case ADAM -> optimizer.adamF32(n, param, p, grad, g, first, m, second, v, (float) lr, (float) beta1,
                        (float) beta2, (float) eps, (float) weightDecay, biasCorrection1, biasCorrection2);
                case ADAM_W -> optimizer.adamWF32(n, param, p, grad, g, first, m, second, v, (float) lr,
                        (float) beta1, (float) beta2, (float) eps, (float) weightDecay, biasCorrection1,
                        biasCorrection2);
            }
        }
    }

    /** The optimizer updates of {@link OptimizerKernels}, float32, elementwise over the parameter. */
    private static final class OptimizerTask extends ElementwiseTask {
        final OptimizerKernels optimizer;
        final Operand param = new Operand();
        final Operand grad = new Operand();
        /** SGD's momentum buffer (absent without momentum), or Adam's first moment. */
        final Operand firstState = new Operand();
        /** Adam's second moment. */
        final Operand secondState = new Operand();
        final UpdateSettings update = new UpdateSettings();

        OptimizerTask(VectorKernels kernels, OptimizerKernels optimizer) {
            super(kernels);
            this.optimizer = optimizer;
        }

        @Override
        void release() {
            param.set(null, 0);
            grad.set(null, 0);
            firstState.set(null, 0);
            secondState.set(null, 0);
        }

        @Override
        void apply(int n, int row, int col) {
            long p = param.at(row, col);
            long g = grad.at(row, col);
            long m = firstState.at(row, col);
            long v = secondState.at(row, col);
            update.apply(optimizer, n, param.segment, p, grad.segment, g, firstState.segment, m, secondState.segment,
                    v);
        }
    }

    /**
     * An optimizer update over a group of contiguous tensors, cut across tensors (see {@link #executeGroup}); the
     * arrays only grow, so a steady caller allocates nothing.
     */
    private static final class GroupOptimizerTask extends SplitTask {
        final OptimizerKernels optimizer;
        int count;
        /** Each tensor cut into {@link #chunks} parts by itself, rather than all of them laid end to end. */
        boolean perTensor;
        int[] lengths = new int[0];
        /** Granule index at which each tensor starts when they are laid end to end; one more entry marks the end. */
        int[] unitStarts = new int[1];
        MemorySegment[] params = new MemorySegment[0];
        long[] paramOffsets = new long[0];
        MemorySegment[] grads = new MemorySegment[0];
        long[] gradOffsets = new long[0];
        MemorySegment[] firstStates = new MemorySegment[0];
        long[] firstOffsets = new long[0];
        MemorySegment[] secondStates = new MemorySegment[0];
        long[] secondOffsets = new long[0];
        final UpdateSettings update = new UpdateSettings();

        GroupOptimizerTask(VectorKernels kernels, OptimizerKernels optimizer) {
            super(kernels);
            this.optimizer = optimizer;
        }

        void reserve(int n) {
            if (lengths.length < n) {
                lengths = new int[n];
                unitStarts = new int[n + 1];
                params = new MemorySegment[n];
                paramOffsets = new long[n];
                grads = new MemorySegment[n];
                gradOffsets = new long[n];
                firstStates = new MemorySegment[n];
                firstOffsets = new long[n];
                secondStates = new MemorySegment[n];
                secondOffsets = new long[n];
            }
        }

        @Override
        int units() {
            return unitStarts[count];
        }

        @Override
        void release() {
            Arrays.fill(params, null);
            Arrays.fill(grads, null);
            Arrays.fill(firstStates, null);
            Arrays.fill(secondStates, null);
        }

        @Override
        public void run(int chunk) {
            if (perTensor) {
                // Chunk c of each tensor is the part of it that chunk c of a row-split product wrote: the same thread.
                for (int i = 0; i < count; i++) {
                    int first = ComputePool.chunkStart(lengths[i], chunks, chunk, COLUMN_GRANULE);
                    int last = ComputePool.chunkStart(lengths[i], chunks, chunk + 1, COLUMN_GRANULE);
                    if (last > first) {
                        apply(i, first, last - first);
                    }
                }
                return;
            }
            int total = unitStarts[count];
            int from = ComputePool.chunkStart(total, chunks, chunk, 1);
            int to = ComputePool.chunkStart(total, chunks, chunk + 1, 1);
            for (int i = 0; i < count && from < to; i++) {
                int start = unitStarts[i];
                int end = unitStarts[i + 1];
                if (end <= from) {
                    continue;
                }
                int first = (Math.max(from, start) - start) * COLUMN_GRANULE;
                int last = Math.min((Math.min(to, end) - start) * COLUMN_GRANULE, lengths[i]);
                if (last > first) {
                    apply(i, first, last - first);
                }
                from = Math.max(from, end);
            }
        }

        private void apply(int i, int at, int n) {
            MemorySegment p = params[i];
            long po = paramOffsets[i] + at;
            long go = gradOffsets[i] + at;
            long mo = firstOffsets[i] + at;
            long vo = secondOffsets[i] + at;
            update.apply(optimizer, n, p, po, grads[i], go, firstStates[i], mo, secondStates[i], vo);
        }
    }

    private enum RowKind { BIAS_ACTIVATION, ROW_SUMS, ROW_LOG_SUM_EXP }

    /** Kernels that work on whole rows of a matrix: bias + activation (matrix out), row sums and log-sum-exp. */
    private static final class RowTask extends RowRangeTask {
        final Operand in = new Operand();
        /** A matrix for bias + activation, a vector of one element per row otherwise. */
        final Operand out = new Operand();
        /** bias + activation's bias, absent for none. */
        final Operand bias = new Operand();
        RowKind kind;
        Activation activation;
        /** rowSums adds into out. */
        boolean accumulate;

        RowTask(VectorKernels kernels) {
            super(kernels);
        }

        @Override
        void release() {
            in.set(null, 0);
            out.set(null, 0);
            bias.set(null, 0);
        }

        @Override
        void applyToRows(int from, int n) {
            VectorKernels k = kernels;
            long at = in.at(from, 0);
            switch (kind) {
                case BIAS_ACTIVATION -> {
                    if (f32()) {
                        k.biasActivationF32(activation, n, cols, in.segment, at, in.ld, bias.segment, bias.offset,
                                out.segment, out.at(from, 0), out.ld);
                    } else {
                        k.biasActivationF64(activation, n, cols, in.segment, at, in.ld, bias.segment, bias.offset,
                                out.segment, out.at(from, 0), out.ld);
                    }
                }
                case ROW_SUMS -> {
                    if (f32()) {
                        k.rowSumsF32(n, cols, in.segment, at, in.ld, out.segment, out.offset + from, accumulate);
                    } else {
                        k.rowSumsF64(n, cols, in.segment, at, in.ld, out.segment, out.offset + from, accumulate);
                    }
                }
                case ROW_LOG_SUM_EXP -> {
                    if (f32()) {
                        k.rowLogSumExpF32(n, cols, in.segment, at, in.ld, out.segment, out.offset + from);
                    } else {
                        k.rowLogSumExpF64(n, cols, in.segment, at, in.ld, out.segment, out.offset + from);
                    }
                }
            }
        }
    }

    private enum LossKind { BCE_WITH_LOGITS, SQUARED_ERROR }

    /** The fused losses, by rows: each row's loss into {@link #rowLoss}, and the gradient unless it is absent. */
    private static final class LossTask extends RowRangeTask {
        /** Logits or predictions. */
        final Operand input = new Operand();
        final Operand targets = new Operand();
        final Operand grad = new Operand();
        final Operand rowLoss = new Operand();
        LossKind kind;
        double gradScale;

        LossTask(VectorKernels kernels) {
            super(kernels);
        }

        @Override
        void release() {
            input.set(null, 0);
            targets.set(null, 0);
            grad.set(null, 0);
            rowLoss.set(null, 0);
        }

        @Override
        void applyToRows(int from, int n) {
            VectorKernels k = kernels;
            long i = input.at(from, 0);
            long t = targets.at(from, 0);
            long g = grad.at(from, 0);
            long l = rowLoss.offset + from;
            boolean bce = kind == LossKind.BCE_WITH_LOGITS;
            if (f32() && bce) {
                k.bceWithLogitsF32(n, cols, input.segment, i, input.ld, targets.segment, t, targets.ld,
                        (float) gradScale, grad.segment, g, grad.ld, rowLoss.segment, l);
            } else if (bce) {
                k.bceWithLogitsF64(n, cols, input.segment, i, input.ld, targets.segment, t, targets.ld, gradScale,
                        grad.segment, g, grad.ld, rowLoss.segment, l);
            } else if (f32()) {
                k.squaredErrorF32(n, cols, input.segment, i, input.ld, targets.segment, t, targets.ld,
                        (float) gradScale, grad.segment, g, grad.ld, rowLoss.segment, l);
            } else {
                k.squaredErrorF64(n, cols, input.segment, i, input.ld, targets.segment, t, targets.ld, gradScale,
                        grad.segment, g, grad.ld, rowLoss.segment, l);
            }
        }
    }

    /** out(j) = sum_i x(i, j), cut at lane-aligned columns. */
    private static final class ColumnSumsTask extends SplitTask {
        final Operand x = new Operand();
        final Operand out = new Operand();
        boolean accumulate;

        ColumnSumsTask(VectorKernels kernels) {
            super(kernels);
        }

        @Override
        int units() {
            return columnUnits(cols);
        }

        @Override
        void release() {
            x.set(null, 0);
            out.set(null, 0);
        }

        @Override
        public void run(int chunk) {
            int from = ComputePool.chunkStart(cols, chunks, chunk, COLUMN_GRANULE);
            int to = ComputePool.chunkStart(cols, chunks, chunk + 1, COLUMN_GRANULE);
            if (to <= from) {
                return;
            }
            if (f32()) {
                kernels.columnSumsF32(rows, to - from, x.segment, x.offset + from, x.ld, out.segment, out.offset + from,
                        accumulate);
            } else {
                kernels.columnSumsF64(rows, to - from, x.segment, x.offset + from, x.ld, out.segment, out.offset + from,
                        accumulate);
            }
        }
    }

    private enum ReductionKind { SUM, SUM_OF_SQUARES, DOT, MAX }

    /** Whole-tensor reductions: one partial result per block of at most REDUCTION_BLOCK elements of a row. */
    private static final class ReductionTask extends SplitTask {
        final Operand x = new Operand();
        /** dot's second operand. */
        final Operand y = new Operand();
        ReductionKind kind;
        int blocksPerRow;
        int blocks;
        double[] partials = new double[16];

        ReductionTask(VectorKernels kernels) {
            super(kernels);
        }

        @Override
        int units() {
            return blocks;
        }

        @Override
        void release() {
            x.set(null, 0);
            y.set(null, 0);
        }

        @Override
        public void run(int chunk) {
            int from = ComputePool.chunkStart(blocks, chunks, chunk, 1);
            int to = ComputePool.chunkStart(blocks, chunks, chunk + 1, 1);
            VectorKernels k = kernels;
            boolean f32 = f32();
            for (int b = from; b < to; b++) {
                int row = b / blocksPerRow;
                int col = (b % blocksPerRow) * REDUCTION_BLOCK;
                int n = Math.min(REDUCTION_BLOCK, cols - col);
                long xo = x.at(row, col);
                MemorySegment xs = x.segment;
                partials[b] = switch (kind) {
                    case SUM -> f32 ? k.sumF32(n, xs, xo) : k.sumF64(n, xs, xo);
                    case SUM_OF_SQUARES -> f32 ? k.sumOfSquaresF32(n, xs, xo) : k.sumOfSquaresF64(n, xs, xo);
                    case DOT -> f32 ? k.dotF32(n, xs, xo, y.segment, y.at(row, col))
                            : k.dotF64(n, xs, xo, y.segment, y.at(row, col));
                    case MAX -> f32 ? k.maxF32(n, xs, xo) : k.maxF64(n, xs, xo);
                };
            }
        }
    }

    /** Bias + activation in place on rectangles of a product, as they are finished. */
    private static final class BiasActivationEpilogue implements GemmKernels.Epilogue {
        final VectorKernels kernels;
        final Operand out = new Operand();
        final Operand bias = new Operand();
        DType dtype;
        Activation activation;

        BiasActivationEpilogue(VectorKernels kernels) {
            this.kernels = kernels;
        }

        @Override
        public void apply(int rowFrom, int rowTo, int colFrom, int colTo) {
            long at = out.at(rowFrom, colFrom);
            MemorySegment biasSegment = bias.segment;
            long biasAt = bias.offset + colFrom;
            if (dtype == DType.F32) {
                kernels.biasActivationF32(activation, rowTo - rowFrom, colTo - colFrom, out.segment, at, out.ld,
                        biasSegment, biasAt, out.segment, at, out.ld);
            } else {
                kernels.biasActivationF64(activation, rowTo - rowFrom, colTo - colFrom, out.segment, at, out.ld,
                        biasSegment, biasAt, out.segment, at, out.ld);
            }
        }
    }

    /**
     * Column sums of a matrix unrelated to the product, cut along the product's parts: rectangles of a product split
     * into full-width row bands, each band cut into column ranges, are ordered bands first; a rectangle's share of the
     * columns is the stretch of that order it covers. Each column is summed in one piece, so the bits do not depend on
     * the cut.
     */
    private static final class ColumnSumsEpilogue implements GemmKernels.Epilogue {
        final VectorKernels kernels;
        final Operand x = new Operand();
        final Operand sums = new Operand();
        DType dtype;
        int rows;
        int cols;
        int productRows;
        int productCols;
        boolean accumulate;

        ColumnSumsEpilogue(VectorKernels kernels) {
            this.kernels = kernels;
        }

        @Override
        public void apply(int rowFrom, int rowTo, int colFrom, int colTo) {
            long area = (long) productRows * productCols;
            long before = (long) rowFrom * productCols;
            long height = rowTo - rowFrom;
            int from = (int) (cols * (before + height * colFrom) / area);
            int to = (int) (cols * (before + height * colTo) / area);
            if (to <= from) {
                return;
            }
            if (dtype == DType.F32) {
                kernels.columnSumsF32(rows, to - from, x.segment, x.offset + from, x.ld, sums.segment,
                        sums.offset + from, accumulate);
            } else {
                kernels.columnSumsF64(rows, to - from, x.segment, x.offset + from, x.ld, sums.segment,
                        sums.offset + from, accumulate);
            }
        }
    }

    /** One task of each family, reused by one calling thread for every call. */
    private static final class Tasks {
        final MapTask map;
        final OptimizerTask optimizer;
        final GroupOptimizerTask groupOptimizer;
        final RowTask rows;
        final LossTask loss;
        final ColumnSumsTask columnSums;
        final ReductionTask reduction;
        final BiasActivationEpilogue epilogue;
        final ColumnSumsEpilogue columnSumsEpilogue;

        Tasks(VectorKernels kernels, OptimizerKernels optimizerKernels) {
            epilogue = new BiasActivationEpilogue(kernels);
            columnSumsEpilogue = new ColumnSumsEpilogue(kernels);
            map = new MapTask(kernels);
            optimizer = new OptimizerTask(kernels, optimizerKernels);
            groupOptimizer = new GroupOptimizerTask(kernels, optimizerKernels);
            rows = new RowTask(kernels);
            loss = new LossTask(kernels);
            columnSums = new ColumnSumsTask(kernels);
            reduction = new ReductionTask(kernels);
        }
    }
}
