package ae.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A kind of {@link Part}: its stable name (a checkpoint's and the command line's word for it, e.g.
 * {@code contractive}), one line of help, its settings and how to make a part from their values.
 *
 * @param <P> the part type
 */
public final class PartKind<P extends Part> {
    private final Class<P> type;
    private final String name;
    private final String help;
    private final List<Setting<P>> settings;
    private final Function<SettingValues, P> factory;

    private PartKind(Class<P> type, String name, String help, List<Setting<P>> settings,
                     Function<SettingValues, P> factory) {
        this.type = Objects.requireNonNull(type, "type");
        if (name == null || !name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("a part kind's name is lowercase words joined by '-', got '" + name
                    + "'");
        }
        this.name = name;
        this.help = Objects.requireNonNull(help, "help");
        this.settings = List.copyOf(settings);
        this.factory = Objects.requireNonNull(factory, "factory");
        List<String> keys = new ArrayList<>();
        for (Setting<P> s : this.settings) {
            if (keys.contains(s.key())) {
                throw new IllegalArgumentException("part kind '" + name + "' has two settings '" + s.key() + "'");
            }
            keys.add(s.key());
        }
    }

    /** A kind whose parts are made by {@code factory} from the values of {@code settings}. */
    public static <P extends Part> PartKind<P> of(Class<P> type, String name, String help,
                                                  List<Setting<P>> settings, Function<SettingValues, P> factory) {
        return new PartKind<>(type, name, help, settings, factory);
    }

    /** The stable name on disk and on the command line, e.g. {@code l1}. */
    public String name() {
        return name;
    }

    /** One line of help for {@code ae --help} and {@code ae inspect}. */
    public String help() {
        return help;
    }

    /** The part's record type. */
    public Class<P> type() {
        return type;
    }

    /** The kind's settings, in the order they are written. */
    public List<Setting<P>> settings() {
        return settings;
    }

    /** The setting with {@code key}, or null. */
    public Setting<P> setting(String key) {
        for (Setting<P> s : settings) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        return null;
    }

    /** A part from values by key; settings not given take their defaults. */
    public P create(Map<String, Object> given) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Setting<P> s : settings) {
            values.put(s.key(), given.containsKey(s.key()) ? given.get(s.key()) : s.defaultValue());
        }
        for (String key : given.keySet()) {
            if (setting(key) == null) {
                throw new IllegalArgumentException("part kind '" + name + "' has no setting '" + key + "' (its"
                        + " settings: " + keys() + ")");
            }
        }
        return factory.apply(new SettingValues(name, values));
    }

    /** A part with every setting at its default. */
    public P defaults() {
        return create(Map.of());
    }

    /** The values of {@code part}'s settings, by key in the kind's order. */
    public Map<String, Object> valuesOf(P part) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Setting<P> s : settings) {
            out.put(s.key(), s.valueIn(part));
        }
        return out;
    }

    /** {@code part} with some settings changed. */
    public P with(P part, Map<String, Object> changes) {
        Map<String, Object> values = valuesOf(part);
        values.putAll(changes);
        return create(values);
    }

    private List<String> keys() {
        return settings.stream().map(Setting::key).toList();
    }

    /**
     * {@code name (key value, ...)} over the settings but its layers (which descriptions of models show as the
     * path through them), or just the name when nothing is left.
     */
    String describe(P part) {
        List<String> parts = new ArrayList<>();
        for (Setting<P> s : settings) {
            Object v = s.valueIn(part);
            if (s.type() == Setting.Type.LAYERS
                    || s.type() == Setting.Type.PENALTIES && ((List<?>) v).isEmpty()
                    || s.type() == Setting.Type.CORRUPTION && v instanceof NoCorruption) {
                continue;
            }
            parts.add(s.key() + " " + s.describe(v));
        }
        return parts.isEmpty() ? name : name + " (" + String.join(", ", parts) + ")";
    }

    /** The kind of {@code part}, typed for reading its settings. */
    @SuppressWarnings("unchecked")
    public static <P extends Part> PartKind<P> kindOf(P part) {
        return (PartKind<P>) part.kind();
    }

    static String describeAny(Part part) {
        return kindOf(part).describe(part);
    }

    @Override
    public String toString() {
        return "PartKind[" + name + "]";
    }
}
