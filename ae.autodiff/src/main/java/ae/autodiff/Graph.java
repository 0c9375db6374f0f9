package ae.autodiff;

import ae.tensor.DType;
import ae.tensor.Shapes;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A computation recorded once by a {@link GraphBuilder} for fixed shapes (a fixed batch size) and replayed: every
 * value, gradient and scratch buffer lives in a workspace the graph owns, so {@link #forward()} and
 * {@link #backward(Node)} allocate nothing, on the heap or off it, once the JIT has compiled them (tests bound a whole
 * training step below 1 KiB).
 *
 * <p>A training step: write (or {@link #bind}) the inputs, {@link #forward()}, {@link #backward(Node)} on the loss,
 * then let an optimizer read {@link Parameter#grad()} and update {@link Parameter#value()} in place. Parameters are
 * borrowed from their {@link ParameterStore}; closing the graph frees only its workspace.
 *
 * <p>Randomness (corruption, reparameterization, probes) is drawn from a counter-based generator keyed by the seed,
 * the operation and the noise step; {@link #forward()} advances the step, {@link #forwardWithSameNoise()} does not.
 * Not thread-safe: one graph is replayed by one thread at a time (its kernels use the compute pool).
 */
public final class Graph implements AutoCloseable {
    private final String name;
    private final DType dtype;
    private final TensorScope workspace;
    private final Node[] nodes;
    private final Op[] ops;
    private final Op[] noiseOps;
    /** The graph's own nodes with a gradient (parameters' gradients belong to the parameters). */
    private final Node[] gradientNodes;
    private final Parameter[] parameters;
    private final Op[][] backwardPlans;
    private final long seed;
    private long noiseStep;
    private boolean noiseDrawn;

    Graph(String name, DType dtype, TensorScope workspace, List<Node> nodes, List<Op> ops, long seed) {
        this.name = name;
        this.dtype = dtype;
        this.workspace = workspace;
        this.nodes = nodes.toArray(Node[]::new);
        this.ops = ops.toArray(Op[]::new);
        this.seed = seed;
        List<Op> noisy = new ArrayList<>();
        for (Op op : ops) {
            if (op.drawsNoise()) {
                noisy.add(op);
            }
        }
        this.noiseOps = noisy.toArray(Op[]::new);
        List<Node> gradNodes = new ArrayList<>();
        List<Parameter> params = new ArrayList<>();
        for (Node n : nodes) {
            if (n.kind() == Node.Kind.PARAMETER) {
                if (n.requiresGrad()) {
                    params.add(n.parameter());
                }
            } else if (n.requiresGrad()) {
                gradNodes.add(n);
            }
        }
        this.gradientNodes = gradNodes.toArray(Node[]::new);
        this.parameters = params.toArray(Parameter[]::new);
        this.backwardPlans = new Op[this.nodes.length][];
    }

    /** A builder for a graph of {@code dtype} whose kernels use the common compute pool. */
    public static GraphBuilder builder(String name, DType dtype) {
        return new GraphBuilder(name, dtype, ae.tensor.ComputePool.common());
    }

    /** A builder whose kernels run on {@code pool}. */
    public static GraphBuilder builder(String name, DType dtype, ae.tensor.ComputePool pool) {
        return new GraphBuilder(name, dtype, pool);
    }

    /** The graph's name, for messages. */
    public String name() {
        return name;
    }

    /** The element type every node of this graph computes in. */
    public DType dtype() {
        return dtype;
    }

    /** Draws fresh noise (the next noise step) and computes every node. */
    public void forward() {
        noiseStep++;
        drawNoise();
        replay();
    }

    /**
     * Computes every node with the noise of the last {@link #forward()}: what a gradient check needs, and what
     * evaluates a loss with the same corruption as the step before.
     */
    public void forwardWithSameNoise() {
        if (!noiseDrawn) {
            drawNoise();
        }
        replay();
    }

    private void drawNoise() {
        for (Op op : noiseOps) {
            op.drawNoise(seed, noiseStep);
        }
        noiseDrawn = true;
    }

    private void replay() {
        for (Op op : ops) {
            op.forward();
        }
    }

    /** The noise step of the last fresh forward: saving it with a checkpoint lets a resumed run draw the same noise. */
    public long noiseStep() {
        return noiseStep;
    }

    /** Makes the next {@link #forward()} draw the noise of step {@code step + 1}. */
    public void seekNoise(long step) {
        this.noiseStep = step;
        this.noiseDrawn = false;
    }

    /**
     * Gradients of the scalar {@code loss} with respect to every node that has one, replacing the previous ones;
     * this graph's parameters' gradients are overwritten too.
     */
    public void backward(Node loss) {
        requireScalar(loss);
        prepareBackward(loss, true);
        Elements.setScalar(loss.claimGradient().tensor(), 1);
        runBackward(loss);
    }

    /**
     * Like {@link #backward(Node)}, but ADDS to the parameters' gradients: to sum gradients over several graphs or
     * several batches before one update. The caller zeroes them ({@link ParameterStore#zeroGradients()}).
     */
    public void backwardAccumulating(Node loss) {
        requireScalar(loss);
        prepareBackward(loss, false);
        Elements.setScalar(loss.claimGradient().tensor(), 1);
        runBackward(loss);
    }

    /**
     * The vector-Jacobian product: gradients of {@code sum(output * seedGradient)}, i.e. back-propagates
     * {@code seedGradient} from any node. Seeding one column of a batch's output with ones yields, for every sample,
     * one row of its Jacobian.
     */
    public void backward(Node output, Tensor seedGradient) {
        requireOwned(output);
        Shapes.requireShape("seed gradient for node '" + output.name() + "'", seedGradient, output.rows(),
                output.cols());
        prepareBackward(output, true);
        output.claimGradient().tensor().copyFrom(seedGradient);
        runBackward(output);
    }

    private void prepareBackward(Node from, boolean zeroParameters) {
        requireOwned(from);
        if (!from.requiresGrad()) {
            throw new IllegalArgumentException("node '" + from.name() + "' depends on nothing that needs a gradient");
        }
        // Gradients are not cleared here: each stands for zeros until its first contributor overwrites it
        // (Node.claimGradient) or one that adds resolves it (Node.resolvePendingGradient), which zeroes it.
        for (Node n : gradientNodes) {
            n.markGradientPending();
        }
        for (Op op : ops) {
            op.zeroAccumulators();
        }
        if (zeroParameters) {
            for (Parameter p : parameters) {
                p.markGradientPending();
            }
        }
    }

    private void runBackward(Node from) {
        Op[] plan = backwardPlans[from.id()];
        if (plan == null) {
            plan = planBackward(from);
            backwardPlans[from.id()] = plan;
        }
        for (Op op : plan) {
            op.backward();
        }
        // Gradients this loss does not reach are cleared now, so that after a backward pass every gradient tensor
        // holds its value, also for callers that kept a reference to the tensor.
        for (Node n : gradientNodes) {
            n.resolvePendingGradient();
        }
        for (Parameter p : parameters) {
            p.resolvePendingGradient();
        }
    }

    /** The operations {@code from} depends on that carry a gradient, in reverse recording order. */
    private Op[] planBackward(Node from) {
        boolean[] needed = new boolean[nodes.length];
        needed[from.id()] = true;
        List<Op> plan = new ArrayList<>();
        for (int i = ops.length - 1; i >= 0; i--) {
            Op op = ops[i];
            if (needed[op.output().id()] && op.output().requiresGrad()) {
                plan.add(op);
                for (Node input : op.inputs()) {
                    needed[input.id()] = true;
                }
            }
        }
        return plan.toArray(Op[]::new);
    }

    private void requireScalar(Node loss) {
        requireOwned(loss);
        if (loss.rows() != 1 || loss.cols() != 1) {
            throw new IllegalArgumentException("a loss must be 1 x 1; node '" + loss.name() + "' is "
                    + loss.rows() + " x " + loss.cols()
                    + " (reduce it with sum or mean, or seed it with backward(node, seed))");
        }
    }

    private void requireOwned(Node node) {
        if (node.id() >= nodes.length || nodes[node.id()] != node) {
            throw new IllegalArgumentException("node '" + node.name() + "' belongs to another graph than '"
                    + name + "'");
        }
    }

    /** The value of a 1 x 1 node after a forward pass. */
    public double scalar(Node node) {
        requireOwned(node);
        if (node.rows() != 1 || node.cols() != 1) {
            throw new IllegalArgumentException("node '" + node.name() + "' is " + node.rows() + " x "
                    + node.cols() + ", not a scalar");
        }
        return Elements.scalar(node.value());
    }

    /**
     * Makes {@code input} read {@code data} directly instead of its own buffer: a batch buffer refilled in place need
     * be bound only once. The data must be contiguous, of this graph's dtype and the input's shape.
     */
    public void bind(Node input, Tensor data) {
        requireOwned(input);
        if (input.kind() != Node.Kind.INPUT) {
            throw new IllegalArgumentException("only inputs can be bound; node '" + input.name() + "' is "
                    + input.kind());
        }
        if (data.dtype() != dtype) {
            throw new IllegalArgumentException("graph '" + name + "' is " + dtype + " but the data bound to '"
                    + input.name() + "' is " + data.dtype());
        }
        if (data.rank() != 2 || data.rows() != input.rows() || data.cols() != input.cols()) {
            throw new IllegalArgumentException("input '" + input.name() + "' is " + input.rows() + " x " + input.cols()
                    + " but the data has shape " + Shapes.format(data.shape()));
        }
        if (!data.isContiguous()) {
            throw new IllegalArgumentException("data bound to '" + input.name() + "' must be contiguous");
        }
        input.rebind(data);
    }

    /** The node called {@code nodeName}. */
    public Node node(String nodeName) {
        for (Node n : nodes) {
            if (n.name().equals(nodeName)) {
                return n;
            }
        }
        throw new IllegalArgumentException("graph '" + name + "' has no node '" + nodeName + "'");
    }

    /** Parameters that receive gradients from this graph, in order of first use. */
    public List<Parameter> parameters() {
        return List.of(parameters);
    }

    /** Inputs declared with a gradient ({@link GraphBuilder#inputWithGradient}). */
    public List<Node> differentiableInputs() {
        List<Node> result = new ArrayList<>();
        for (Node n : nodes) {
            if (n.kind() == Node.Kind.INPUT && n.requiresGrad()) {
                result.add(n);
            }
        }
        return Collections.unmodifiableList(result);
    }

    /** Labels of the operations that read {@code node}: how gradient-check failures name the op. */
    public List<String> consumers(Node node) {
        List<String> labels = new ArrayList<>();
        for (Op op : ops) {
            for (Node input : op.inputs()) {
                if (input == node) {
                    labels.add(op.label());
                    break;
                }
            }
        }
        return labels;
    }

    /** The node that holds {@code parameter} in this graph. */
    public Node nodeOf(Parameter parameter) {
        for (Node n : nodes) {
            if (n.parameter() == parameter) {
                return n;
            }
        }
        throw new IllegalArgumentException("parameter '" + parameter.name() + "' is not used by graph '" + name + "'");
    }

    /** One line per operation, in execution order. */
    public String describe() {
        StringBuilder sb = new StringBuilder("graph '" + name + "' (" + dtype + ")\n");
        for (Op op : ops) {
            sb.append("  ").append(op.label()).append('\n');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        workspace.close();
    }

    @Override
    public String toString() {
        return "Graph[" + name + ", " + ops.length + " ops, " + dtype + "]";
    }
}
