package ae.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The options given to one command, with typed access; options not given read as their defaults. */
public final class ParsedOptions {
    private final String commandName;
    private final Map<String, Option> known;
    private final Map<String, String> given;

    ParsedOptions(String commandName, Map<String, Option> known, Map<String, String> given) {
        this.commandName = commandName;
        this.known = known;
        this.given = given;
    }

    private Option option(String name) {
        Option option = known.get(name);
        if (option == null) {
            throw new IllegalArgumentException(commandName + " has no option " + name);
        }
        return option;
    }

    public boolean flag(String name) {
        option(name);
        return given.containsKey(name);
    }

    public boolean isGiven(String name) {
        option(name);
        return given.containsKey(name);
    }

    public String value(String name) {
        Option option = option(name);
        if (!option.takesValue()) {
            throw new IllegalArgumentException(name + " is a flag, not an option with a value");
        }
        return given.getOrDefault(name, option.defaultValue());
    }

    /** A comma-separated value as a list of its non-empty, trimmed items. */
    public List<String> list(String name) {
        List<String> items = new ArrayList<>();
        for (String item : value(name).split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        if (items.isEmpty()) {
            throw new UsageException(name + " needs at least one value");
        }
        return items;
    }

    /** A comma-separated list of positive integers, e.g. {@code --threads 1,2}. */
    public List<Integer> positiveInts(String name) {
        List<Integer> numbers = new ArrayList<>();
        for (String item : list(name)) {
            int number;
            try {
                number = Integer.parseInt(item);
            } catch (NumberFormatException e) {
                throw new UsageException(name + " expects positive whole numbers, got '" + item + "'");
            }
            if (number < 1) {
                throw new UsageException(name + " expects positive whole numbers, got " + number);
            }
            numbers.add(number);
        }
        return numbers;
    }
}
