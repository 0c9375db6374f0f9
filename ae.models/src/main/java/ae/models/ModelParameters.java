package ae.models;

import ae.autodiff.Parameter;
import ae.autodiff.ParameterStore;
import ae.tensor.DType;
import ae.tensor.Rng;
import java.util.List;

/**
 * The learned tensors of an {@link Architecture}, float32, named as documented in docs/checkpoint-format.md:
 * {@code encoder.<i>.weight} [out, in], {@code encoder.<i>.bias} [out], {@code decoder.<i>.weight} (untied only) and
 * {@code decoder.<i>.bias}. A tied decoder layer {@code i} reads {@code encoder.<L-1-i>.weight} transposed.
 */
final class ModelParameters implements AutoCloseable {
    /** Rng stream of weight initialization, apart from every other use of the training seed. */
    private static final long INIT_STREAM = 0x1A17L;

    final Architecture architecture;
    final ParameterStore store;
    final Parameter[] encoderWeights;
    final Parameter[] encoderBiases;
    /** Null entries when the weights are tied. */
    final Parameter[] decoderWeights;
    final Parameter[] decoderBiases;

    ModelParameters(String modelName, Architecture architecture) {
        this.architecture = architecture;
        this.store = ParameterStore.open("parameters of " + modelName, DType.F32);
        int enc = architecture.encoder().size();
        int dec = architecture.decoder().size();
        encoderWeights = new Parameter[enc];
        encoderBiases = new Parameter[enc];
        decoderWeights = new Parameter[dec];
        decoderBiases = new Parameter[dec];
        try {
            for (int i = 0; i < enc; i++) {
                int out = architecture.encoder().get(i).units();
                encoderWeights[i] = store.create("encoder." + i + ".weight", out, architecture.encoderInput(i));
                encoderBiases[i] = store.create("encoder." + i + ".bias", out);
            }
            for (int i = 0; i < dec; i++) {
                int out = architecture.decoder().get(i).units();
                if (!architecture.tiedWeights()) {
                    decoderWeights[i] = store.create("decoder." + i + ".weight", out, architecture.decoderInput(i));
                }
                decoderBiases[i] = store.create("decoder." + i + ".bias", out);
            }
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Draws every parameter from the architecture's initialization; parameter k uses stream k of the seed's Rng. */
    void initialize(long seed) {
        Rng root = Rng.seeded(seed).fork(INIT_STREAM);
        Initialization init = architecture.initialization();
        long stream = 0;
        for (int i = 0; i < encoderWeights.length; i++) {
            int in = architecture.encoderInput(i);
            int out = architecture.encoder().get(i).units();
            fill(root.fork(stream++), encoderWeights[i], init.weightBound(in, out));
            fill(root.fork(stream++), encoderBiases[i], init.biasBound(in));
        }
        for (int i = 0; i < decoderBiases.length; i++) {
            int in = architecture.decoderInput(i);
            int out = architecture.decoder().get(i).units();
            if (decoderWeights[i] != null) {
                fill(root.fork(stream++), decoderWeights[i], init.weightBound(in, out));
            } else {
                stream++;
            }
            fill(root.fork(stream++), decoderBiases[i], init.biasBound(in));
        }
    }

    private static void fill(Rng rng, Parameter p, double bound) {
        if (bound == 0) {
            p.value().fill(0);
        } else {
            rng.fillUniform(p.value(), -bound, bound);
        }
    }

    /** The weight used by decoder layer {@code i}: its own, or (tied) encoder layer L-1-i's used transposed. */
    Parameter decoderWeight(int i) {
        return architecture.tiedWeights() ? encoderWeights[encoderWeights.length - 1 - i] : decoderWeights[i];
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
        store.close();
    }
}
