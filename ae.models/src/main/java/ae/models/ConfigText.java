package ae.models;

import ae.tensor.Activation;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The configuration block of a checkpoint: UTF-8 {@code key=value} lines, one setting per line, readable by people
 * ({@code ae inspect}) and parsed back exactly (doubles are written in Java's shortest round-trip form). Parts that
 * are records of a sealed family are written as {@code Name(component=value, ...)}, e.g.
 * {@code Adam(learningRate=0.001, beta1=0.9, beta2=0.999, epsilon=1.0E-8, weightDecay=0.0)}.
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

    // ---- model

    static void putModel(Map<String, String> out, ModelConfig m) {
        Architecture a = m.architecture();
        out.put("model.name", m.name());
        out.put("model.input", Integer.toString(a.inputDimension()));
        out.put("model.encoder", layers(a.encoder()));
        out.put("model.decoder", layers(a.decoder()));
        out.put("model.tied", Boolean.toString(a.tiedWeights()));
        out.put("model.initialization", a.initialization().name());
        out.put("model.loss", m.loss().name());
        out.put("model.penalties", records(m.penalties()));
        out.put("model.corruption", record((Record) m.corruption()));
        switch (m.procedure()) {
            case TrainingProcedure.Backpropagation b -> out.put("model.procedure", "Backpropagation");
            case TrainingProcedure.GreedyLayerWise g -> {
                out.put("model.procedure", "GreedyLayerWise");
                out.put("model.pretrain.epochs", Integer.toString(g.pretrainEpochs()));
                out.put("model.pretrain.penalties", records(g.layerPenalties()));
                out.put("model.pretrain.corruption", record((Record) g.layerCorruption()));
            }
        }
    }

    static ModelConfig model(Map<String, String> in, String source) throws CheckpointFormatException {
        Fields f = new Fields(in, source);
        Architecture a = f.wrap("model architecture", () -> new Architecture(f.integer("model.input"),
                parseLayers(f.string("model.encoder")), parseLayers(f.string("model.decoder")),
                f.bool("model.tied"), Initialization.valueOf(f.string("model.initialization"))));
        TrainingProcedure procedure = switch (f.string("model.procedure")) {
            case "Backpropagation" -> new TrainingProcedure.Backpropagation();
            case "GreedyLayerWise" -> f.wrap("model.pretrain", () -> new TrainingProcedure.GreedyLayerWise(
                    f.integer("model.pretrain.epochs"), parseRecords(Penalty.class, f.string("model.pretrain.penalties")),
                    parseRecord(Corruption.class, f.string("model.pretrain.corruption"))));
            default -> throw new CheckpointFormatException(source, "model.procedure '" + f.string("model.procedure")
                    + "' is neither Backpropagation nor GreedyLayerWise");
        };
        return f.wrap("model", () -> new ModelConfig(f.string("model.name"), a,
                ReconstructionLoss.valueOf(f.string("model.loss")), parseRecords(Penalty.class, f.string("model.penalties")),
                parseRecord(Corruption.class, f.string("model.corruption")), procedure));
    }

    // ---- training

    static void putTraining(Map<String, String> out, TrainingConfig t) {
        out.put("training.epochs", Integer.toString(t.epochs()));
        out.put("training.batchSize", Integer.toString(t.batchSize()));
        out.put("training.seed", Long.toString(t.seed()));
        out.put("training.threads", Integer.toString(t.threads()));
        out.put("training.optimizer", record((Record) t.optimizer()));
        out.put("training.schedule", record((Record) t.schedule()));
        out.put("training.validationFraction", Double.toString(t.validationFraction()));
        out.put("training.earlyStoppingPatience", Integer.toString(t.earlyStoppingPatience()));
        out.put("training.dropLast", Boolean.toString(t.dropLast()));
    }

    static TrainingConfig training(Map<String, String> in, String source) throws CheckpointFormatException {
        Fields f = new Fields(in, source);
        return f.wrap("training", () -> new TrainingConfig(f.integer("training.epochs"), f.integer("training.batchSize"),
                f.longValue("training.seed"), f.integer("training.threads"),
                parseRecord(OptimizerConfig.class, f.string("training.optimizer")),
                parseRecord(LearningRateSchedule.class, f.string("training.schedule")),
                f.real("training.validationFraction"), f.integer("training.earlyStoppingPatience"),
                f.bool("training.dropLast"), null));
    }

    // ---- pieces

    private static String layers(List<LayerSpec> layers) {
        List<String> parts = new ArrayList<>();
        for (LayerSpec l : layers) {
            parts.add(l.units() + ":" + l.activation().name());
        }
        return String.join(",", parts);
    }

    private static List<LayerSpec> parseLayers(String text) {
        List<LayerSpec> out = new ArrayList<>();
        for (String part : text.split(",")) {
            int colon = part.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("layer '" + part + "' is not units:ACTIVATION");
            }
            out.add(LayerSpec.of(Integer.parseInt(part.substring(0, colon)),
                    Activation.valueOf(part.substring(colon + 1).toUpperCase(Locale.ROOT))));
        }
        return out;
    }

    static String records(List<? extends Penalty> items) {
        List<String> parts = new ArrayList<>();
        for (Penalty p : items) {
            parts.add(record((Record) p));
        }
        return String.join("; ", parts);
    }

    /** {@code Name(a=1, b=2.5)} for a flat record of numbers and booleans. */
    static String record(Record r) {
        StringBuilder sb = new StringBuilder(r.getClass().getSimpleName()).append('(');
        RecordComponent[] components = r.getClass().getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            try {
                sb.append(i == 0 ? "" : ", ").append(components[i].getName()).append('=')
                        .append(components[i].getAccessor().invoke(r));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + components[i] + " of " + r, e);
            }
        }
        return sb.append(')').toString();
    }

    static <T> List<T> parseRecords(Class<T> family, String text) {
        List<T> out = new ArrayList<>();
        if (text.isBlank()) {
            return out;
        }
        for (String part : text.split(";")) {
            out.add(parseRecord(family, part.trim()));
        }
        return out;
    }

    static <T> T parseRecord(Class<T> family, String text) {
        int open = text.indexOf('(');
        if (open < 0 || !text.endsWith(")")) {
            throw new IllegalArgumentException("'" + text + "' is not Name(component=value, ...)");
        }
        String name = text.substring(0, open).trim();
        Class<?> type = null;
        for (Class<?> permitted : family.getPermittedSubclasses()) {
            if (permitted.getSimpleName().equals(name)) {
                type = permitted;
            }
        }
        if (type == null || !type.isRecord()) {
            throw new IllegalArgumentException("'" + name + "' is not a kind of " + family.getSimpleName());
        }
        Map<String, String> values = new LinkedHashMap<>();
        String body = text.substring(open + 1, text.length() - 1).trim();
        if (!body.isEmpty()) {
            for (String kv : body.split(",")) {
                int eq = kv.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("'" + kv.trim() + "' in '" + text + "' is not component=value");
                }
                values.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            String v = values.remove(components[i].getName());
            if (v == null) {
                throw new IllegalArgumentException("'" + text + "' lacks " + components[i].getName());
            }
            args[i] = parseValue(types[i], v);
        }
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' has unknown components " + values.keySet());
        }
        try {
            Constructor<?> c = type.getDeclaredConstructor(types);
            return family.cast(c.newInstance(args));
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new IllegalArgumentException("'" + text + "': " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getName(), e);
        }
    }

    private static Object parseValue(Class<?> type, String v) {
        if (type == double.class) {
            return Double.parseDouble(v);
        } else if (type == int.class) {
            return Integer.parseInt(v);
        } else if (type == long.class) {
            return Long.parseLong(v);
        } else if (type == boolean.class) {
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException("'" + v + "' is not true or false");
            }
            return Boolean.parseBoolean(v);
        }
        throw new IllegalStateException("unsupported component type " + type);
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
