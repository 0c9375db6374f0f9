package ae.autodiff;

import ae.tensor.Activation;
import ae.tensor.ComputePool;
import ae.tensor.DType;
import ae.tensor.Kernels;
import ae.tensor.Tensor;
import ae.tensor.TensorOps;
import ae.tensor.TensorScope;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Records the operations of a {@link Graph}. Every method allocates its output (and gradient, when something upstream
 * needs one) at once, so shapes are fixed here: build one graph per batch size.
 *
 * <p>Conventions: nodes are 2-D, rows index samples; losses and penalties are 1 x 1 nodes, summed over features and
 * averaged over rows (the batch), so that {@code add(loss, scale(penalty, lambda))} composes them. Parameters of
 * shape [n] (biases) appear as 1 x n nodes.
 *
 * <pre>{@code
 * GraphBuilder b = Graph.builder("r1", DType.F32);
 * Node x = b.input("x", 128, 784);
 * Node h = b.linear(x, w1, b1, Activation.SIGMOID);
 * Node logits = b.linear(h, w2, b2, Activation.IDENTITY);
 * Node loss = b.add(b.binaryCrossEntropyWithLogits(logits, x), b.scale(b.contractivePenalty(h), 0.1));
 * Graph g = b.build();
 * }</pre>
 */
public final class GraphBuilder {
    private final String name;
    private final DType dtype;
    private final TensorScope scope;
    private final ComputePool pool;
    private Kernels kernels = Kernels.preferred();
    private Workspace workspace;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Op> ops = new ArrayList<>();
    private final Map<Parameter, Node> parameterNodes = new IdentityHashMap<>();
    private long seed;
    private boolean built;

    GraphBuilder(String name, DType dtype, ComputePool pool) {
        this.name = Objects.requireNonNull(name, "name");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.scope = TensorScope.open("graph '" + name + "' workspace");
    }

    /**
     * The kernel providers every operation of this graph uses (default: the preferred ones, SIMD unless
     * {@code -Dae.simd=false}); only before the first node.
     */
    public GraphBuilder kernels(Kernels kernels) {
        if (workspace != null) {
            throw new IllegalStateException("kernels must be chosen before the first node of graph '" + name + "'");
        }
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        return this;
    }

    private Workspace workspace() {
        if (workspace == null) {
            workspace = new Workspace(scope, dtype, pool, kernels.gemm(), TensorOps.create(pool, kernels));
        }
        return workspace;
    }

    /** Seed of the graph's random numbers (corruption, sampling, probes); 0 unless set. */
    public GraphBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** The element type of every node this builder records. */
    public DType dtype() {
        return dtype;
    }

    // ---- leaves

    /** Data written into {@code value()} (or bound) before each forward; no gradient. */
    public Node input(String inputName, int rows, int cols) {
        return leaf(inputName, rows, cols, false);
    }

    /** An input whose gradient is wanted: for Jacobians, gradient checks with respect to data, adversarial inputs. */
    public Node inputWithGradient(String inputName, int rows, int cols) {
        return leaf(inputName, rows, cols, true);
    }

    private Node leaf(String leafName, int rows, int cols, boolean withGradient) {
        checkOpen();
        requirePositive(leafName, rows, cols);
        for (Node n : nodes) {
            if (n.name().equals(leafName)) {
                throw new IllegalArgumentException("graph '" + name + "' already has a node called '" + leafName + "'");
            }
        }
        Tensor value = workspace().allocate(rows, cols);
        Tensor grad = withGradient ? workspace().allocate(rows, cols) : null;
        return register(new Node(nodes.size(), leafName, Node.Kind.INPUT, rows, cols, value, gradientOf(grad), null));
    }

    /** The node of a learnable parameter; asking twice for the same parameter gives the same node. */
    public Node parameter(Parameter p) {
        return parameterNode(p, true);
    }

    /** A parameter read but not trained by this graph: no gradient reaches it (greedy layer-wise training). */
    public Node frozen(Parameter p) {
        return parameterNode(p, false);
    }

    private Node parameterNode(Parameter p, boolean learnable) {
        checkOpen();
        Node existing = parameterNodes.get(p);
        if (existing != null) {
            if (existing.requiresGrad() != learnable) {
                throw new IllegalArgumentException("parameter '" + p.name() + "' is used both frozen and learnable");
            }
            return existing;
        }
        if (p.dtype() != dtype) {
            throw new IllegalArgumentException("parameter '" + p.name() + "' is " + p.dtype() + " but graph '" + name
                    + "' is " + dtype);
        }
        Tensor value = p.value();
        int rows = value.rank() == 1 ? 1 : value.dim(0);
        int cols = value.rank() == 1 ? value.dim(0) : value.dim(1);
        Node node = new Node(nodes.size(), p.name(), Node.Kind.PARAMETER, rows, cols, value,
                learnable ? p.gradientBuffer() : null, p);
        parameterNodes.put(p, node);
        return register(node);
    }

    // ---- layers

    /** {@code act(x W^T + b)} with W of shape [out, in] and b of shape [out] (or null). */
    public Node linear(Node x, Parameter weight, Parameter bias, Activation activation) {
        return linear(x, parameter(weight), bias == null ? null : parameter(bias), activation);
    }

    /** {@code act(x W^T + b)} with weight and bias given as nodes (parameter or frozen). */
    public Node linear(Node x, Node weight, Node bias, Activation activation) {
        return linearLayer(x, weight, bias, false, activation);
    }

    /**
     * The tied layer {@code act(x W + b)}: W is another layer's [out, in] weight used transposed, so x has W.rows
     * columns and the output W.cols.
     */
    public Node tiedLinear(Node x, Parameter weight, Parameter bias, Activation activation) {
        return tiedLinear(x, parameter(weight), bias == null ? null : parameter(bias), activation);
    }

    /** {@link #tiedLinear(Node, Parameter, Parameter, Activation)} with nodes. */
    public Node tiedLinear(Node x, Node weight, Node bias, Activation activation) {
        return linearLayer(x, weight, bias, true, activation);
    }

    private Node linearLayer(Node x, Node weight, Node bias, boolean tied, Activation activation) {
        own(x);
        own(weight);
        Objects.requireNonNull(activation, "activation");
        int in = tied ? weight.rows() : weight.cols();
        int out = tied ? weight.cols() : weight.rows();
        if (x.cols() != in) {
            throw new IllegalArgumentException((tied ? "tiedLinear" : "linear") + ": input '" + x.name() + "' has "
                    + x.cols() + " columns but weight '" + weight.name() + "' (" + weight.rows() + " x " + weight.cols()
                    + (tied ? ", used transposed" : "") + ") expects " + in);
        }
        if (weight.kind() != Node.Kind.PARAMETER || weight.value().rank() != 2) {
            throw new IllegalArgumentException("weight '" + weight.name() + "' must be a matrix parameter");
        }
        if (bias != null) {
            own(bias);
            if (bias.kind() != Node.Kind.PARAMETER || bias.value().rank() != 1 || bias.cols() != out) {
                throw new IllegalArgumentException("bias '" + bias.name() + "' must be a vector parameter of " + out
                        + " elements, is " + bias.rows() + " x " + bias.cols());
            }
        }
        Node output = computed(tied ? "tiedLinear" : "linear", x.rows(), out, x, weight, bias);
        return record(new LinearOp(workspace(), x, weight, bias, tied, activation, output));
    }

    /** {@code act(x)} elementwise. */
    public Node activation(Node x, Activation activation) {
        own(x);
        Node output = computed(activation.name().toLowerCase(java.util.Locale.ROOT), x.rows(), x.cols(), x);
        return record(new ActivationOp(workspace(), x, activation, output));
    }

    // ---- elementwise and reductions

    /** The elementwise sum {@code a + b} of two nodes of one shape. */
    public Node add(Node a, Node b) {
        return elementwise(ElementwiseOp.Kind.ADD, a, b);
    }

    /** The elementwise difference {@code a - b} of two nodes of one shape. */
    public Node subtract(Node a, Node b) {
        return elementwise(ElementwiseOp.Kind.SUBTRACT, a, b);
    }

    /** The elementwise (Hadamard) product. */
    public Node multiply(Node a, Node b) {
        return elementwise(ElementwiseOp.Kind.MULTIPLY, a, b);
    }

    private Node elementwise(ElementwiseOp.Kind kind, Node a, Node b) {
        own(a);
        own(b);
        requireSameShape(kind.name().toLowerCase(java.util.Locale.ROOT), a, b);
        Node output = computed(kind.name().toLowerCase(java.util.Locale.ROOT), a.rows(), a.cols(), a, b);
        return record(new ElementwiseOp(workspace(), kind, a, b, output));
    }

    /** {@code factor * x}: how a penalty gets its weight. */
    public Node scale(Node x, double factor) {
        own(x);
        Node output = computed("scale", x.rows(), x.cols(), x);
        return record(new ScaleOp(workspace(), x, factor, output));
    }

    /** The sum of all elements, 1 x 1. */
    public Node sum(Node x) {
        own(x);
        return record(new SumOp(workspace(), "sum", x, 1, false, computed("sum", 1, 1, x)));
    }

    /** The mean of all elements, 1 x 1. */
    public Node mean(Node x) {
        own(x);
        return record(new SumOp(workspace(), "mean", x, 1.0 / ((double) x.rows() * x.cols()), false,
                computed("mean", 1, 1, x)));
    }

    /** The sum of squares of all elements, 1 x 1: weight decay on a parameter node. */
    public Node sumOfSquares(Node x) {
        own(x);
        return record(new SumOp(workspace(), "sumOfSquares", x, 1, true, computed("sumOfSquares", 1, 1, x)));
    }

    // ---- losses and penalties (summed over features, averaged over rows)

    /** Stable binary cross-entropy of {@code sigmoid(logits)} against targets in [0, 1]. */
    public Node binaryCrossEntropyWithLogits(Node logits, Node target) {
        own(logits);
        own(target);
        requireSameShape("binaryCrossEntropyWithLogits", logits, target);
        return record(new BceWithLogitsOp(workspace(), logits, target, computed("bce", 1, 1, logits, target)));
    }

    /** Squared error {@code sum_j (p_j - t_j)^2}, averaged over rows. */
    public Node squaredError(Node prediction, Node target) {
        own(prediction);
        own(target);
        requireSameShape("squaredError", prediction, target);
        return record(new SquaredErrorOp(workspace(), prediction, target,
                computed("squaredError", 1, 1, prediction, target)));
    }

    /** The L1 penalty {@code sum_j |h_j|}, averaged over rows. */
    public Node l1(Node h) {
        own(h);
        return record(new L1Op(h, computed("l1", 1, 1, h)));
    }

    /** {@code sum_j KL(rho || mean over the batch of h_j)} for activations in (0, 1). */
    public Node klSparsity(Node h, double rho) {
        own(h);
        return record(new KlSparsityOp(workspace(), h, rho, computed("klSparsity", 1, 1, h)));
    }

    /** {@code KL(N(mu, exp(logVariance)) || N(0, I))}, averaged over rows. */
    public Node gaussianKl(Node mu, Node logVariance) {
        own(mu);
        own(logVariance);
        requireSameShape("gaussianKl", mu, logVariance);
        return record(new GaussianKlOp(mu, logVariance, computed("gaussianKl", 1, 1, mu, logVariance)));
    }

    // ---- noise

    /** {@code mu + exp(logVariance / 2) * eps}, eps ~ N(0, I) redrawn every fresh forward. */
    public Node reparameterize(Node mu, Node logVariance) {
        own(mu);
        own(logVariance);
        requireSameShape("reparameterize", mu, logVariance);
        Node output = computed("z", mu.rows(), mu.cols(), mu, logVariance);
        return record(new ReparameterizeOp(workspace(), mu, logVariance, ops.size(), output));
    }

    /** Each element zeroed with probability {@code dropProbability}. */
    public Node maskingNoise(Node x, double dropProbability) {
        return corruption(CorruptionOp.Kind.MASKING, dropProbability, x);
    }

    /** {@code x + N(0, sigma^2)} elementwise. */
    public Node gaussianNoise(Node x, double sigma) {
        return corruption(CorruptionOp.Kind.GAUSSIAN, sigma, x);
    }

    /**
     * {@code x + N(0, sigma^2)} elementwise with {@code sigma = scale.at(step)} at each fresh forward's noise step: a
     * noise level that follows a schedule over training.
     */
    public Node gaussianNoise(Node x, NoiseScale scale) {
        Objects.requireNonNull(scale, "scale");
        own(x);
        Node output = computed("corrupted", x.rows(), x.cols(), x);
        return record(new CorruptionOp(workspace(), scale, x, ops.size(), output));
    }

    /**
     * {@code x + N(0, sigma^2)} elementwise, {@code sigma = scale.at(step)}, where the noise of row {@code r} is a
     * function of the graph seed and of the values of row {@code r} of {@code key} alone (Salakhutdinov and Hinton's
     * "deterministic noise"): an example, identified by its row of {@code key} (say the graph's input), gets the same
     * noise at every step, different examples independent draws. No gradient reaches {@code key}; throws
     * {@link IllegalArgumentException} if {@code key} has not one row per row of {@code x}.
     */
    public Node exampleNoise(Node x, Node key, NoiseScale scale) {
        Objects.requireNonNull(scale, "scale");
        own(x);
        own(key);
        Node output = computed("corrupted", x.rows(), x.cols(), x);
        return record(new ExampleNoiseOp(workspace(), scale, x, key, ops.size(), output));
    }

    /** Each element replaced, with probability {@code probability}, by 0 or 1 with equal chance. */
    public Node saltAndPepperNoise(Node x, double probability) {
        return corruption(CorruptionOp.Kind.SALT_AND_PEPPER, probability, x);
    }

    private Node corruption(CorruptionOp.Kind kind, double level, Node x) {
        own(x);
        Node output = computed("corrupted", x.rows(), x.cols(), x);
        return record(new CorruptionOp(workspace(), kind, level, x, ops.size(), output));
    }

    // ---- structure

    /** Parts joined along rows (axis 0) or columns (axis 1). */
    public Node concat(int axis, Node... parts) {
        requireAxis(axis);
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat needs at least one part");
        }
        int rows = 0;
        int cols = 0;
        for (Node p : parts) {
            own(p);
            if (axis == 0) {
                if (p.cols() != parts[0].cols()) {
                    throw new IllegalArgumentException("concat along rows: '" + p.name() + "' has " + p.cols()
                            + " columns, '" + parts[0].name() + "' " + parts[0].cols());
                }
                rows += p.rows();
                cols = p.cols();
            } else {
                if (p.rows() != parts[0].rows()) {
                    throw new IllegalArgumentException("concat along columns: '" + p.name() + "' has " + p.rows()
                            + " rows, '" + parts[0].name() + "' " + parts[0].rows());
                }
                cols += p.cols();
                rows = p.rows();
            }
        }
        Node output = computed("concat", rows, cols, parts);
        return record(ConcatOp.concat(axis, parts, output));
    }

    /** Rows (axis 0) or columns (axis 1) {@code [from, to)} of x. */
    public Node slice(Node x, int axis, int from, int to) {
        own(x);
        requireAxis(axis);
        int extent = axis == 0 ? x.rows() : x.cols();
        if (from < 0 || to > extent || from >= to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") along axis " + axis + " of '"
                    + x.name() + "' (" + x.rows() + " x " + x.cols() + ")");
        }
        Node output = axis == 0 ? computed("slice", to - from, x.cols(), x) : computed("slice", x.rows(), to - from, x);
        return record(ConcatOp.slice(axis, x, from, output));
    }

    /** x cut along {@code axis} into consecutive parts of the given sizes, which must add up to its extent. */
    public List<Node> split(Node x, int axis, int... sizes) {
        requireAxis(axis);
        int total = 0;
        for (int s : sizes) {
            total += s;
        }
        int extent = axis == 0 ? x.rows() : x.cols();
        if (total != extent) {
            throw new IllegalArgumentException("split sizes add up to " + total + " but '" + x.name() + "' has "
                    + extent + " along axis " + axis);
        }
        List<Node> parts = new ArrayList<>();
        int from = 0;
        for (int s : sizes) {
            parts.add(slice(x, axis, from, from + s));
            from += s;
        }
        return parts;
    }

    // ---- fused penalties

    /**
     * The mean over the batch of {@code ||dh/dx||_F^2} for a layer {@code h = act(x W^T + b)} (h must be the output of
     * {@link #linear} or {@link #tiedLinear}), in closed form: O(batch x out + out x in), no extra GEMM.
     */
    public Node contractivePenalty(Node h) {
        LinearOp layer = producingLayer(h, "contractivePenalty");
        return record(new ContractivePenaltyOp(workspace(), layer,
                computed("contractivePenalty", 1, 1, h, layer.weight())));
    }

    /**
     * The CAE+H penalty: the mean over the batch and over {@code corruptions} draws of
     * {@code ||J(x) - J(x + eps)||_F^2}, eps ~ N(0, sigma^2 I), for a layer as in {@link #contractivePenalty}.
     */
    public Node higherOrderContractivePenalty(Node h, double sigma, int corruptions) {
        LinearOp layer = producingLayer(h, "higherOrderContractivePenalty");
        Node output = computed("higherOrderContractivePenalty", 1, 1, h, layer.x(), layer.weight());
        return record(new HigherOrderContractiveOp(workspace(), layer, sigma, corruptions, ops.size(), output));
    }

    /**
     * The exact mean over the batch of {@code ||dh/dx||_F^2} for a deep encoder from x to h made of linear layers and
     * activations, by one forward-mode Jacobian-vector product per input dimension (all stacked: memory grows as
     * batch x in x width). Differentiable through the tape.
     */
    public Node jacobianNormSquared(Node x, Node h) {
        return jacobianNorm(x, h, 0);
    }

    /**
     * An unbiased Hutchinson estimate of {@link #jacobianNormSquared}: the mean of {@code ||J v||^2} over
     * {@code probes} Rademacher vectors v per sample, redrawn every fresh forward. Differentiable through the tape.
     */
    public Node jacobianNormSquaredEstimate(Node x, Node h, int probes) {
        if (probes < 1) {
            throw new IllegalArgumentException("the Hutchinson estimate needs at least one probe, got " + probes);
        }
        return jacobianNorm(x, h, probes);
    }

    /**
     * The per-example Jacobians {@code dh/dx} of a deep encoder made of linear layers and activations, exactly, by
     * one forward-mode Jacobian-vector product per input dimension: a {@code (d n) x k} node whose row
     * {@code p n + i} is column p of the Jacobian of example i (the k partial derivatives of h_i along input p).
     * Differentiable through the tape.
     */
    public Node jacobian(Node x, Node h) {
        return forwardTangents(x, h, 0, "jacobian");
    }

    private Node jacobianNorm(Node x, Node h, int probes) {
        Node tangent = forwardTangents(x, h, probes, "jacobianNormSquared");
        int n = x.rows();
        double scale = 1.0 / ((double) n * (probes == 0 ? 1 : probes));
        String label = probes == 0 ? "jacobianNormSquared" : "jacobianNormSquaredEstimate";
        return record(new SumOp(workspace(), label, tangent, scale, true, computed(label, 1, 1, tangent)));
    }

    /** The stacked products J(x) v for every probe v: the standard basis when {@code probes == 0}. */
    private Node forwardTangents(Node x, Node h, int probes, String caller) {
        own(x);
        own(h);
        List<Op> path = new ArrayList<>();
        Node at = h;
        while (at != x) {
            Op producer = at.producer();
            if (producer instanceof LinearOp layer) {
                path.add(layer);
                at = layer.x();
            } else if (producer instanceof ActivationOp act) {
                path.add(act);
                at = act.x();
            } else {
                throw new IllegalArgumentException(caller + ": the path from '" + h.name() + "' back to '"
                        + x.name() + "' reaches '" + at.name() + "', which is not made by linear, tiedLinear or an "
                        + "activation");
            }
        }
        if (path.isEmpty()) {
            throw new IllegalArgumentException(caller + ": '" + h.name() + "' is '" + x.name() + "' itself");
        }
        int n = x.rows();
        int copies = probes == 0 ? x.cols() : probes;
        if ((long) copies * n > Integer.MAX_VALUE / Math.max(1, x.cols())) {
            throw new IllegalArgumentException(caller + ": " + copies + " probes of " + n + " x " + x.cols()
                    + " do not fit one tensor");
        }
        Node tangent = computed(probes == 0 ? "basisProbes" : "probes", copies * n, x.cols());
        record(new ProbeOp(probes == 0, n, ops.size(), tangent));
        for (int i = path.size() - 1; i >= 0; i--) {
            Op op = path.get(i);
            if (op instanceof LinearOp layer) {
                Node out = computed("tangent", copies * n, layer.outFeatures(), tangent, layer.output(),
                        layer.weight());
                tangent = record(new TangentOp(workspace(), tangent, layer, out));
            } else {
                ActivationOp act = (ActivationOp) op;
                Node out = computed("tangent", copies * n, act.output().cols(), tangent, act.output(), act.x());
                tangent = record(new TangentOp(tangent, act, out));
            }
        }
        return tangent;
    }

    // ---- extension

    /** A caller-defined operation with a rows x cols output. */
    public Node apply(Primitive primitive, int rows, int cols, Node... inputs) {
        for (Node in : inputs) {
            own(in);
        }
        requirePositive(primitive.name(), rows, cols);
        Node output = computed(primitive.name(), rows, cols, inputs);
        return record(new CustomOp(primitive, inputs, output));
    }

    /** Freezes the recording; the builder cannot be used afterwards. */
    public Graph build() {
        checkOpen();
        built = true;
        return new Graph(name, dtype, scope, nodes, ops, seed);
    }

    /** Frees the workspace of a graph that will not be built. */
    public void abandon() {
        if (!built) {
            built = true;
            scope.close();
        }
    }

    // ---- helpers

    private LinearOp producingLayer(Node h, String what) {
        own(h);
        if (h.producer() instanceof LinearOp layer) {
            return layer;
        }
        throw new IllegalArgumentException(what + " needs the output of linear or tiedLinear; '" + h.name()
                + "' is made by " + (h.producer() == null ? "no operation" : h.producer().label()));
    }

    private Node computed(String opName, int rows, int cols, Node... inputs) {
        checkOpen();
        boolean needsGradient = false;
        for (Node in : inputs) {
            if (in != null && in.requiresGrad()) {
                needsGradient = true;
            }
        }
        Tensor value = workspace().allocate(rows, cols);
        Tensor grad = needsGradient ? workspace().allocate(rows, cols) : null;
        return register(new Node(nodes.size(), opName + "#" + nodes.size(), Node.Kind.COMPUTED, rows, cols, value,
                gradientOf(grad), null));
    }

    private Node register(Node node) {
        nodes.add(node);
        return node;
    }

    private static GradientBuffer gradientOf(Tensor grad) {
        return grad == null ? null : new GradientBuffer(grad);
    }

    private Node record(Op op) {
        ops.add(op);
        op.output().producer(op);
        return op.output();
    }

    private void own(Node node) {
        Objects.requireNonNull(node, "node");
        checkOpen();
        if (node.id() >= nodes.size() || nodes.get(node.id()) != node) {
            throw new IllegalArgumentException("node '" + node.name() + "' belongs to another graph than '"
                    + name + "'");
        }
    }

    private void checkOpen() {
        if (built) {
            throw new IllegalStateException("graph '" + name + "' is already built");
        }
    }

    private static void requirePositive(String what, int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException(what + ": shape " + rows + " x " + cols + " must be positive");
        }
    }

    private static void requireAxis(int axis) {
        if (axis != 0 && axis != 1) {
            throw new IllegalArgumentException("axis must be 0 (rows) or 1 (columns), got " + axis);
        }
    }

    private static void requireSameShape(String what, Node a, Node b) {
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw new IllegalArgumentException(what + ": '" + a.name() + "' is " + a.rows() + " x " + a.cols()
                    + " but '" + b.name() + "' is " + b.rows() + " x " + b.cols());
        }
    }
}
