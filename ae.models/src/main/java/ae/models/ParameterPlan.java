package ae.models;

import ae.autodiff.Parameter;

/**
 * Where the parts of a model declare their learned tensors, in order: each declaration creates the parameter and
 * says how it starts, from the model's {@link Initialization}. Every declaration takes the next random stream of the
 * initialization, so a model's parameters start the same for the same seed whatever else changes.
 *
 * <p>A plan that only collects shapes (to check a checkpoint before anything is allocated) returns {@code null}
 * parameters: a part must not keep what a declaration returns, but look its parameters up by name.
 */
public final class ParameterPlan {
    private final ModelParameters parameters;

    ParameterPlan(ModelParameters parameters) {
        this.parameters = parameters;
    }

    /** A dense layer's [out, in] weight, drawn from the model's initialization. */
    public Parameter weight(String name, int out, int in) {
        return parameters.create(name, parameters.initialization().weightBound(in, out), 0, out, in);
    }

    /** A dense layer's bias of {@code out} values, for a layer of {@code fanIn} inputs. */
    public Parameter bias(String name, int out, int fanIn) {
        return parameters.create(name, parameters.initialization().biasBound(fanIn), 0, out);
    }

    /** A vector that starts at {@code value} everywhere (a log-variance, say). */
    public Parameter constant(String name, double value, int length) {
        return parameters.create(name, 0, value, length);
    }

    /**
     * Keeps the random stream of a parameter that is not there (a tied decoder weight), so that the parameters that
     * follow start as they would were it present.
     */
    public void skip() {
        parameters.skipStream();
    }
}
