package ae.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the configuration block of checkpoint format version 1 by translating it into version 2's entries. Version 1
 * wrote parts as {@code Name(component=value, ...)} with the Java names of the records of that time and camel-case
 * keys; those words are frozen here, apart from any Java code, so that version 1 files keep loading.
 */
final class ConfigTextV1 {
    private ConfigTextV1() {
    }

    /** A version 1 part: its version 2 kind and how its components map to version 2 setting keys. */
    private record Translation(String kind, Map<String, String> keys) {
    }

    private static final Map<String, Translation> PENALTIES = Map.of(
            "L1Code", new Translation("l1", Map.of("weight", "weight")),
            "KlSparsity", new Translation("kl-sparsity", Map.of("weight", "weight", "rho", "rho")),
            "Contractive", new Translation("contractive", Map.of("weight", "weight", "probes", "probes")),
            "HigherOrderContractive", new Translation("higher-order-contractive",
                    Map.of("weight", "weight", "sigma", "sigma", "corruptions", "samples")),
            "WeightDecay", new Translation("weight-decay", Map.of("weight", "weight")));
    private static final Map<String, Translation> CORRUPTIONS = Map.of(
            "None", new Translation("none", Map.of()),
            "Masking", new Translation("masking", Map.of("probability", "probability")),
            "Gaussian", new Translation("gaussian", Map.of("stddev", "stddev")),
            "SaltAndPepper", new Translation("salt-and-pepper", Map.of("probability", "probability")));
    private static final Map<String, String> ADAM = Map.of("learningRate", "learning-rate", "beta1", "beta1",
            "beta2", "beta2", "epsilon", "epsilon", "weightDecay", "weight-decay");
    private static final Map<String, Translation> OPTIMIZERS = Map.of(
            "Sgd", new Translation("sgd", Map.of("learningRate", "learning-rate", "momentum", "momentum",
                    "nesterov", "nesterov", "weightDecay", "weight-decay")),
            "Adam", new Translation("adam", ADAM),
            "AdamW", new Translation("adamw", ADAM));
    private static final Map<String, Translation> SCHEDULES = Map.of(
            "Constant", new Translation("constant", Map.of()),
            "StepDecay", new Translation("step-decay", Map.of("everyEpochs", "every-epochs", "gamma", "gamma")),
            "Exponential", new Translation("exponential", Map.of("gamma", "gamma")),
            "Cosine", new Translation("cosine", Map.of("epochs", "epochs", "minFactor", "min-factor")));
    private static final Map<String, String> SAME_KEYS = Map.ofEntries(
            Map.entry("format", "format"), Map.entry("model.name", "model.name"),
            Map.entry("model.input", "model.input"), Map.entry("training.epochs", "training.epochs"),
            Map.entry("training.batchSize", "training.batch-size"), Map.entry("training.seed", "training.seed"),
            Map.entry("training.threads", "training.threads"),
            Map.entry("training.validationFraction", "training.validation-fraction"),
            Map.entry("training.earlyStoppingPatience", "training.early-stopping-patience"),
            Map.entry("training.dropLast", "training.drop-last"), Map.entry("state.phase", "state.phase"),
            Map.entry("state.epochsDone", "state.epochs-done"), Map.entry("state.stepsDone", "state.steps-done"),
            Map.entry("state.optimizerSteps", "state.optimizer-steps"),
            Map.entry("state.bestValidation", "state.best-validation"),
            Map.entry("state.bestEpoch", "state.best-epoch"),
            Map.entry("state.epochsSinceBest", "state.epochs-since-best"),
            Map.entry("state.hasBest", "state.has-best"), Map.entry("state.stoppedEarly", "state.stopped-early"),
            Map.entry("history.epochs", "history.epochs"));

    /** The version 2 entries of a version 1 configuration. */
    static Map<String, String> toVersion2(Map<String, String> v1, String source) throws CheckpointFormatException {
        ConfigText.Fields f = new ConfigText.Fields(v1, source);
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : SAME_KEYS.entrySet()) {
            out.put(e.getValue(), f.string(e.getKey()));
        }
        try {
            out.put("model.initialization", f.string("model.initialization").toLowerCase(Locale.ROOT)
                    .replace('_', '-'));
            out.put("model.encoder", "deterministic layers=" + layers(f.string("model.encoder")));
            out.put("model.decoder", "dense layers=" + layers(f.string("model.decoder")) + " tied="
                    + f.string("model.tied"));
            out.put("model.likelihood", switch (f.string("model.loss")) {
                case "BINARY_CROSS_ENTROPY" -> "bernoulli";
                case "SQUARED_ERROR" -> "squared-error";
                default -> throw new IllegalArgumentException("model.loss '" + f.string("model.loss")
                        + "' is unknown");
            });
            putList(out, "model.penalties", f.string("model.penalties"), PENALTIES);
            out.put("model.corruption", part(f.string("model.corruption"), CORRUPTIONS));
            switch (f.string("model.procedure")) {
                case "Backpropagation" -> out.put("model.procedure", "backpropagation");
                case "GreedyLayerWise" -> {
                    out.put("model.procedure", "greedy-layer-wise pretrain-epochs="
                            + f.string("model.pretrain.epochs"));
                    putList(out, "model.procedure.penalties", f.string("model.pretrain.penalties"), PENALTIES);
                    out.put("model.procedure.corruption", part(f.string("model.pretrain.corruption"), CORRUPTIONS));
                }
                default -> throw new IllegalArgumentException("model.procedure '" + f.string("model.procedure")
                        + "' is neither Backpropagation nor GreedyLayerWise");
            }
            out.put("training.optimizer", part(f.string("training.optimizer"), OPTIMIZERS));
            out.put("training.schedule", part(f.string("training.schedule"), SCHEDULES));
            out.put("history.outcome", f.string("history.outcome").toLowerCase(Locale.ROOT).replace('_', '-'));
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(source, "version 1 configuration: " + e.getMessage());
        }
        int epochs = f.integer("history.epochs");
        for (int i = 0; i < epochs; i++) {
            out.put("history." + i, f.string("history." + i));
        }
        return out;
    }

    /** {@code 8:SIGMOID,4:RELU} to {@code 8:sigmoid,4:relu}. */
    private static String layers(String v1) {
        return v1.toLowerCase(Locale.ROOT);
    }

    private static void putList(Map<String, String> out, String key, String v1, Map<String, Translation> family) {
        List<String> parts = new ArrayList<>();
        if (!v1.isBlank()) {
            for (String p : v1.split(";")) {
                parts.add(part(p.trim(), family));
            }
        }
        out.put(key, Integer.toString(parts.size()));
        for (int i = 0; i < parts.size(); i++) {
            out.put(key + "." + i, parts.get(i));
        }
    }

    /** {@code Masking(probability=0.3)} to {@code masking probability=0.3}. */
    private static String part(String v1, Map<String, Translation> family) {
        String text = v1.trim();
        int open = text.indexOf('(');
        String name = open < 0 ? text : text.substring(0, open).trim();
        Translation t = family.get(name);
        if (t == null) {
            throw new IllegalArgumentException("'" + name + "' is not a part of version 1 (known: "
                    + String.join(", ", family.keySet()) + ")");
        }
        StringBuilder line = new StringBuilder(t.kind());
        if (open >= 0) {
            if (!text.endsWith(")")) {
                throw new IllegalArgumentException("'" + text + "' is not Name(component=value, ...)");
            }
            String body = text.substring(open + 1, text.length() - 1).trim();
            if (!body.isEmpty()) {
                for (String kv : body.split(",")) {
                    int eq = kv.indexOf('=');
                    String component = eq < 0 ? "" : kv.substring(0, eq).trim();
                    String key = t.keys().get(component);
                    if (key == null) {
                        throw new IllegalArgumentException("'" + text + "' has an unknown component '" + kv.trim()
                                + "'");
                    }
                    line.append(' ').append(key).append('=').append(kv.substring(eq + 1).trim());
                }
            }
        }
        return line.toString();
    }
}
