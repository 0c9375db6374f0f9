package ae.autodiff;

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
        return grad;
    }

    /** The gradient tensor, or null: for operations, which skip inputs that need no gradient. */
    public Tensor gradOrNull() {
        return grad;
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
