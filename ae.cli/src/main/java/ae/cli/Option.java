package ae.cli;

import java.util.Objects;

/**
 * One option of a command: a flag ({@code --json}) or an option with one value ({@code --threads 2} or
 * {@code --threads=2}). Every option has a default, which the help text shows.
 */
public record Option(String name, String valueName, String defaultValue, String description) {
    public Option {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(description, "description");
        if (!name.startsWith("--")) {
            throw new IllegalArgumentException("option names start with --, got " + name);
        }
    }

    /** A switch that is off unless given. */
    public static Option flag(String name, String description) {
        return new Option(name, null, "off", description);
    }

    public static Option withValue(String name, String valueName, String defaultValue, String description) {
        return new Option(name, Objects.requireNonNull(valueName, "valueName"), defaultValue, description);
    }

    public boolean takesValue() {
        return valueName != null;
    }

    /** How the option is written in help text: {@code --threads T} or {@code --json}. */
    public String synopsis() {
        return takesValue() ? name + " " + valueName : name;
    }
}
