package ae.models;

import ae.tensor.ComputePool;
import ae.tensor.DType;
import ae.tensor.Gemm;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Sparse inference for predictive sparse decomposition: for each row x of a batch, the code h minimizing
 * <pre>  ||x - c - D h||^2 + lambda ||h||_1 + alpha ||h - p||^2</pre>
 * for a dictionary D (n x k, an atom per column), an offset c (the decoder's bias, or none) and a prediction p (the
 * encoder's f(x)), by proximal gradient descent: ISTA, or FISTA (Beck and Teboulle 2009) with its momentum. The step
 * is 1/L with L the Lipschitz constant 2 (sigma_max(D)^2 + alpha) of the smooth part's gradient, estimated by power
 * iteration on D^T D, or found by backtracking from {@link #setInitialStepConstant}.
 *
 * <p>The smooth part is written through the Gram matrix: its gradient is {@code 2 (h D^T D - (x - c) D) + 2 alpha
 * (h - p)} (rows as row vectors), so an iteration costs one GEMM of the batch's codes with D^T D (two when
 * backtracking), and {@code D^T D} and {@code (x - c) D} are formed once per dictionary and batch. A solver is made
 * for a fixed batch size; it allocates its workspace once and nothing per iteration (nor per solve).
 */
public final class SparseCodeSolver implements AutoCloseable {
    /** Plain proximal gradient, or with Nesterov's momentum. */
    public enum Method {
        /** Proximal gradient steps (iterative shrinkage-thresholding). */
        ISTA,
        /** ISTA with Nesterov's momentum (Beck and Teboulle). */
        FISTA
    }

    /** How the step size 1/L is chosen. */
    public enum StepRule {
        /** L from the largest eigenvalue of D^T D (power iteration, with a small safety margin). */
        LIPSCHITZ,
        /** L grown by {@link #BACKTRACKING_FACTOR} until the quadratic upper bound holds (Beck and Teboulle). */
        BACKTRACKING
    }

    /** How much backtracking grows L per failed trial (the reference code's Lstep). */
    public static final double BACKTRACKING_FACTOR = 1.5;
    /** Safety margin on the power-iteration estimate of the largest eigenvalue, which approaches it from below. */
    static final double LIPSCHITZ_MARGIN = 1.02;
    private static final int POWER_ITERATIONS_COLD = 100;
    private static final int POWER_ITERATIONS_WARM = 15;

    private final int rows;
    private final int atoms;
    private final int features;
    private final DType dtype;
    private final ComputePool pool;
    private final TensorScope scope;
    private final Tensor gram;
    private final Tensor offsetTimesDictionary;
    private final Tensor targetTimesDictionary;
    private final Tensor previous;
    private final Tensor momentum;
    private final Tensor product;
    private final Tensor trial;
    private final Tensor powerVector;
    private final Tensor powerProduct;
    private Tensor dictionary;
    private boolean hasOffset;
    private boolean powerWarm;
    private double largestEigenvalue;
    private double initialStepConstant = 0.1;
    private int lastIterations;
    private double lastStepConstant;

    /** A solver for batches of {@code rows} rows of {@code features} values and codes of {@code atoms} values. */
    public SparseCodeSolver(int rows, int features, int atoms, DType dtype, ComputePool pool) {
        if (rows < 1 || features < 1 || atoms < 1) {
            throw new IllegalArgumentException("a sparse code solver needs rows, features and atoms >= 1, got "
                    + rows + ", " + features + ", " + atoms);
        }
        this.rows = rows;
        this.features = features;
        this.atoms = atoms;
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.scope = TensorScope.open("sparse code solver " + rows + "x" + atoms);
        try {
            gram = scope.allocate(dtype, atoms, atoms);
            offsetTimesDictionary = scope.allocate(dtype, 1, atoms);
            targetTimesDictionary = scope.allocate(dtype, rows, atoms);
            previous = scope.allocate(dtype, rows, atoms);
            momentum = scope.allocate(dtype, rows, atoms);
            product = scope.allocate(dtype, rows, atoms);
            trial = scope.allocate(dtype, rows, atoms);
            powerVector = scope.allocate(dtype, atoms, 1);
            powerProduct = scope.allocate(dtype, atoms, 1);
        } catch (RuntimeException e) {
            scope.close();
            throw e;
        }
    }

    /**
     * Sets the dictionary D (features x atoms) and the offset c (a vector of {@code features} values, or null for
     * none), forming D^T D, c D and the largest eigenvalue of D^T D. The solver reads D until the next call, so D
     * must not change in between.
     */
    public void setDictionary(Tensor dictionary, Tensor offset) {
        requireMatrix("dictionary", dictionary, features, atoms);
        this.dictionary = dictionary;
        Gemm.multiply(pool, 1, dictionary, true, dictionary, false, 0, gram);
        hasOffset = offset != null;
        if (hasOffset) {
            if (offset.dtype() != dtype || offset.size() != features || !offset.isContiguous()) {
                throw new IllegalArgumentException("the offset must be a contiguous " + dtype + " vector of "
                        + features + " values, got " + offset);
            }
            MemorySegment ds = dictionary.segment();
            MemorySegment os = offset.segment();
            MemorySegment out = offsetTimesDictionary.segment();
            for (int j = 0; j < atoms; j++) {
                double v = 0;
                for (int i = 0; i < features; i++) {
                    v += read(os, offset.offset() + i) * read(ds, dictionary.offset() + (long) i * atoms + j);
                }
                write(out, offsetTimesDictionary.offset() + j, v);
            }
        }
        largestEigenvalue = largestGramEigenvalue();
    }

    /** The largest eigenvalue of D^T D (sigma_max(D)^2), by power iteration warm-started from the last dictionary. */
    private double largestGramEigenvalue() {
        int iterations = POWER_ITERATIONS_WARM;
        if (!powerWarm) {
            for (int i = 0; i < atoms; i++) {
                // Not all ones: a start orthogonal to the top eigenvector would never find it.
                powerVector.setFlat(i, 1 + 0.01 * ((i * 7919) % 101));
            }
            iterations = POWER_ITERATIONS_COLD;
            powerWarm = true;
        }
        double estimate = 0;
        for (int it = 0; it < iterations; it++) {
            double norm = Math.sqrt(dot(powerVector, powerVector, atoms));
            if (norm == 0 || !Double.isFinite(norm)) {
                powerWarm = false;
                return 0;
            }
            scale(powerVector, 1 / norm, atoms);
            Gemm.multiply(pool, 1, gram, false, powerVector, false, 0, powerProduct);
            estimate = dot(powerVector, powerProduct, atoms);
            copy(powerProduct, powerVector, atoms);
        }
        return Math.max(0, estimate);
    }

    /** Where backtracking starts L (the reference code's default is 0.1). */
    public void setInitialStepConstant(double l) {
        if (!(l > 0) || !Double.isFinite(l)) {
            throw new IllegalArgumentException("the initial step constant must be positive, got " + l);
        }
        initialStepConstant = l;
    }

    /** The Lipschitz constant 2 (sigma_max(D)^2 + alpha) of the smooth part's gradient, with its safety margin. */
    public double lipschitzConstant(double alpha) {
        requireDictionary();
        return 2 * (LIPSCHITZ_MARGIN * largestEigenvalue + alpha);
    }

    /**
     * Minimizes the objective for each row of {@code x} ({@code rows x features}) with predictions {@code prediction}
     * ({@code rows x atoms}); {@code codes} holds the starting point on entry (PSD starts from f(x)) and the solution
     * on return. Stops after {@code maxIterations} iterations, or earlier once no code value moved by more than
     * {@code tolerance} in an iteration (0: never early). Returns the iterations run.
     */
    public int solve(Tensor x, Tensor prediction, double lambda, double alpha, Method method, StepRule rule,
                     int maxIterations, double tolerance, Tensor codes) {
        requireDictionary();
        requireMatrix("x", x, rows, features);
        requireMatrix("prediction", prediction, rows, atoms);
        requireMatrix("codes", codes, rows, atoms);
        if (!(lambda >= 0) || !(alpha >= 0) || !(tolerance >= 0) || maxIterations < 0) {
            throw new IllegalArgumentException("need lambda, alpha, tolerance >= 0 and iterations >= 0, got lambda "
                    + lambda + ", alpha " + alpha + ", tolerance " + tolerance + ", iterations " + maxIterations);
        }
        // (x - c) D, once per batch: the linear term of the smooth part.
        Gemm.multiply(pool, 1, x, false, dictionary, false, 0, targetTimesDictionary);
        if (hasOffset) {
            subtractRow(targetTimesDictionary, offsetTimesDictionary);
        }
        boolean backtracking = rule == StepRule.BACKTRACKING;
        double l = backtracking ? initialStepConstant : lipschitzConstant(alpha);
        Tensor current = codes;
        Tensor last = previous;
        copy(codes, momentum, (long) rows * atoms);
        double t = 1;
        int iterations = 0;
        while (iterations < maxIterations) {
            iterations++;
            // The gradient at the momentum point y, into product: 2 (y G - b) + 2 alpha (y - p).
            // D^T D is symmetric, so the rows' y G is the product of the batch with it.
            Gemm.multiply(pool, 1, momentum, false, gram, false, 0, product);
            double smoothAtY = backtracking ? smoothFromProduct(momentum, prediction, alpha, product) : 0;
            gradient(momentum, prediction, alpha);
            Tensor next = last;
            if (backtracking) {
                while (true) {
                    proximalStep(momentum, product, l, lambda, next);
                    Gemm.multiply(pool, 1, next, false, gram, false, 0, trial);
                    double smoothAtNext = smoothFromProduct(next, prediction, alpha, trial);
                    double bound = smoothAtY + linearAndQuadratic(next, momentum, product, l);
                    if (smoothAtNext <= bound + 1e-12 * Math.abs(bound) || l > 1e30) {
                        break;
                    }
                    l *= BACKTRACKING_FACTOR;
                }
            } else {
                proximalStep(momentum, product, l, lambda, next);
            }
            double change = maxDifference(next, current);
            if (method == Method.FISTA) {
                double tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
                extrapolate(next, current, (t - 1) / tNext, momentum);
                t = tNext;
            } else {
                copy(next, momentum, (long) rows * atoms);
            }
            last = current;
            current = next;
            if (change <= tolerance) {
                break;
            }
        }
        if (current != codes) {
            copy(current, codes, (long) rows * atoms);
        }
        lastIterations = iterations;
        lastStepConstant = l;
        return iterations;
    }

    /** The iterations the last solve ran. */
    public int lastIterations() {
        return lastIterations;
    }

    /** The L the last solve ended with (grown by backtracking, or the Lipschitz constant). */
    public double lastStepConstant() {
        return lastStepConstant;
    }

    /**
     * The objective {@code ||x - c - D h||^2 + lambda ||h||_1 + alpha ||h - p||^2} of each row, averaged over the
     * rows, for the current dictionary and the offset c given again (null for none): the solver keeps c D, not c.
     * Uses the solver's workspace, so not to be called during a solve.
     */
    public double objective(Tensor x, Tensor offset, Tensor prediction, Tensor codes, double lambda, double alpha) {
        requireDictionary();
        requireMatrix("x", x, rows, features);
        requireMatrix("prediction", prediction, rows, atoms);
        requireMatrix("codes", codes, rows, atoms);
        if ((offset != null) != hasOffset) {
            throw new IllegalArgumentException("the offset must be the one the dictionary was set with");
        }
        Gemm.multiply(pool, 1, x, false, dictionary, false, 0, targetTimesDictionary);
        if (hasOffset) {
            subtractRow(targetTimesDictionary, offsetTimesDictionary);
        }
        Gemm.multiply(pool, 1, codes, false, gram, false, 0, trial);
        double total = smoothFromProduct(codes, prediction, alpha, trial);
        double targetSquared = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < features; j++) {
                double v = x.get(i, j) - (offset != null ? offset.getFlat(j) : 0);
                targetSquared += v * v;
            }
        }
        double l1 = 0;
        MemorySegment h = codes.segment();
        long base = codes.offset();
        for (long i = 0, n = (long) rows * atoms; i < n; i++) {
            l1 += Math.abs(read(h, base + i));
        }
        return (total + targetSquared + lambda * l1) / rows;
    }

    // ---- the iteration's elementwise parts, on contiguous tensors of this solver's dtype

    /** product = 2 (product - b) + 2 alpha (y - p), product holding y G on entry. */
    private void gradient(Tensor y, Tensor p, double alpha) {
        MemorySegment g = product.segment();
        MemorySegment ys = y.segment();
        MemorySegment ps = p.segment();
        MemorySegment bs = targetTimesDictionary.segment();
        long go = product.offset();
        long yo = y.offset();
        long po = p.offset();
        long bo = targetTimesDictionary.offset();
        for (long i = 0, n = (long) rows * atoms; i < n; i++) {
            double v = 2 * (read(g, go + i) - read(bs, bo + i)) + 2 * alpha * (read(ys, yo + i) - read(ps, po + i));
            write(g, go + i, v);
        }
    }

    /** into = shrink(y - gradient / l, lambda / l). */
    private void proximalStep(Tensor y, Tensor gradient, double l, double lambda, Tensor into) {
        MemorySegment ys = y.segment();
        MemorySegment gs = gradient.segment();
        MemorySegment out = into.segment();
        long yo = y.offset();
        long go = gradient.offset();
        long oo = into.offset();
        double threshold = lambda / l;
        double step = 1 / l;
        for (long i = 0, n = (long) rows * atoms; i < n; i++) {
            double v = read(ys, yo + i) - step * read(gs, go + i);
            write(out, oo + i, v > threshold ? v - threshold : v < -threshold ? v + threshold : 0);
        }
    }

    /** y = next + beta (next - current). */
    private void extrapolate(Tensor next, Tensor current, double beta, Tensor y) {
        MemorySegment ns = next.segment();
        MemorySegment cs = current.segment();
        MemorySegment ys = y.segment();
        long no = next.offset();
        long co = current.offset();
        long yo = y.offset();
        for (long i = 0, n = (long) rows * atoms; i < n; i++) {
            double v = read(ns, no + i);
            write(ys, yo + i, v + beta * (v - read(cs, co + i)));
        }
    }

    /** The smooth part at h, summed over rows, less sum ||x - c||^2, given hG (in hTimesGram). */
    private double smoothFromProduct(Tensor h, Tensor p, double alpha, Tensor hTimesGram) {
        MemorySegment hs = h.segment();
        MemorySegment ps = p.segment();
        MemorySegment gs = hTimesGram.segment();
        MemorySegment bs = targetTimesDictionary.segment();
        long ho = h.offset();
        long po = p.offset();
        long go = hTimesGram.offset();
        long bo = targetTimesDictionary.offset();
        double total = 0;
        for (long i = 0, n = (long) rows * atoms; i < n; i++) {
            double v = read(hs, ho + i);
            double d = v - read(ps, po + i);
            total += v * (read(gs, go + i) - 2 * read(bs, bo + i)) + alpha * d * d;
        }
        return total;
    }

    /** {@code <next - y, gradient> + l/2 ||next - y||^2}, summed over rows. */
    private double linearAndQuadratic(Tensor next, Tensor y, Tensor gradient, double l) {
        MemorySegment ns = next.segment();
        MemorySegment ys = y.segment();
        MemorySegment gs = gradient.segment();
        long no = next.offset();
        long yo = y.offset();
        long go = gradient.offset();
        double total = 0;
        for (long i = 0, n = (long) rows * atoms; i < n; i++) {
            double d = read(ns, no + i) - read(ys, yo + i);
            total += d * read(gs, go + i) + 0.5 * l * d * d;
        }
        return total;
    }

    private double maxDifference(Tensor a, Tensor b) {
        MemorySegment as = a.segment();
        MemorySegment bs = b.segment();
        long ao = a.offset();
        long bo = b.offset();
        double max = 0;
        for (long i = 0, n = (long) rows * atoms; i < n; i++) {
            double d = Math.abs(read(as, ao + i) - read(bs, bo + i));
            if (d > max || d != d) {
                max = d != d ? Double.POSITIVE_INFINITY : d;
            }
        }
        return max;
    }

    private void subtractRow(Tensor matrix, Tensor row) {
        MemorySegment ms = matrix.segment();
        MemorySegment rs = row.segment();
        long mo = matrix.offset();
        long ro = row.offset();
        for (int i = 0; i < matrix.rows(); i++) {
            for (int j = 0; j < atoms; j++) {
                long at = mo + (long) i * atoms + j;
                write(ms, at, read(ms, at) - read(rs, ro + j));
            }
        }
    }

    private double dot(Tensor a, Tensor b, long n) {
        MemorySegment as = a.segment();
        MemorySegment bs = b.segment();
        double total = 0;
        for (long i = 0; i < n; i++) {
            total += read(as, a.offset() + i) * read(bs, b.offset() + i);
        }
        return total;
    }

    private void scale(Tensor a, double factor, long n) {
        MemorySegment as = a.segment();
        for (long i = 0; i < n; i++) {
            write(as, a.offset() + i, factor * read(as, a.offset() + i));
        }
    }

    private void copy(Tensor from, Tensor to, long n) {
        MemorySegment fs = from.segment();
        MemorySegment ts = to.segment();
        for (long i = 0; i < n; i++) {
            write(ts, to.offset() + i, read(fs, from.offset() + i));
        }
    }

    private double read(MemorySegment s, long index) {
        return dtype == DType.F32 ? s.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, index)
                : s.getAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, index);
    }

    private void write(MemorySegment s, long index, double value) {
        if (dtype == DType.F32) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, index, (float) value);
        } else {
            s.setAtIndex(ValueLayout.JAVA_DOUBLE_UNALIGNED, index, value);
        }
    }

    private void requireDictionary() {
        if (dictionary == null) {
            throw new IllegalStateException("set the dictionary before solving");
        }
    }

    private void requireMatrix(String what, Tensor t, int r, int c) {
        Objects.requireNonNull(t, what);
        if (t.dtype() != dtype || t.rank() != 2 || t.rows() != r || t.cols() != c || !t.isContiguous()) {
            throw new IllegalArgumentException(what + " must be a contiguous " + r + " x " + c + " " + dtype
                    + " tensor, got " + t);
        }
    }

    @Override
    public void close() {
        scope.close();
    }
}
