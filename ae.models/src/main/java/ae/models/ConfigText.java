package ae.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration block of a checkpoint (format version 2): UTF-8 {@code key=value} lines, readable by people and
 * parsed back exactly (doubles are written in Java's shortest round-trip form). A part is written by its stable kind
 * name and settings, {@code contractive weight=0.1 probes=0}; every name and key is a documented word of
 * docs/checkpoint-format.md, never a Java identifier.
 */
final class ConfigText {
    private ConfigText() {
    }

    static String write(Map<String, String> entries) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : entries.entrySet()) {
            if (e.getValue().contains("\n") || e.getKey().contains("=")) {
                throw new IllegalArgumentException("configuration entry '" + e.getKey() + "' cannot be one line");
            }
            sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        return sb.toString();
    }

    static Map<String, String> read(String text, String source) throws CheckpointFormatException {
        Map<String, String> out = new LinkedHashMap<>();
        int lineNumber = 0;
        for (String line : text.split("\n")) {
            lineNumber++;
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new CheckpointFormatException(source, "configuration line " + lineNumber + " has no key=value: '"
                        + line + "'");
            }
            out.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return out;
    }

    // ---- parts

    /**
     * Writes {@code part} under {@code key}: {@code <kind> key=value ...} for its scalar settings, and each nested
     * part under {@code <key>.<setting>} ({@code <key>.<setting>=<count>} and {@code <key>.<setting>.<i>} for a list).
     */
    static void putPart(Map<String, String> out, String key, Part part) {
        PartKind<Part> kind = PartKind.kindOf(part);
        StringBuilder line = new StringBuilder(kind.name());
        for (Setting<Part> s : kind.settings()) {
            if (s.isScalar()) {
                line.append(' ').append(s.key()).append('=').append(s.format(s.valueIn(part)));
            }
        }
        out.put(key, line.toString());
        for (Setting<Part> s : kind.settings()) {
            if (s.type() == Setting.Type.PENALTIES) {
                putParts(out, key + "." + s.key(), (List<?>) s.valueIn(part));
            } else if (s.type() == Setting.Type.CORRUPTION) {
                putPart(out, key + "." + s.key(), (Part) s.valueIn(part));
            }
        }
    }

    static void putParts(Map<String, String> out, String key, List<?> parts) {
        out.put(key, Integer.toString(parts.size()));
        for (int i = 0; i < parts.size(); i++) {
            putPart(out, key + "." + i, (Part) parts.get(i));
        }
    }

    /** Reads the part of {@code family} under {@code key}; settings the line leaves out take their defaults. */
    static <P extends Part> P part(Fields f, String key, Class<P> family, Catalog catalog)
            throws CheckpointFormatException {
        String[] words = f.string(key).split(" ");
        PartKind<?> kind;
        try {
            kind = catalog.kind(family, words[0]);
        } catch (IllegalArgumentException e) {
            throw f.error(key, e.getMessage());
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 1; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            if (eq <= 0) {
                throw f.error(key, "'" + words[i] + "' is not setting=value");
            }
            String settingKey = words[i].substring(0, eq);
            Setting<?> setting = kind.setting(settingKey);
            if (setting == null || !setting.isScalar()) {
                throw f.error(key, kind.name() + " has no setting '" + settingKey + "'");
            }
            try {
                values.put(settingKey, setting.parse(words[i].substring(eq + 1)));
            } catch (IllegalArgumentException e) {
                throw f.error(key, e.getMessage());
            }
        }
        for (Setting<?> s : kind.settings()) {
            String nested = key + "." + s.key();
            if (s.type() == Setting.Type.PENALTIES && f.has(nested)) {
                values.put(s.key(), parts(f, nested, Penalty.class, catalog));
            } else if (s.type() == Setting.Type.CORRUPTION && f.has(nested)) {
                values.put(s.key(), part(f, nested, Corruption.class, catalog));
            }
        }
        try {
            return family.cast(kind.create(values));
        } catch (IllegalArgumentException e) {
            throw f.error(key, e.getMessage());
        }
    }

    static <P extends Part> List<P> parts(Fields f, String key, Class<P> family, Catalog catalog)
            throws CheckpointFormatException {
        int count = f.integer(key);
        if (count < 0 || count > 1000) {
            throw f.error(key, "implausible count " + count);
        }
        List<P> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(part(f, key + "." + i, family, catalog));
        }
        return out;
    }

    // ---- model

    static void putModel(Map<String, String> out, ModelConfig m) {
        out.put("model.name", m.name());
        out.put("model.input", Integer.toString(m.inputDimension()));
        out.put("model.initialization", m.initialization().stableName());
        putPart(out, "model.encoder", m.encoder());
        putPart(out, "model.decoder", m.decoder());
        putPart(out, "model.likelihood", m.likelihood());
        putParts(out, "model.penalties", m.penalties());
        putPart(out, "model.corruption", m.corruption());
        putPart(out, "model.procedure", m.procedure());
    }

    static ModelConfig model(Fields f, Catalog catalog) throws CheckpointFormatException {
        Initialization initialization;
        try {
            initialization = Initialization.byStableName(f.string("model.initialization"));
        } catch (IllegalArgumentException e) {
            throw f.error("model.initialization", e.getMessage());
        }
        String name = f.string("model.name");
        int input = f.integer("model.input");
        Encoder encoder = part(f, "model.encoder", Encoder.class, catalog);
        Decoder decoder = part(f, "model.decoder", Decoder.class, catalog);
        Likelihood likelihood = part(f, "model.likelihood", Likelihood.class, catalog);
        List<Penalty> penalties = parts(f, "model.penalties", Penalty.class, catalog);
        Corruption corruption = part(f, "model.corruption", Corruption.class, catalog);
        TrainingProcedure procedure = part(f, "model.procedure", TrainingProcedure.class, catalog);
        return f.wrap("model", () -> new ModelConfig(name, input, encoder, decoder, likelihood, penalties, corruption,
                procedure, initialization));
    }

    // ---- training

    static void putTraining(Map<String, String> out, TrainingConfig t) {
        out.put("training.epochs", Integer.toString(t.epochs()));
        out.put("training.batch-size", Integer.toString(t.batchSize()));
        out.put("training.seed", Long.toString(t.seed()));
        out.put("training.threads", Integer.toString(t.threads()));
        putPart(out, "training.optimizer", t.optimizer());
        putPart(out, "training.schedule", t.schedule());
        out.put("training.validation-fraction", Double.toString(t.validationFraction()));
        out.put("training.early-stopping-patience", Integer.toString(t.earlyStoppingPatience()));
        out.put("training.drop-last", Boolean.toString(t.dropLast()));
    }

    static TrainingConfig training(Fields f, Catalog catalog) throws CheckpointFormatException {
        OptimizerConfig optimizer = part(f, "training.optimizer", OptimizerConfig.class, catalog);
        LearningRateSchedule schedule = part(f, "training.schedule", LearningRateSchedule.class, catalog);
        return f.wrap("training", () -> new TrainingConfig(f.integer("training.epochs"),
                f.integer("training.batch-size"), f.longValue("training.seed"), f.integer("training.threads"),
                optimizer, schedule, f.real("training.validation-fraction"),
                f.integer("training.early-stopping-patience"), f.bool("training.drop-last"), null));
    }

    /** Typed access to the entries, every failure naming the key and the source file. */
    static final class Fields {
        private final Map<String, String> entries;
        private final String source;

        Fields(Map<String, String> entries, String source) {
            this.entries = entries;
            this.source = source;
        }

        String string(String key) throws CheckpointFormatException {
            String v = entries.get(key);
            if (v == null) {
                throw new CheckpointFormatException(source, "configuration lacks '" + key + "'");
            }
            return v;
        }

        boolean has(String key) {
            return entries.containsKey(key);
        }

        int integer(String key) throws CheckpointFormatException {
            try {
                return Integer.parseInt(string(key));
            } catch (NumberFormatException e) {
                throw new CheckpointFormatException(source, "configuration '" + key + "' is not an int: " + e.getMessage());
            }
        }

        long longValue(String key) throws CheckpointFormatException {
            try {
                return Long.parseLong(string(key));
            } catch (NumberFormatException e) {
                throw new CheckpointFormatException(source, "configuration '" + key + "' is not a long: " + e.getMessage());
            }
        }

        double real(String key) throws CheckpointFormatException {
            try {
                return Double.parseDouble(string(key));
            } catch (NumberFormatException e) {
                throw new CheckpointFormatException(source, "configuration '" + key + "' is not a number: " + e.getMessage());
            }
        }

        boolean bool(String key) throws CheckpointFormatException {
            String v = string(key);
            if (!v.equals("true") && !v.equals("false")) {
                throw new CheckpointFormatException(source, "configuration '" + key + "' is not true or false: " + v);
            }
            return v.equals("true");
        }

        interface Body<T> {
            T get() throws CheckpointFormatException;
        }

        CheckpointFormatException error(String key, String problem) {
            return new CheckpointFormatException(source, "configuration '" + key + "': " + problem);
        }

        /** Turns the records' validation failures into format errors naming the part. */
        <T> T wrap(String part, Body<T> body) throws CheckpointFormatException {
            try {
                return body.get();
            } catch (IllegalArgumentException e) {
                throw new CheckpointFormatException(source, "invalid " + part + " configuration: " + e.getMessage());
            }
        }
    }
}
