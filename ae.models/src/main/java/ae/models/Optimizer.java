package ae.models;

import ae.autodiff.Parameter;
import ae.tensor.Tensor;
import ae.tensor.TensorOps;
import ae.tensor.TensorScope;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live state of an {@link OptimizerConfig} over a list of parameters: moment buffers off-heap and the step count.
 * The updates are ae.tensor's {@link TensorOps} kernels (PyTorch's formulas); {@link #step} allocates nothing.
 */
final class Optimizer implements AutoCloseable {
    private final OptimizerConfig config;
    private final TensorOps ops;
    private final Parameter[] parameters;
    private final Tensor[] first;
    private final Tensor[] second;
    /** The parameters' values and gradients, gathered each step for the grouped update (one fork and join). */
    private final Tensor[] values;
    private final Tensor[] grads;
    private final TensorScope scope;
    private long steps;

    Optimizer(OptimizerConfig config, List<Parameter> parameters, TensorOps ops, String owner) {
        this.config = config;
        this.ops = ops;
        this.parameters = parameters.toArray(Parameter[]::new);
        this.scope = TensorScope.open("optimizer state of " + owner);
        this.first = new Tensor[this.parameters.length];
        this.second = new Tensor[this.parameters.length];
        this.values = new Tensor[this.parameters.length];
        this.grads = new Tensor[this.parameters.length];
        boolean needsFirst = !(config instanceof OptimizerConfig.Sgd s) || s.momentum() != 0;
        boolean needsSecond = !(config instanceof OptimizerConfig.Sgd);
        try {
            for (int i = 0; i < this.parameters.length; i++) {
                int[] shape = this.parameters[i].shape();
                first[i] = needsFirst ? scope.allocateFloat(shape) : null;
                second[i] = needsSecond ? scope.allocateFloat(shape) : null;
            }
        } catch (RuntimeException e) {
            scope.close();
            throw e;
        }
    }

    /** Applies one update with learning rate {@code baseRate * factor} from the parameters' current gradients. */
    void step(double factor) {
        steps++;
        double lr = config.learningRate() * factor;
        int n = parameters.length;
        for (int i = 0; i < n; i++) {
            values[i] = parameters[i].value();
            grads[i] = parameters[i].grad();
        }
        switch (config) {
            case OptimizerConfig.Sgd s -> ops.sgd(n, values, grads, first, lr, s.momentum(), 0, s.weightDecay(),
                    s.nesterov(), steps == 1);
            case OptimizerConfig.Adam a -> ops.adam(n, values, grads, first, second, lr, a.beta1(), a.beta2(),
                    a.epsilon(), a.weightDecay(), steps);
            case OptimizerConfig.AdamW a -> ops.adamW(n, values, grads, first, second, lr, a.beta1(), a.beta2(),
                    a.epsilon(), a.weightDecay(), steps);
        }
    }

    long steps() {
        return steps;
    }

    OptimizerConfig config() {
        return config;
    }

    /**
     * The first-moment (momentum) buffer of parameter {@code i} in the constructor's order, or null when the config
     * keeps none (SGD without momentum): for an owner that applies its updates by its own rule ({@link #countStep}).
     */
    Tensor firstMoment(int i) {
        return first[i];
    }

    /** Counts a step its owner applied to the buffers by its own rule (RBM pretraining's per-epoch momentum). */
    void countStep() {
        steps++;
    }

    void restoreSteps(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("optimizer step count must be >= 0, got " + count);
        }
        this.steps = count;
    }

    /**
     * The state tensors by checkpoint name: {@code optimizer.m.<parameter>} (Adam's first moment, SGD's momentum
     * buffer) and {@code optimizer.v.<parameter>} (Adam's second moment).
     */
    Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < parameters.length; i++) {
            if (first[i] != null) {
                out.put("optimizer.m." + parameters[i].name(), first[i]);
            }
            if (second[i] != null) {
                out.put("optimizer.v." + parameters[i].name(), second[i]);
            }
        }
        return out;
    }

    @Override
    public void close() {
        scope.close();
    }
}
