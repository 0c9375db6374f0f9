package ae.models;

import ae.autodiff.GraphBuilder;
import ae.autodiff.Node;
import ae.autodiff.Parameter;
import ae.tensor.Activation;

/**
 * What a part reads while a graph of its model is recorded: the builder, the model's parameters by name, whether
 * they are trained by this graph, and whether stochastic parts draw samples (training, and Monte Carlo estimates) or
 * take their means (encoding).
 */
public final class GraphContext {
    private final GraphBuilder builder;
    private final ModelParameters parameters;
    private final boolean learnable;
    private final boolean sampling;

    GraphContext(GraphBuilder builder, ModelParameters parameters, boolean learnable, boolean sampling) {
        this.builder = builder;
        this.parameters = parameters;
        this.learnable = learnable;
        this.sampling = sampling;
    }

    /** The builder recording the graph. */
    public GraphBuilder builder() {
        return builder;
    }

    /** True when this graph trains the parameters it reads. */
    public boolean learnable() {
        return learnable;
    }

    /** True when stochastic parts sample; false when they take their means. */
    public boolean sampling() {
        return sampling;
    }

    /** The parameter called {@code name}. */
    public Parameter parameter(String name) {
        return parameters.get(name);
    }

    /** The node of parameter {@code name}: trained or frozen as this graph says. */
    public Node node(String name) {
        Parameter p = parameters.get(name);
        return learnable ? builder.parameter(p) : builder.frozen(p);
    }

    /**
     * The dense layer {@code act(x W^T + b)} over parameters {@code <prefix>.weight} and {@code <prefix>.bias};
     * with {@code tiedWeight} non-null, {@code act(x W + b)} with W that other layer's weight.
     */
    public Node dense(Node x, String prefix, String tiedWeight, Activation activation) {
        Node weight = node(tiedWeight != null ? tiedWeight : prefix + ".weight");
        Node bias = node(prefix + ".bias");
        return tiedWeight != null ? builder.tiedLinear(x, weight, bias, activation)
                : builder.linear(x, weight, bias, activation);
    }

    GraphContext frozen() {
        return new GraphContext(builder, parameters, false, sampling);
    }
}
