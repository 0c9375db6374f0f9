package ae.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything that defines an autoencoder before training, immutable: an {@link Encoder} from x to a code, a
 * {@link Decoder} back to x whose output parameterizes the {@link Likelihood} p(x|h), the {@link Penalty penalties},
 * a {@link Corruption} of the input, the {@link TrainingProcedure} and how parameters start. Learned state lives in a
 * {@link FittedAutoencoder}. Each part checks what it needs of the others here, so a config that exists can be trained.
 */
public record ModelConfig(String name, int inputDimension, Encoder encoder, Decoder decoder, Likelihood likelihood,
                          List<Penalty> penalties, Corruption corruption, TrainingProcedure procedure,
                          Initialization initialization) {
    /**
     * Checks that the parts fit together (names, dimensions, code sizes); throws {@link IllegalArgumentException}
     * naming the part at fault.
     */
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

    /** The width of the code, the encoder's last layer. */
    public int codeSize() {
        return encoder.codeSize();
    }

    /**
     * The evaluation loss in words: the likelihood's loss, or for a model with a prior the negative evidence lower
     * bound it is part of.
     */
    public String lossDescription() {
        return encoder.hasPrior() ? "negative ELBO (" + likelihood.lossDescription() + " + KL)"
                : likelihood.lossDescription();
    }

    /** Every part of this model, each before the parts nested in it: encoder, decoder, likelihood, penalties, ... */
    public List<Part> parts() {
        List<Part> out = new ArrayList<>();
        for (Part p : topParts()) {
            collect(p, out);
        }
        return out;
    }

    private List<Part> topParts() {
        List<Part> top = new ArrayList<>(List.of(encoder, decoder, likelihood));
        top.addAll(penalties);
        top.add(corruption);
        top.add(procedure);
        return top;
    }

    private static void collect(Part part, List<Part> out) {
        out.add(part);
        PartKind<Part> kind = PartKind.kindOf(part);
        for (Setting<Part> s : kind.settings()) {
            Object v = s.valueIn(part);
            if (s.type() == Setting.Type.PENALTIES) {
                for (Object nested : (List<?>) v) {
                    collect((Part) nested, out);
                }
            } else if (s.type() == Setting.Type.CORRUPTION) {
                collect((Part) v, out);
            }
        }
    }

    /**
     * This model with every setting whose command-line option is a key of {@code byOption} set to its value (a
     * Double, Integer or Boolean as the setting's type says), in every part, nested ones too; the options that found
     * a setting are added to {@code applied}. The parts check the new values as they are made.
     */
    public ModelConfig withOptionValues(Map<String, Object> byOption, Set<String> applied) {
        Encoder e = (Encoder) change(encoder, byOption, applied);
        Decoder d = (Decoder) change(decoder, byOption, applied);
        Likelihood l = (Likelihood) change(likelihood, byOption, applied);
        List<Penalty> p = new ArrayList<>();
        for (Penalty penalty : penalties) {
            p.add((Penalty) change(penalty, byOption, applied));
        }
        Corruption c = (Corruption) change(corruption, byOption, applied);
        TrainingProcedure t = (TrainingProcedure) change(procedure, byOption, applied);
        return new ModelConfig(name, inputDimension, e, d, l, p, c, t, initialization);
    }

    private static Part change(Part part, Map<String, Object> byOption, Set<String> applied) {
        PartKind<Part> kind = PartKind.kindOf(part);
        Map<String, Object> changes = new LinkedHashMap<>();
        for (Setting<Part> s : kind.settings()) {
            Object v = s.valueIn(part);
            if (s.option() != null && byOption.containsKey(s.option())) {
                changes.put(s.key(), byOption.get(s.option()));
                applied.add(s.option());
            } else if (s.type() == Setting.Type.PENALTIES) {
                List<Part> nested = new ArrayList<>();
                boolean changed = false;
                for (Object n : (List<?>) v) {
                    Part c = change((Part) n, byOption, applied);
                    changed |= c != n;
                    nested.add(c);
                }
                if (changed) {
                    changes.put(s.key(), nested);
                }
            } else if (s.type() == Setting.Type.CORRUPTION) {
                Part c = change((Part) v, byOption, applied);
                if (c != v) {
                    changes.put(s.key(), c);
                }
            }
        }
        return changes.isEmpty() ? part : kind.with(part, changes);
    }

    /** This configuration under another name. */
    public ModelConfig withName(String newName) {
        return new ModelConfig(newName, inputDimension, encoder, decoder, likelihood, penalties, corruption, procedure,
                initialization);
    }

    /** This configuration with another encoder. */
    public ModelConfig withEncoder(Encoder e) {
        return new ModelConfig(name, inputDimension, e, decoder, likelihood, penalties, corruption, procedure,
                initialization);
    }

    /** This configuration with another decoder. */
    public ModelConfig withDecoder(Decoder d) {
        return new ModelConfig(name, inputDimension, encoder, d, likelihood, penalties, corruption, procedure,
                initialization);
    }

    /** New encoder and decoder together (when one change alone would not fit the other). */
    public ModelConfig withLayers(Encoder e, Decoder d) {
        return new ModelConfig(name, inputDimension, e, d, likelihood, penalties, corruption, procedure,
                initialization);
    }

    /** This configuration with another likelihood p(x|h). */
    public ModelConfig withLikelihood(Likelihood l) {
        return new ModelConfig(name, inputDimension, encoder, decoder, l, penalties, corruption, procedure,
                initialization);
    }

    /** This configuration with these penalties instead of its own. */
    public ModelConfig withPenalties(List<Penalty> p) {
        return new ModelConfig(name, inputDimension, encoder, decoder, likelihood, p, corruption, procedure,
                initialization);
    }

    /** This configuration with another corruption of the encoder's input. */
    public ModelConfig withCorruption(Corruption c) {
        return new ModelConfig(name, inputDimension, encoder, decoder, likelihood, penalties, c, procedure,
                initialization);
    }

    /** This configuration with another training procedure. */
    public ModelConfig withProcedure(TrainingProcedure p) {
        return new ModelConfig(name, inputDimension, encoder, decoder, likelihood, penalties, corruption, p,
                initialization);
    }

    /** This configuration with another weight initialization. */
    public ModelConfig withInitialization(Initialization i) {
        return new ModelConfig(name, inputDimension, encoder, decoder, likelihood, penalties, corruption, procedure,
                i);
    }
}
