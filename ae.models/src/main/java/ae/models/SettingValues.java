package ae.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of a part's settings by key, as a {@link PartKind}'s factory reads them: every setting of the kind has a
 * value (its default unless given).
 */
public final class SettingValues {
    private final String kind;
    private final Map<String, Object> values;

    SettingValues(String kind, Map<String, Object> values) {
        this.kind = kind;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    private Object get(String key) {
        Object v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("part kind '" + kind + "' has no setting '" + key + "'");
        }
        return v;
    }

    /** The real value of {@code key}; throws {@link IllegalArgumentException} if the kind has no such setting. */
    public double real(String key) {
        return (Double) get(key);
    }

    /** The integer value of {@code key}; throws {@link IllegalArgumentException} if the kind has no such setting. */
    public int integer(String key) {
        return (Integer) get(key);
    }

    /** The boolean value of {@code key}; throws {@link IllegalArgumentException} if the kind has no such setting. */
    public boolean bool(String key) {
        return (Boolean) get(key);
    }

    /** The layers of {@code key}; throws {@link IllegalArgumentException} if the kind has no such setting. */
    @SuppressWarnings("unchecked")
    public List<LayerSpec> layers(String key) {
        return List.copyOf((List<LayerSpec>) get(key));
    }

    /** The penalties of {@code key}; throws {@link IllegalArgumentException} if the kind has no such setting. */
    public List<Penalty> penalties(String key) {
        List<Penalty> out = new ArrayList<>();
        for (Object p : (List<?>) get(key)) {
            out.add((Penalty) p);
        }
        return out;
    }

    /** The corruption of {@code key}; throws {@link IllegalArgumentException} if the kind has no such setting. */
    public Corruption corruption(String key) {
        return (Corruption) get(key);
    }

    /** Every value by key, in the kind's order. */
    public Map<String, Object> asMap() {
        return values;
    }
}
