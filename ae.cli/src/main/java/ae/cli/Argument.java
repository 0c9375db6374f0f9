package ae.cli;

import java.util.Objects;

/**
 * A required word that a command takes besides its options, such as the workload of {@code ae bench workload R3}.
 * Help shows it as {@code <name>}.
 */
public record Argument(String name, String description) {
    public Argument {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
    }

    public String synopsis() {
        return "<" + name + ">";
    }
}
