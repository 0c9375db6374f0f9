package ae.cli.train;

import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.UsageException;
import ae.models.Architecture;
import ae.models.Corruption;
import ae.models.ModelConfig;
import ae.models.Penalty;
import ae.models.Presets;
import ae.models.TrainingProcedure;
import java.util.ArrayList;
import java.util.List;

/**
 * The variant options of {@code ae train}: a preset by name, then its hyperparameters changed where an option is
 * given. A penalty option on a preset without that penalty adds it, so variants compose as ae.models' parts do; the
 * models themselves check the combination (KL sparsity needs a sigmoid code, for example).
 */
public final class ModelOptions {
    static final Option MODEL = Option.withValue("--model", "PRESET", "contractive",
            "the model, by preset name: " + String.join(", ", Presets.names()));
    static final Option HIDDEN = Option.withValue("--hidden", "SIZES", "the preset's",
            "hidden layer widths from the input side, comma-separated, the last one being the code; mirrored in the"
                    + " decoder. The presets use min(256, d/3) for one layer and 0.65d, then half, then a quarter of"
                    + " that for deep and stacked models (256 and 509,254,63 for 784 inputs)");
    static final Option TIED = Option.flag("--tied", "tie the decoder's weights to the transposed encoder's");
    static final Option CONTRACTIVE = Option.withValue("--contractive", "W", "the preset's",
            "weight of the contractive penalty ||dh/dx||_F^2 (0.1 in contractive and higher-order-contractive)");
    static final Option HESSIAN = Option.withValue("--hessian", "W", "the preset's",
            "weight of the higher-order term E||J(x) - J(x+eps)||^2 (0.1 in higher-order-contractive)");
    static final Option HESSIAN_SIGMA = Option.withValue("--hessian-sigma", "S", "the preset's",
            "standard deviation of eps in the higher-order term (0.1)");
    static final Option HESSIAN_SAMPLES = Option.withValue("--hessian-samples", "K", "the preset's",
            "draws of eps per sample in the higher-order term (4)");
    static final Option L1 = Option.withValue("--l1", "W", "the preset's",
            "weight of the L1 penalty on the code (1e-3 in sparse-l1)");
    static final Option KL = Option.withValue("--kl", "W", "the preset's",
            "weight of the KL sparsity penalty (3 in sparse-kl; needs a sigmoid code)");
    static final Option RHO = Option.withValue("--rho", "R", "the preset's",
            "target mean activation of each code unit for KL sparsity (0.05)");
    static final Option CORRUPTION = Option.withValue("--corruption", "LEVEL", "the preset's",
            "corruption level of a denoising or stacked preset: the masking or salt-and-pepper probability, or the"
                    + " Gaussian standard deviation (0.3 masking, 0.1 gaussian, 0.1 salt-and-pepper, 0.2 stacked)");
    static final Option PRETRAIN_EPOCHS = Option.withValue("--pretrain-epochs", "N", "the preset's",
            "greedy pretraining epochs per layer of the stacked preset (2)");
    static final Option WEIGHT_DECAY = Option.withValue("--weight-decay", "W", "0",
            "weight of the squared-weight penalty on every weight matrix");

    static final List<Option> ALL = List.of(MODEL, HIDDEN, TIED, CONTRACTIVE, HESSIAN, HESSIAN_SIGMA, HESSIAN_SAMPLES,
            L1, KL, RHO, CORRUPTION, PRETRAIN_EPOCHS, WEIGHT_DECAY);

    private ModelOptions() {
    }

    /** The preset named by {@code --model} for {@code inputDimension} features, with every given option applied. */
    static ModelConfig build(ParsedOptions options, int inputDimension) {
        String preset = options.value(MODEL.name());
        if (!Presets.names().stream().anyMatch(name -> name.equalsIgnoreCase(preset.trim()))) {
            throw new UsageException(MODEL.name() + ": unknown preset '" + preset + "' (known: "
                    + String.join(", ", Presets.names()) + ")");
        }
        ModelConfig config = Presets.byName(preset, inputDimension);
        if (options.isGiven(HIDDEN.name()) || options.flag(TIED.name())) {
            config = config.withArchitecture(architecture(options, config.architecture()));
        }
        config = config.withPenalties(penalties(options, config.penalties()));
        if (options.isGiven(CORRUPTION.name())) {
            config = withCorruptionLevel(config, options.doubleIn(CORRUPTION.name(), 0, Double.MAX_VALUE));
        }
        if (options.isGiven(PRETRAIN_EPOCHS.name())) {
            if (!(config.procedure() instanceof TrainingProcedure.GreedyLayerWise greedy)) {
                throw new UsageException(PRETRAIN_EPOCHS.name() + " applies to the stacked preset only");
            }
            config = config.withProcedure(new TrainingProcedure.GreedyLayerWise(
                    options.positiveInt(PRETRAIN_EPOCHS.name()), greedy.layerPenalties(), greedy.layerCorruption()));
        }
        return config;
    }

    private static Architecture architecture(ParsedOptions options, Architecture preset) {
        int[] sizes = options.isGiven(HIDDEN.name())
                ? options.positiveInts(HIDDEN.name()).stream().mapToInt(Integer::intValue).toArray()
                : preset.encoder().stream().mapToInt(layer -> layer.units()).toArray();
        return Architecture.mirrored(preset.inputDimension(), sizes, preset.encoder().getFirst().activation(),
                preset.codeActivation(), preset.decoder().getLast().activation(), options.flag(TIED.name()),
                preset.initialization());
    }

    private static List<Penalty> penalties(ParsedOptions options, List<Penalty> preset) {
        // Options not yet applied to a penalty of the preset; what is left at the end adds a penalty.
        java.util.Set<Class<? extends Penalty>> pending = new java.util.LinkedHashSet<>();
        if (options.isGiven(CONTRACTIVE.name())) {
            pending.add(Penalty.Contractive.class);
        }
        if (options.isGiven(HESSIAN.name()) || options.isGiven(HESSIAN_SIGMA.name())
                || options.isGiven(HESSIAN_SAMPLES.name())) {
            pending.add(Penalty.HigherOrderContractive.class);
        }
        if (options.isGiven(L1.name())) {
            pending.add(Penalty.L1Code.class);
        }
        if (options.isGiven(KL.name()) || options.isGiven(RHO.name())) {
            pending.add(Penalty.KlSparsity.class);
        }
        if (options.isGiven(WEIGHT_DECAY.name())) {
            pending.add(Penalty.WeightDecay.class);
        }
        List<Penalty> out = new ArrayList<>();
        for (Penalty penalty : preset) {
            out.add(pending.remove(penalty.getClass()) ? changed(options, penalty) : penalty);
        }
        for (Class<? extends Penalty> added : pending) {
            Penalty defaults = switch (added.getSimpleName()) {
                case "Contractive" -> new Penalty.Contractive(0.1);
                case "HigherOrderContractive" -> new Penalty.HigherOrderContractive(0.1, 0.1, 4);
                case "L1Code" -> new Penalty.L1Code(1e-3);
                case "KlSparsity" -> new Penalty.KlSparsity(3, 0.05);
                default -> new Penalty.WeightDecay(0);
            };
            Penalty penalty = changed(options, defaults);
            if (penalty.weight() != 0) {
                out.add(penalty);
            }
        }
        return out;
    }

    private static Penalty changed(ParsedOptions options, Penalty penalty) {
        return switch (penalty) {
            case Penalty.Contractive c -> new Penalty.Contractive(weight(options, CONTRACTIVE), c.probes());
            case Penalty.HigherOrderContractive h -> higherOrder(options, h);
            case Penalty.L1Code ignored -> new Penalty.L1Code(weight(options, L1));
            case Penalty.KlSparsity k -> klSparsity(options, k);
            case Penalty.WeightDecay ignored -> new Penalty.WeightDecay(weight(options, WEIGHT_DECAY));
        };
    }

    private static double weight(ParsedOptions options, Option option) {
        return options.doubleIn(option.name(), 0, Double.MAX_VALUE);
    }

    private static Penalty.HigherOrderContractive higherOrder(ParsedOptions options, Penalty.HigherOrderContractive h) {
        double weight = options.isGiven(HESSIAN.name()) ? weight(options, HESSIAN) : h.weight();
        double sigma = options.isGiven(HESSIAN_SIGMA.name()) ? weight(options, HESSIAN_SIGMA) : h.sigma();
        int samples = options.isGiven(HESSIAN_SAMPLES.name()) ? options.positiveInt(HESSIAN_SAMPLES.name())
                : h.corruptions();
        return new Penalty.HigherOrderContractive(weight, sigma, samples);
    }

    private static Penalty.KlSparsity klSparsity(ParsedOptions options, Penalty.KlSparsity k) {
        double weight = options.isGiven(KL.name()) ? weight(options, KL) : k.weight();
        double rho = options.isGiven(RHO.name()) ? options.doubleIn(RHO.name(), 0, 1) : k.rho();
        return new Penalty.KlSparsity(weight, rho);
    }

    private static ModelConfig withCorruptionLevel(ModelConfig config, double level) {
        if (config.procedure() instanceof TrainingProcedure.GreedyLayerWise greedy) {
            return config.withProcedure(new TrainingProcedure.GreedyLayerWise(greedy.pretrainEpochs(),
                    greedy.layerPenalties(), withLevel(greedy.layerCorruption(), level, config.name())));
        }
        return config.withCorruption(withLevel(config.corruption(), level, config.name()));
    }

    private static Corruption withLevel(Corruption corruption, double level, String model) {
        return switch (corruption) {
            case Corruption.Masking ignored -> new Corruption.Masking(level);
            case Corruption.Gaussian ignored -> new Corruption.Gaussian(level);
            case Corruption.SaltAndPepper ignored -> new Corruption.SaltAndPepper(level);
            case Corruption.None ignored -> throw new UsageException(CORRUPTION.name() + ": model '" + model
                    + "' corrupts nothing; choose a denoising-* or the stacked preset");
        };
    }
}
