package ae.autodiff;

import ae.autodiff.internal.Elements;

import ae.autodiff.internal.Op;
import ae.tensor.DType;
import ae.tensor.Tensor;

/**
 * A value in a {@link Graph}: a 2-D tensor (rows usually index the batch; scalars are 1 x 1) and, if anything it
 * depends on is learnable or was declared differentiable, a gradient tensor of the same shape. Both are allocated
 * once when the graph is built and overwritten by every {@link Graph#forward()} and {@link Graph#backward}.
 */
public final class Node {
    /** Where a node's value comes from. */
    public enum Kind {
        /** Data the caller writes (or binds) before a forward pass. */
        INPUT,
        /** A {@link Parameter}'s value and gradient, shared with every other graph over it. */
        PARAMETER,
        /** Computed by an operation of the graph. */
        COMPUTED
    }

    private final int id;
    private final String name;
    private final Kind kind;
    private final int rows;
    private final int cols;
    private final Parameter parameter;
    private final Tensor grad;
    private Tensor value;
    private Op producer;
    /** The gradient holds stale values that stand for zeros: see {@link #claimGradient()}. */
    private boolean gradPending;

    Node(int id, String name, Kind kind, int rows, int cols, Tensor value, Tensor grad, Parameter parameter) {
        this.id = id;
        this.name = name;
        this.kind = kind;
        this.rows = rows;
        this.cols = cols;
        this.value = value;
        this.grad = grad;
        this.parameter = parameter;
    }

    int id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public DType dtype() {
        return value.dtype();
    }

    /** True if a backward pass writes a gradient for this node. */
    public boolean requiresGrad() {
        return grad != null;
    }

    /** The value tensor: written by the caller for inputs, by the graph for computed nodes. */
    public Tensor value() {
        return value;
    }

    /** The gradient of the last backward pass's loss with respect to this node. */
    public Tensor grad() {
        if (grad == null) {
            throw new IllegalStateException("node '" + name + "' has no gradient: nothing it depends on requires one");
        }
        return gradOrNull();
    }

    /**
     * The gradient tensor, or null: for operations, which skip inputs that need no gradient. A gradient nothing has
     * written yet in this backward pass is zeroed here, so that callers may add to it.
     */
    public Tensor gradOrNull() {
        if (grad == null) {
            // A frozen parameter's node: its parameter has a gradient, but this graph must not touch it.
            return null;
        }
        if (parameter != null) {
            return parameter.gradOrNull();
        }
        if (gradPending) {
            gradPending = false;
            Elements.zero(grad);
        }
        return grad;
    }

    /**
     * For an operation about to contribute to this node's gradient: true if nothing has been written to it yet in
     * this backward pass, in which case the caller must write every element (a GEMM with beta 0, a kernel told not
     * to accumulate) instead of adding, which spares clearing the gradient first; false if it must add (or the node
     * has no gradient). Either way the gradient counts as written afterwards.
     */
    public boolean claimGradient() {
        if (grad == null) {
            return false;
        }
        if (parameter != null) {
            return parameter.claimGradient();
        }
        boolean unwritten = gradPending;
        gradPending = false;
        return unwritten;
    }

    /** Starts a backward pass: the gradient stands for zeros until written or read. */
    void markGradientPending() {
        if (grad != null) {
            if (parameter != null) {
                parameter.markGradientPending();
            } else {
                gradPending = true;
            }
        }
    }

    /** The parameter behind a {@link Kind#PARAMETER} node, else null. */
    public Parameter parameter() {
        return parameter;
    }

    void rebind(Tensor data) {
        this.value = data;
    }

    Op producer() {
        return producer;
    }

    void producer(Op op) {
        this.producer = op;
    }

    @Override
    public String toString() {
        return "Node[" + name + " " + rows + "x" + cols + (grad != null ? ", grad" : "") + "]";
    }
}
