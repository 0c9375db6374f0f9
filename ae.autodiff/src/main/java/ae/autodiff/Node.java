package ae.autodiff;

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
    /** Null if this node has no gradient; a learnable parameter's node shares its parameter's buffer. */
    private final GradientBuffer gradient;
    private Tensor value;
    private Op producer;

    Node(int id, String name, Kind kind, int rows, int cols, Tensor value, GradientBuffer gradient,
         Parameter parameter) {
        this.id = id;
        this.name = name;
        this.kind = kind;
        this.rows = rows;
        this.cols = cols;
        this.value = value;
        this.gradient = gradient;
        this.parameter = parameter;
    }

    int id() {
        return id;
    }

    /** The node's name, for messages and gradient reports. */
    public String name() {
        return name;
    }

    /** What the node is: an input, a parameter, or the result of an op. */
    public Kind kind() {
        return kind;
    }

    /** Rows of the node's value (the batch dimension for activations). */
    public int rows() {
        return rows;
    }

    /** Columns of the node's value (features or units). */
    public int cols() {
        return cols;
    }

    /** The element type of the node's value. */
    public DType dtype() {
        return value.dtype();
    }

    /** True if a backward pass writes a gradient for this node. */
    public boolean requiresGrad() {
        return gradient != null;
    }

    /** The value tensor: written by the caller for inputs, by the graph for computed nodes. */
    public Tensor value() {
        return value;
    }

    /**
     * The gradient of the last backward pass's loss with respect to this node.
     *
     * @throws IllegalStateException if the node has no gradient, or during a backward pass that has not yet
     *                               written it
     */
    public Tensor grad() {
        if (gradient == null) {
            throw new IllegalStateException("node '" + name + "' has no gradient: nothing it depends on requires one");
        }
        Tensor written = gradient.tensorIfWritten();
        if (written == null) {
            throw GradientBuffer.readWhilePending("node '" + name + "'");
        }
        return written;
    }

    /**
     * For an operation about to contribute to this node's gradient: the tensor and whether to overwrite it (the
     * first contribution of a backward pass) or add to it; null if the node has no gradient (also a frozen
     * parameter's node). Either way the gradient counts as written afterwards.
     */
    GradientClaim claimGradient() {
        return gradient == null ? null : gradient.claim();
    }

    /**
     * For an operation that adds to, or reads, this node's gradient: zeroes it if nothing has written it yet in
     * this backward pass, and returns it; null if the node has no gradient.
     */
    Tensor resolvePendingGradient() {
        return gradient == null ? null : gradient.resolvePending();
    }

    /** The gradient tensor at build time (null if none), to wire into operations; never pending then. */
    Tensor gradientStorage() {
        return gradient == null ? null : gradient.storage();
    }

    /** Starts a backward pass: the gradient stands for zeros until claimed or resolved. */
    void markGradientPending() {
        if (gradient != null) {
            gradient.markPending();
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
        return "Node[" + name + " " + rows + "x" + cols + (gradient != null ? ", grad" : "") + "]";
    }
}
