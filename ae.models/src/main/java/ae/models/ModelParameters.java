package ae.models;

import ae.autodiff.Parameter;
import ae.autodiff.ParameterStore;
import ae.tensor.DType;
import ae.tensor.Rng;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The learned tensors of a {@link ModelConfig}, declared by its parts through a {@link ParameterPlan} in a fixed
 * order (encoder, decoder, likelihood, training procedure), named as docs/checkpoint-format.md documents, and drawn from the training seed
 * with one random stream per declared parameter.
 */
final class ModelParameters implements AutoCloseable {
    /** Rng stream of weight initialization, apart from every other use of the training seed. */
    private static final long INIT_STREAM = 0x1A17L;

    /** How one parameter starts: uniform in [-bound, bound] (0: all zeros), or a constant. */
    record Start(Parameter parameter, double bound, double constant) {
    }

    final ModelConfig config;
    final ParameterStore store;
    /** One entry per random stream; a null parameter keeps a stream for a tied weight. */
    private final List<Start> starts = new ArrayList<>();

    /** Without a store, declarations only record their shapes here. */
    private final Map<String, int[]> declaredShapes = new LinkedHashMap<>();

    ModelParameters(ModelConfig config, DType dtype) {
        this(config, ParameterStore.open("parameters of " + config.name(), dtype));
    }

    private ModelParameters(ModelConfig config, ParameterStore store) {
        this.config = config;
        this.store = store;
        try {
            ParameterPlan plan = new ParameterPlan(this);
            config.encoder().declare(plan, config.inputDimension());
            config.decoder().declare(plan, config.encoder().codeSize());
            config.likelihood().declare(plan, config.inputDimension());
            config.procedure().declare(plan, config);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * The names and shapes of the parameters {@code config} declares, in order, with nothing allocated: what a
     * checkpoint is checked against before a model of a size its configuration claims is built.
     */
    static Map<String, int[]> declaredShapes(ModelConfig config) {
        return new ModelParameters(config, (ParameterStore) null).declaredShapes;
    }

    Parameter create(String name, double bound, double constant, int... shape) {
        if (store == null) {
            declaredShapes.put(name, shape.clone());
            return null;
        }
        Parameter p = store.create(name, shape);
        starts.add(new Start(p, bound, constant));
        return p;
    }

    void skipStream() {
        starts.add(new Start(null, 0, 0));
    }

    Initialization initialization() {
        return config.initialization();
    }

    /** Draws every parameter; parameter k of the declaration order uses stream k of the seed's Rng. */
    void initialize(long seed) {
        Rng root = Rng.seeded(seed).fork(INIT_STREAM);
        long stream = 0;
        for (Start s : starts) {
            Rng rng = root.fork(stream++);
            if (s.parameter() == null) {
                continue;
            }
            if (s.bound() == 0) {
                s.parameter().value().fill(s.constant());
            } else {
                rng.fillUniform(s.parameter().value(), -s.bound(), s.bound());
            }
        }
    }

    Parameter get(String name) {
        return store.get(name);
    }

    List<Parameter> all() {
        return store.parameters();
    }

    /** Every weight matrix (what weight decay penalizes). */
    List<Parameter> weights() {
        return all().stream().filter(p -> p.name().endsWith(".weight")).toList();
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
    }
}
