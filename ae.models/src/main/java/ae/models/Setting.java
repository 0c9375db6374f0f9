package ae.models;

import ae.tensor.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One hyperparameter of a part: its stable on-disk key, its command-line option (if the CLI exposes it), one line of
 * help, its type and default, and how to read it from a part. The keys are a file format (docs/checkpoint-format.md)
 * and the options a command line: neither follows Java identifiers, so renaming a field changes neither.
 *
 * @param <P> the part type the value is read from
 */
public final class Setting<P> {
    /** What a setting holds; every value has a one-word text form (no spaces) in checkpoints. */
    public enum Type {
        /** A double, written in Java's shortest round-trip form. */
        REAL,
        /** An int. */
        INTEGER,
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** Dense layers, {@code units:activation} joined by commas, e.g. {@code 400:relu,20:identity}. */
        LAYERS,
        /** A list of penalties (nested parts, written under their own keys). */
        PENALTIES,
        /** A corruption process (a nested part, written under its own key). */
        CORRUPTION
    }

    private final String key;
    private final String option;
    private final String help;
    private final Type type;
    private final Object defaultValue;
    private final Function<P, ?> getter;

    private Setting(String key, String option, String help, Type type, Object defaultValue, Function<P, ?> getter) {
        this.key = requireKey(key);
        this.option = option;
        this.help = Objects.requireNonNull(help, "help");
        this.type = type;
        this.defaultValue = defaultValue;
        this.getter = Objects.requireNonNull(getter, "getter");
        if (option != null && !option.matches("--[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("a command-line option is --lowercase-words, got '" + option + "'");
        }
    }

    private static String requireKey(String key) {
        if (key == null || !key.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("a setting key is lowercase words joined by '-', got '" + key + "'");
        }
        return key;
    }

    /** A real-valued setting with its default, its command-line option (or null) and help. */
    public static <P> Setting<P> real(String key, double defaultValue, String option, String help,
                                      Function<P, Double> getter) {
        return new Setting<>(key, option, help, Type.REAL, defaultValue, getter);
    }

    /** An integer setting with its default, its command-line option (or null) and help. */
    public static <P> Setting<P> integer(String key, int defaultValue, String option, String help,
                                         Function<P, Integer> getter) {
        return new Setting<>(key, option, help, Type.INTEGER, defaultValue, getter);
    }

    /** A boolean setting with its default, its command-line option (or null) and help. */
    public static <P> Setting<P> bool(String key, boolean defaultValue, String option, String help,
                                      Function<P, Boolean> getter) {
        return new Setting<>(key, option, help, Type.BOOLEAN, defaultValue, getter);
    }

    /** A list of layers, written {@code units:activation,...}; no command-line option. */
    public static <P> Setting<P> layers(String key, String help, Function<P, List<LayerSpec>> getter) {
        return new Setting<>(key, null, help, Type.LAYERS, List.of(), getter);
    }

    /** A nested list of penalties (e.g. greedy pretraining's per-layer ones); no command-line option. */
    public static <P> Setting<P> penalties(String key, String help, Function<P, List<Penalty>> getter) {
        return new Setting<>(key, null, help, Type.PENALTIES, List.of(), getter);
    }

    /** A nested corruption part; no command-line option. */
    public static <P> Setting<P> corruption(String key, String help, Function<P, Corruption> getter) {
        return new Setting<>(key, null, help, Type.CORRUPTION, Corruption.none(), getter);
    }

    /** The stable on-disk key, e.g. {@code weight}. */
    public String key() {
        return key;
    }

    /** The command-line option that sets it, e.g. {@code --contractive}, or null if the CLI does not expose it. */
    public String option() {
        return option;
    }

    /** One line of help. */
    public String help() {
        return help;
    }

    /** The type of the setting's value. */
    public Type type() {
        return type;
    }

    /** The value a part of this kind gets when nothing else says: a Double, Integer, Boolean or list. */
    public Object defaultValue() {
        return defaultValue;
    }

    /** This setting's value in {@code part}. */
    public Object valueIn(P part) {
        return getter.apply(part);
    }

    /** True for settings written on the part's own line ({@code key=value}); false for nested parts. */
    public boolean isScalar() {
        return type != Type.PENALTIES && type != Type.CORRUPTION;
    }

    /** The one-word text of a scalar value, as checkpoints store it. */
    public String format(Object value) {
        return switch (type) {
            case REAL -> Double.toString((Double) value);
            case INTEGER -> Integer.toString((Integer) value);
            case BOOLEAN -> Boolean.toString((Boolean) value);
            case LAYERS -> formatLayers(castLayers(value));
            case PENALTIES, CORRUPTION -> throw new IllegalStateException("setting '" + key + "' holds nested parts");
        };
    }

    /** Parses the text of a scalar value; IllegalArgumentException names the setting. */
    public Object parse(String text) {
        try {
            return switch (type) {
                case REAL -> {
                    double v = Double.parseDouble(text);
                    if (text.endsWith("f") || text.endsWith("d") || text.endsWith("F") || text.endsWith("D")) {
                        throw new NumberFormatException("'" + text + "'");
                    }
                    yield v;
                }
                case INTEGER -> Integer.parseInt(text);
                case BOOLEAN -> {
                    if (!text.equals("true") && !text.equals("false")) {
                        throw new IllegalArgumentException("'" + text + "' is not true or false");
                    }
                    yield Boolean.parseBoolean(text);
                }
                case LAYERS -> parseLayers(text);
                case PENALTIES, CORRUPTION -> throw new IllegalStateException("setting '" + key
                        + "' holds nested parts");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting '" + key + "': '" + text + "' is not "
                    + (type == Type.INTEGER ? "a whole number" : "a number"), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("setting '" + key + "': " + e.getMessage(), e);
        }
    }

    /** A value for people: numbers without trailing zeros, layers as {@code 400 relu, 20 identity}. */
    public String describe(Object value) {
        return switch (type) {
            case REAL -> number((Double) value);
            case INTEGER, BOOLEAN -> value.toString();
            case LAYERS -> {
                List<String> parts = new ArrayList<>();
                for (LayerSpec l : castLayers(value)) {
                    parts.add(l.units() + " " + ActivationNames.name(l.activation()));
                }
                yield String.join(" -> ", parts);
            }
            case PENALTIES -> {
                List<String> parts = new ArrayList<>();
                for (Object p : (List<?>) value) {
                    parts.add(((Part) p).describe());
                }
                yield parts.isEmpty() ? "none" : String.join(", ", parts);
            }
            case CORRUPTION -> ((Part) value).describe();
        };
    }

    /** Four significant digits for people, trailing zeros dropped: {@code 0.001}, {@code 2.5e-05}, {@code 1e-08}. */
    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e9) {
            return Long.toString((long) value);
        }
        String text = String.format(Locale.ROOT, "%.4g", value);
        int e = text.indexOf('e');
        String mantissa = e < 0 ? text : text.substring(0, e);
        if (mantissa.indexOf('.') >= 0) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return e < 0 ? mantissa : mantissa + text.substring(e);
    }

    @SuppressWarnings("unchecked")
    private static List<LayerSpec> castLayers(Object value) {
        return (List<LayerSpec>) value;
    }

    static String formatLayers(List<LayerSpec> layers) {
        List<String> parts = new ArrayList<>();
        for (LayerSpec l : layers) {
            parts.add(l.units() + ":" + ActivationNames.name(l.activation()));
        }
        return String.join(",", parts);
    }

    static List<LayerSpec> parseLayers(String text) {
        List<LayerSpec> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            int colon = part.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("layer '" + part + "' is not units:activation");
            }
            int units;
            try {
                units = Integer.parseInt(part.substring(0, colon));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("layer '" + part + "' has no whole number of units");
            }
            Activation activation = ActivationNames.parse(part.substring(colon + 1));
            out.add(LayerSpec.of(units, activation));
        }
        return out;
    }

    @Override
    public String toString() {
        return "Setting[" + key + (option == null ? "" : ", " + option) + "]";
    }
}
