package ae.cli;

import java.util.ArrayList;
import java.util.List;

/** The help texts: every option is listed with its default, so the help is also the reference. */
final class Help {
    static final Option HELP = Option.flag("--help", "show this help and exit (also -h)");
    static final Option VERBOSE = Option.flag("--verbose", "print the stack trace when a command fails");
    static final List<Option> GLOBAL_OPTIONS = List.of(HELP, VERBOSE);
    private static final int WIDTH = 100;

    private Help() {
    }

    /** {@code ae --help}, or the help of a group such as {@code ae bench}: its commands, each with its options. */
    static String forGroup(List<String> prefix, List<Command> commands) {
        StringBuilder text = new StringBuilder();
        String name = prefix.isEmpty() ? "ae" : "ae " + String.join(" ", prefix);
        text.append("usage: ").append(name).append(" <command> [options]\n\n");
        if (prefix.isEmpty()) {
            text.append("ae trains, evaluates and benchmarks autoencoders on its own off-heap SIMD compute engine.\n\n");
        }
        text.append("commands:\n");
        for (Command command : commands) {
            text.append("  ").append(usage(command)).append("\n      ").append(command.summary()).append('\n');
            appendArguments(text, command.arguments(), "      ");
            appendOptions(text, command.options(), "      ");
        }
        text.append("\noptions of every command:\n");
        appendOptions(text, GLOBAL_OPTIONS, "  ");
        text.append("\n'ae <command> --help' describes one command.\n");
        return text.toString();
    }

    static String forCommand(Command command) {
        StringBuilder text = new StringBuilder();
        text.append("usage: ").append(usage(command)).append("\n\n");
        for (String line : command.description().strip().split("\n", -1)) {
            // Indented lines are examples and stay as written; prose is wrapped.
            text.append(line.startsWith(" ") ? line + "\n" : wrap(line, "", ""));
        }
        if (!command.arguments().isEmpty()) {
            text.append("\narguments:\n");
            appendArguments(text, command.arguments(), "  ");
        }
        text.append("\noptions:\n");
        List<Option> all = new ArrayList<>(command.options());
        all.addAll(GLOBAL_OPTIONS);
        appendOptions(text, all, "  ");
        return text.toString();
    }

    private static String usage(Command command) {
        StringBuilder usage = new StringBuilder(command.displayName());
        for (Argument argument : command.arguments()) {
            usage.append(' ').append(argument.synopsis());
        }
        return usage.append(" [options]").toString();
    }

    private static void appendArguments(StringBuilder text, List<Argument> arguments, String indent) {
        appendTable(text, arguments.stream().map(Argument::synopsis).toList(),
                arguments.stream().map(argument -> argument.description() + " (required)").toList(), indent);
    }

    private static void appendOptions(StringBuilder text, List<Option> options, String indent) {
        appendTable(text, options.stream().map(Option::synopsis).toList(), options.stream()
                .map(option -> option.description() + " (default: " + option.defaultValue() + ")").toList(), indent);
    }

    /** Two columns: each synopsis, padded to the widest, beside its text wrapped under a hanging indent. */
    private static void appendTable(StringBuilder text, List<String> synopses, List<String> texts, String indent) {
        int width = 0;
        for (String synopsis : synopses) {
            width = Math.max(width, synopsis.length());
        }
        String hanging = indent + " ".repeat(width + 3);
        for (int i = 0; i < synopses.size(); i++) {
            String head = indent + synopses.get(i) + " ".repeat(width - synopses.get(i).length() + 3);
            text.append(wrap(texts.get(i), head, hanging));
        }
    }

    /** Word-wraps {@code words} to {@link #WIDTH} columns: the first line after {@code first}, the rest after {@code rest}. */
    static String wrap(String words, String first, String rest) {
        StringBuilder wrapped = new StringBuilder(first);
        int lineStart = 0;
        boolean lineEmpty = true;
        for (String word : words.split(" ")) {
            if (!lineEmpty && wrapped.length() - lineStart + 1 + word.length() > WIDTH) {
                wrapped.append('\n');
                lineStart = wrapped.length();
                wrapped.append(rest);
                lineEmpty = true;
            }
            if (!lineEmpty) {
                wrapped.append(' ');
            }
            wrapped.append(word);
            lineEmpty = false;
        }
        return wrapped.append('\n').toString();
    }
}
