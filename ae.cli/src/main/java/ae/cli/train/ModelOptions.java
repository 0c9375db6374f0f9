package ae.cli.train;

import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.UsageException;
import ae.models.Catalog;
import ae.models.Decoder;
import ae.models.Encoder;
import ae.models.Likelihood;
import ae.models.ModelConfig;
import ae.models.Part;
import ae.models.PartKind;
import ae.models.Penalty;
import ae.models.GreedyLayerWise;
import ae.models.Presets;
import ae.models.RbmPretraining;
import ae.models.Setting;
import ae.models.TrainingProcedure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The model options of {@code ae train}: a preset by name, then its parts' settings changed where an option is given.
 * Every option but {@code --model}, {@code --hidden}, {@code --tied} and {@code --loss} is derived from the settings
 * the parts declare (their option, help and default) and from the presets (which values they give), so a new part
 * brings its options with it. A penalty option on a preset without that penalty adds it, so variants compose as
 * ae.models' parts do; the parts themselves check the combination (KL sparsity needs a sigmoid code, for example).
 */
public final class ModelOptions {
    /** Presets are described at the width of Fashion-MNIST, the data most runs use. */
    private static final int DESCRIBED_DIMENSION = 784;

    static final Option MODEL = Option.withValue("--model", "PRESET", "contractive", "the model, by preset name: "
            + String.join(", ", Presets.names()) + " (ae train --help describes each)");
    static final Option HIDDEN = Option.withValue("--hidden", "SIZES", "the preset's",
            "layer widths from the input side, comma-separated, the last one being the code; mirrored in the"
                    + " decoder; presets at " + DESCRIBED_DIMENSION + " inputs: " + presetsBy(
                    config -> String.join(",", config.encoder().layers().stream()
                            .map(layer -> Integer.toString(layer.units())).toList())));
    static final Option TIED = Option.flag("--tied", "tie the decoder's weights to the transposed encoder's");
    static final Option LOSS = Option.withValue("--loss", "LOSS", "the preset's",
            "the decoder's distribution p(x|h) and so the reconstruction loss: " + lossHelp() + "; presets: "
                    + presetsBy(config -> config.likelihood().lossName()) + ". Without --loss, data outside"
                    + " [0, 1] trains with squared-error (and a linear output) instead of bce");

    static final Option PRETRAIN = Option.withValue("--pretrain", "KIND", "the preset's",
            "rbm: pretrain the layers as a stack of RBMs by contrastive divergence (CD-1), unroll the stack into the"
                    + " encoder and decoder, then fine-tune (Hinton and Salakhutdinov 2006); the hidden layers and"
                    + " their mirrors become sigmoid (Bernoulli units), the code must be sigmoid; see"
                    + " --pretrain-epochs, --rbm-learning-rate. none: end-to-end training from random weights (drops"
                    + " a preset's greedy or RBM pretraining)");

    /** The options derived from the parts' settings, by option name, in the catalog's order. */
    private static final Map<String, List<Setting<?>>> SETTINGS_BY_OPTION = settingsByOption();
    static final List<Option> SETTING_OPTIONS = settingOptions();
    static final List<Option> ALL = all();
    /** The options that change the preset {@code --model} names, without {@code --model} itself. */
    public static final List<Option> MODIFIERS = ALL.subList(1, ALL.size());

    private ModelOptions() {
    }

    private static List<Option> all() {
        List<Option> out = new ArrayList<>(List.of(MODEL, HIDDEN, TIED, LOSS, PRETRAIN));
        out.addAll(SETTING_OPTIONS);
        return List.copyOf(out);
    }

    private static Map<String, List<Setting<?>>> settingsByOption() {
        Map<String, List<Setting<?>>> out = new LinkedHashMap<>();
        for (PartKind<?> kind : Catalog.builtIn().all()) {
            for (Setting<?> s : kind.settings()) {
                if (s.option() != null) {
                    out.computeIfAbsent(s.option(), k -> new ArrayList<>()).add(s);
                }
            }
        }
        return out;
    }

    private static List<Option> settingOptions() {
        List<Option> out = new ArrayList<>();
        for (Map.Entry<String, List<Setting<?>>> e : SETTINGS_BY_OPTION.entrySet()) {
            Setting<?> first = e.getValue().getFirst();
            String valueName = first.type() == Setting.Type.INTEGER ? "N" : "X";
            out.add(Option.withValue(e.getKey(), valueName, "the preset's", first.help() + presetValues(e.getKey())));
        }
        return out;
    }

    /** How the presets set an option, e.g. {@code ; presets: 0.1 in contractive, R3}, and what an addition gets. */
    private static String presetValues(String option) {
        Map<String, List<String>> presetsByValue = new TreeMap<>();
        for (Presets.Preset preset : Presets.all()) {
            for (Part part : preset.forDimension(DESCRIBED_DIMENSION).parts()) {
                for (Setting<Part> s : PartKind.kindOf(part).settings()) {
                    if (option.equals(s.option())) {
                        presetsByValue.computeIfAbsent(s.describe(s.valueIn(part)), k -> new ArrayList<>())
                                .add(preset.name());
                    }
                }
            }
        }
        List<String> uses = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : presetsByValue.entrySet()) {
            uses.add(e.getKey() + " in " + String.join(", ", e.getValue()));
        }
        String text = uses.isEmpty() ? "" : "; presets: " + String.join("; ", uses);
        for (Setting<?> s : SETTINGS_BY_OPTION.get(option)) {
            PartKind<?> kind = kindOf(s);
            if (Penalty.class.isAssignableFrom(kind.type())) {
                text += "; on a preset without it, adds the " + kind.name() + " penalty (defaults: "
                        + defaults(kind) + ")";
            }
        }
        return text;
    }

    /** E.g. {@code weight 0.1, probes 0}. */
    private static String defaults(PartKind<?> kind) {
        List<String> values = new ArrayList<>();
        for (Setting<?> s : kind.settings()) {
            values.add(s.key() + " " + s.describe(s.defaultValue()));
        }
        return String.join(", ", values);
    }

    private static PartKind<?> kindOf(Setting<?> setting) {
        for (PartKind<?> kind : Catalog.builtIn().all()) {
            if (kind.settings().contains(setting)) {
                return kind;
            }
        }
        throw new IllegalStateException("no part kind has " + setting);
    }

    /** E.g. {@code 256 in undercomplete, contractive; 400,20 in vae, R6}: the presets grouped by a value. */
    private static String presetsBy(java.util.function.Function<ModelConfig, String> value) {
        Map<String, List<String>> byValue = new LinkedHashMap<>();
        for (Presets.Preset preset : Presets.all()) {
            byValue.computeIfAbsent(value.apply(preset.forDimension(DESCRIBED_DIMENSION)), k -> new ArrayList<>())
                    .add(preset.name());
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : byValue.entrySet()) {
            parts.add(e.getKey() + " in " + String.join(", ", e.getValue()));
        }
        return String.join("; ", parts);
    }

    private static String lossHelp() {
        List<String> out = new ArrayList<>();
        for (PartKind<?> kind : Catalog.builtIn().kinds(Likelihood.class)) {
            Likelihood l = (Likelihood) kind.defaults();
            out.add(l.lossName() + " (" + kind.help() + ")");
        }
        return String.join(", ", out);
    }

    /** The preset named by {@code --model} for {@code inputDimension} features, with every given option applied. */
    public static ModelConfig build(ParsedOptions options, int inputDimension) {
        String presetName = options.value(MODEL.name());
        if (Presets.names().stream().noneMatch(name -> name.equalsIgnoreCase(presetName.trim()))) {
            throw new UsageException(MODEL.name() + ": unknown preset '" + presetName + "' (known: "
                    + String.join(", ", Presets.names()) + ")");
        }
        ModelConfig config;
        try {
            config = Presets.byName(presetName, inputDimension);
        } catch (IllegalArgumentException e) {
            throw new UsageException(MODEL.name() + " " + presetName + ": " + e.getMessage());
        }
        try {
            if (options.isGiven(HIDDEN.name()) || options.flag(TIED.name())) {
                config = withLayers(options, config);
            }
            if (options.isGiven(LOSS.name())) {
                config = config.withLikelihood(likelihood(options.value(LOSS.name()), config));
            }
            if (options.isGiven(PRETRAIN.name())) {
                config = pretraining(options.value(PRETRAIN.name()), config);
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return withSettings(options, config);
    }

    /** The likelihood whose loss name is {@code name}; IllegalArgumentException naming the model if it cannot be. */
    static Likelihood likelihood(String name, ModelConfig model) {
        List<String> known = new ArrayList<>();
        for (PartKind<?> kind : Catalog.builtIn().kinds(Likelihood.class)) {
            Likelihood l = (Likelihood) kind.defaults();
            known.add(l.lossName());
            if (l.lossName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return l;
            }
        }
        throw new UsageException(LOSS.name() + ": unknown loss '" + name + "' (known: " + String.join(", ", known)
                + ")");
    }

    /** The model with the procedure {@code --pretrain} names; its settings' options apply afterwards. */
    static ModelConfig pretraining(String kind, ModelConfig model) {
        TrainingProcedure current = model.procedure();
        return switch (kind.trim().toLowerCase(Locale.ROOT)) {
            case "rbm" -> current instanceof RbmPretraining ? model
                    : RbmPretraining.KIND.defaults().applyTo(model);
            case "none" -> {
                if (!(current instanceof GreedyLayerWise || current instanceof RbmPretraining
                        || current == TrainingProcedure.backpropagation())) {
                    throw new UsageException(PRETRAIN.name() + " none: model '" + model.name() + "' is trained by "
                            + current.kind().name() + ", not by backpropagation with optional pretraining");
                }
                yield model.withProcedure(TrainingProcedure.backpropagation());
            }
            default -> throw new UsageException(PRETRAIN.name() + ": unknown pretraining '" + kind
                    + "' (known: rbm, none)");
        };
    }

    private static ModelConfig withLayers(ParsedOptions options, ModelConfig config) {
        int[] widths = options.isGiven(HIDDEN.name())
                ? options.positiveInts(HIDDEN.name()).stream().mapToInt(Integer::intValue).toArray()
                : config.encoder().layers().stream().mapToInt(layer -> layer.units()).toArray();
        Encoder encoder = config.encoder().withWidths(widths);
        Decoder decoder = config.decoder().mirroring(encoder.layers(), config.inputDimension());
        if (options.flag(TIED.name())) {
            decoder = decoder.withTied(true);
        }
        return config.withLayers(encoder, decoder);
    }

    private static ModelConfig withSettings(ParsedOptions options, ModelConfig config) {
        Map<String, Object> given = new LinkedHashMap<>();
        for (Map.Entry<String, List<Setting<?>>> e : SETTINGS_BY_OPTION.entrySet()) {
            if (options.isGiven(e.getKey())) {
                given.put(e.getKey(), options.settingValue(e.getKey(), e.getValue().getFirst().type()));
            }
        }
        if (given.isEmpty()) {
            return config;
        }
        Set<String> applied = new LinkedHashSet<>();
        ModelConfig changed;
        try {
            changed = config.withOptionValues(given, applied);
        } catch (IllegalArgumentException e) {
            throw new UsageException(String.join(", ", given.keySet()) + ": " + e.getMessage());
        }
        List<Penalty> added = new ArrayList<>();
        for (String option : given.keySet()) {
            if (applied.contains(option)) {
                continue;
            }
            PartKind<?> penalty = penaltyKind(option);
            if (penalty == null) {
                throw new UsageException(option + " applies to models with " + holders(option) + "; model '"
                        + config.name() + "' has none");
            }
            if (added.stream().anyMatch(p -> p.kind() == penalty)) {
                continue;
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (Setting<?> s : penalty.settings()) {
                if (s.option() != null && given.containsKey(s.option())) {
                    values.put(s.key(), given.get(s.option()));
                }
            }
            try {
                Penalty p = (Penalty) penalty.create(values);
                if (p.weight() != 0) {
                    added.add(p);
                }
            } catch (IllegalArgumentException e) {
                throw new UsageException(option + ": " + e.getMessage());
            }
        }
        if (added.isEmpty()) {
            return changed;
        }
        List<Penalty> penalties = new ArrayList<>(changed.penalties());
        penalties.addAll(added);
        try {
            // A procedure with phases of its own (the stacked preset's greedy pretraining) gets them there too.
            TrainingProcedure procedure = changed.procedure();
            for (Penalty p : added) {
                procedure = procedure.withPenalty(p);
            }
            return changed.withPenalties(penalties).withProcedure(procedure);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }


    private static PartKind<?> penaltyKind(String option) {
        for (Setting<?> s : SETTINGS_BY_OPTION.get(option)) {
            PartKind<?> kind = kindOf(s);
            if (Penalty.class.isAssignableFrom(kind.type())) {
                return kind;
            }
        }
        return null;
    }

    /** E.g. {@code a masking, gaussian or salt-and-pepper corruption (presets: denoising-masking, ...)}. */
    private static String holders(String option) {
        List<String> kinds = new ArrayList<>();
        for (Setting<?> s : SETTINGS_BY_OPTION.get(option)) {
            PartKind<?> kind = kindOf(s);
            kinds.add(kind.name() + " " + Catalog.familyWord(kind));
        }
        List<String> presets = new ArrayList<>();
        for (Presets.Preset preset : Presets.all()) {
            for (Part part : preset.forDimension(DESCRIBED_DIMENSION).parts()) {
                if (PartKind.kindOf(part).settings().stream().anyMatch(s -> option.equals(s.option()))) {
                    presets.add(preset.name());
                    break;
                }
            }
        }
        return "a " + String.join(" or a ", kinds) + (presets.isEmpty() ? ""
                : " (presets: " + String.join(", ", presets) + ")");
    }
}
