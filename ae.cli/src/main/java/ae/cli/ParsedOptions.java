package ae.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The options given to one command, with typed access; options not given read as their defaults. */
public final class ParsedOptions {
    private final String commandName;
    private final Map<String, Option> known;
    private final Map<String, String> given;
    private final Map<String, String> arguments;

    ParsedOptions(String commandName, Map<String, Option> known, Map<String, String> given,
                  Map<String, String> arguments) {
        this.commandName = commandName;
        this.known = known;
        this.given = given;
        this.arguments = arguments;
    }

    /** A required argument's word, as given. */
    public String argument(String name) {
        String value = arguments.get(name);
        if (value == null) {
            throw new IllegalArgumentException(commandName + " has no argument " + name);
        }
        return value;
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

    /** A positive whole number, e.g. {@code --epochs 10}. */
    public int positiveInt(String name) {
        List<Integer> numbers = positiveInts(name);
        if (numbers.size() != 1) {
            throw new UsageException(name + " expects one positive whole number, got '" + value(name) + "'");
        }
        return numbers.getFirst();
    }

    /** A whole number of at least zero, e.g. {@code --patience 0}. */
    public int nonNegativeInt(String name) {
        String text = value(name).trim();
        try {
            int number = Integer.parseInt(text);
            if (number >= 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // Reported below with the option's name.
        }
        throw new UsageException(name + " expects a whole number >= 0, got '" + text + "'");
    }

    /** Any 64-bit whole number, e.g. {@code --seed -3}. */
    public long longValue(String name) {
        String text = value(name).trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " expects a whole number, got '" + text + "'");
        }
    }

    /** A finite number, e.g. {@code --lr 1e-3}. */
    public double finiteDouble(String name) {
        String text = value(name).trim();
        try {
            double number = Double.parseDouble(text);
            if (Double.isFinite(number) && !text.endsWith("f") && !text.endsWith("d") && !text.endsWith("F")
                    && !text.endsWith("D")) {
                return number;
            }
        } catch (NumberFormatException e) {
            // Reported below with the option's name.
        }
        throw new UsageException(name + " expects a number, got '" + text + "'");
    }

    /** A finite number in [{@code min}, {@code max}]. */
    /**
     * The value of option {@code name} as a part's setting of {@code type} reads it: a finite double, an int >= 0, or
     * {@code true}/{@code false}; a usage error naming the option otherwise.
     */
    public Object settingValue(String name, ae.models.Setting.Type type) {
        return switch (type) {
            case REAL -> finiteDouble(name);
            case INTEGER -> nonNegativeInt(name);
            case BOOLEAN -> {
                String v = value(name).trim();
                if (!v.equals("true") && !v.equals("false")) {
                    throw new UsageException(name + " expects true or false, got '" + v + "'");
                }
                yield Boolean.parseBoolean(v);
            }
            default -> throw new IllegalStateException(name + " sets a " + type + " setting");
        };
    }

    public double doubleIn(String name, double min, double max) {
        double number = finiteDouble(name);
        if (number < min || number > max) {
            throw new UsageException(name + " expects a number in [" + format(min) + ", " + format(max) + "], got "
                    + value(name).trim());
        }
        return number;
    }

    private static String format(double number) {
        return number == Math.rint(number) && Math.abs(number) < 1e15 ? Long.toString((long) number)
                : Double.toString(number);
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
