package ae.models;

import java.util.List;
import java.util.Objects;

/**
 * Everything that defines an autoencoder before training, immutable: an {@link Encoder} from x to a code, a
 * {@link Decoder} back to x whose output parameterizes the {@link Likelihood} p(x|h), the {@link Penalty penalties},
 * a {@link Corruption} of the input, the {@link TrainingProcedure} and how parameters start. Learned state lives in a
 * {@link FittedAutoencoder}. Each part checks what it needs of the others here, so a config that exists can be trained.
 */
public record ModelConfig(String name, int inputDimension, Encoder encoder, Decoder decoder, Likelihood likelihood,
                          List<Penalty> penalties, Corruption corruption, TrainingProcedure procedure,
                          Initialization initialization) {
    public ModelConfig {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.contains("\n")) {
            throw new IllegalArgumentException("a model name must be one non-blank line, got '" + name + "'");
        }
        if (inputDimension < 1) {
            throw new IllegalArgumentException("model '" + name + "': input dimension must be >= 1, got "
                    + inputDimension);
        }
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(decoder, "decoder");
        Objects.requireNonNull(likelihood, "likelihood");
        penalties = List.copyOf(penalties);
        Objects.requireNonNull(corruption, "corruption");
        Objects.requireNonNull(procedure, "procedure");
        Objects.requireNonNull(initialization, "initialization");
        if (decoder.layers().getLast().units() != inputDimension) {
            throw new IllegalArgumentException("model '" + name + "': the decoder must end at the input dimension "
                    + inputDimension + ", its last layer has " + decoder.layers().getLast().units() + " units");
        }
        likelihood.check(name, decoder.outputActivation());
        if (decoder.tied()) {
            requireMirror(name, inputDimension, encoder, decoder);
        }
        for (Penalty p : penalties) {
            p.check(name, encoder.depth(), encoder.codeActivation());
        }
        procedure.check(name, encoder, decoder);
    }

    private static void requireMirror(String name, int inputDimension, Encoder encoder, Decoder decoder) {
        if (!(encoder instanceof DeterministicEncoder)) {
            throw new IllegalArgumentException("model '" + name + "': tied weights need a deterministic encoder, not "
                    + encoder.kind().name());
        }
        List<LayerSpec> enc = encoder.layers();
        List<LayerSpec> dec = decoder.layers();
        if (dec.size() != enc.size()) {
            throw new IllegalArgumentException("model '" + name + "': tied weights need as many decoder layers as"
                    + " encoder layers, got " + enc.size() + " and " + dec.size());
        }
        for (int i = 0; i < dec.size(); i++) {
            int expected = i == dec.size() - 1 ? inputDimension : enc.get(enc.size() - 2 - i).units();
            if (dec.get(i).units() != expected) {
                throw new IllegalArgumentException("model '" + name + "': tied decoder layer " + i + " must have "
                        + expected + " units to mirror the encoder, has " + dec.get(i).units());
            }
        }
    }

    /**
     * A model trained by backpropagation from fan-in uniform initial weights, its decoder mirroring its encoder
     * with {@code hidden} between layers and {@code output} at the end.
     */
    public static ModelConfig of(String name, int inputDimension, Encoder encoder, Decoder decoder,
                                 Likelihood likelihood, List<Penalty> penalties, Corruption corruption) {
        return new ModelConfig(name, inputDimension, encoder, decoder, likelihood, penalties, corruption,
                TrainingProcedure.backpropagation(), Initialization.FAN_IN_UNIFORM);
    }

    public int codeSize() {
        return encoder.codeSize();
    }

    public ModelConfig withName(String newName) {
        return new ModelConfig(newName, inputDimension, encoder, decoder, likelihood, penalties, corruption, procedure,
                initialization);
    }

    public ModelConfig withEncoder(Encoder e) {
        return new ModelConfig(name, inputDimension, e, decoder, likelihood, penalties, corruption, procedure,
                initialization);
    }

    public ModelConfig withDecoder(Decoder d) {
        return new ModelConfig(name, inputDimension, encoder, d, likelihood, penalties, corruption, procedure,
                initialization);
    }

    /** New encoder and decoder together (when one change alone would not fit the other). */
    public ModelConfig withLayers(Encoder e, Decoder d) {
        return new ModelConfig(name, inputDimension, e, d, likelihood, penalties, corruption, procedure,
                initialization);
    }

    public ModelConfig withLikelihood(Likelihood l) {
        return new ModelConfig(name, inputDimension, encoder, decoder, l, penalties, corruption, procedure,
                initialization);
    }

    public ModelConfig withPenalties(List<Penalty> p) {
        return new ModelConfig(name, inputDimension, encoder, decoder, likelihood, p, corruption, procedure,
                initialization);
    }

    public ModelConfig withCorruption(Corruption c) {
        return new ModelConfig(name, inputDimension, encoder, decoder, likelihood, penalties, c, procedure,
                initialization);
    }

    public ModelConfig withProcedure(TrainingProcedure p) {
        return new ModelConfig(name, inputDimension, encoder, decoder, likelihood, penalties, corruption, p,
                initialization);
    }

    public ModelConfig withInitialization(Initialization i) {
        return new ModelConfig(name, inputDimension, encoder, decoder, likelihood, penalties, corruption, procedure,
                i);
    }
}
