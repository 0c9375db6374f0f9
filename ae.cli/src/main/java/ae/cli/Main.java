package ae.cli;

import ae.cli.bench.AnomalyBenchCommand;
import ae.cli.bench.GemmBenchCommand;
import ae.cli.bench.RetrievalBenchCommand;
import ae.cli.bench.ScoreBenchCommand;
import ae.cli.bench.StartupBenchCommand;
import ae.cli.bench.TangentBenchCommand;
import ae.cli.bench.WorkloadBenchCommand;
import ae.cli.model.EncodeCommand;
import ae.cli.model.EvalCommand;
import ae.cli.model.EvalRetrievalCommand;
import ae.cli.model.FieldCommand;
import ae.cli.model.ExportCommand;
import ae.cli.model.HashCommand;
import ae.cli.model.InspectCommand;
import ae.cli.model.ProbeCommand;
import ae.cli.model.ReconstructCommand;
import ae.cli.model.SampleCommand;
import ae.cli.model.SearchCommand;
import ae.cli.model.ScoreCommand;
import ae.cli.model.SpectrumCommand;
import ae.cli.model.TangentsCommand;
import ae.cli.train.DemoCommand;
import ae.cli.train.TrainCommand;
import java.io.Console;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code ae} command: finds the subcommand named by the leading words, parses its options, and turns failures
 * into one line on stderr and a non-zero exit (2 for a wrong command line, 1 when the command fails). Stack traces
 * only with {@code --verbose}.
 */
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private final List<Command> commands;
    private final PrintStream out;
    private final PrintStream err;

    public Main(List<Command> commands, PrintStream out, PrintStream err) {
        this.commands = List.copyOf(commands);
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        // ./ae passes the repository root, where the build keeps the benchmark jar.
        String home = System.getProperty("ae.home");
        Path aeHome = home == null ? null : Path.of(home);
        // Pictures are drawn off-screen; no display is needed or wanted.
        System.setProperty("java.awt.headless", "true");
        Console console = System.console();
        boolean terminal = console != null && console.isTerminal();
        List<Command> commands = commands(aeHome, terminal);
        System.exit(new Main(commands, System.out, System.err).run(args));
    }

    /** Every command of ae; {@code terminal}: whether output goes to a terminal (progress bars). */
    public static List<Command> commands(Path aeHome, boolean terminal) {
        return List.of(new DemoCommand(terminal), new TrainCommand(terminal), new EvalCommand(), new EncodeCommand(),
                new ReconstructCommand(), new TangentsCommand(), new SpectrumCommand(), new FieldCommand(),
                new ScoreCommand(), new SampleCommand(), new ExportCommand(), new InspectCommand(), new ProbeCommand(),
                new HashCommand(), new SearchCommand(), new EvalRetrievalCommand(), new WorkloadBenchCommand(),
                new AnomalyBenchCommand(), new RetrievalBenchCommand(), new GemmBenchCommand(aeHome),
                new ScoreBenchCommand(), new TangentBenchCommand(), new StartupBenchCommand(aeHome));
    }

    public int run(String... args) {
        boolean verbose = Arrays.asList(args).contains(Help.VERBOSE.name());
        try {
            return dispatch(args);
        } catch (UsageException e) {
            err.println("ae: " + e.getMessage());
            return EXIT_USAGE;
        } catch (CommandFailedException e) {
            err.println("ae: " + e.getMessage());
            if (verbose) {
                e.printStackTrace(err);
            }
            return EXIT_FAILED;
        } catch (Exception | Error e) {
            String problem = Failures.describe(e);
            if (verbose) {
                err.println("ae: " + problem);
                e.printStackTrace(err);
            } else {
                err.println("ae: " + problem + (Failures.isExpected(e) ? "" : " (--verbose shows the stack trace)"));
            }
            return EXIT_FAILED;
        }
    }

    private int dispatch(String[] args) throws Exception {
        List<String> path = new ArrayList<>();
        boolean help = false;
        int next = 0;
        while (next < args.length && commandAt(path) == null) {
            String word = args[next];
            if (isHelp(word)) {
                help = true;
            } else if (word.equals(Help.VERBOSE.name())) {
                // Already noted by run(); allowed before the command too.
            } else if (word.startsWith("-")) {
                throw new UsageException("unknown option '" + word + "' for '" + groupName(path) + "' (see '"
                        + groupName(path) + " --help')");
            } else {
                List<String> longer = new ArrayList<>(path);
                longer.add(word);
                if (commandsUnder(longer).isEmpty()) {
                    throw new UsageException("unknown command '" + groupName(longer) + "' (see '" + groupName(path)
                            + " --help')");
                }
                path = longer;
            }
            next++;
        }
        Command command = commandAt(path);
        if (command == null) {
            String text = Help.forGroup(path, commandsUnder(path));
            if (help) {
                out.print(text);
                return EXIT_OK;
            }
            err.print(text);
            return EXIT_USAGE;
        }
        String[] rest = Arrays.copyOfRange(args, next, args.length);
        if (help || Arrays.stream(rest).anyMatch(Main::isHelp)) {
            out.print(Help.forCommand(command));
            return EXIT_OK;
        }
        return command.run(parse(command, rest), out, err);
    }

    private static boolean isHelp(String word) {
        return word.equals(Help.HELP.name()) || word.equals("-h");
    }

    private static String groupName(List<String> path) {
        return path.isEmpty() ? "ae" : "ae " + String.join(" ", path);
    }

    private Command commandAt(List<String> path) {
        for (Command command : commands) {
            if (command.path().equals(path)) {
                return command;
            }
        }
        return null;
    }

    private List<Command> commandsUnder(List<String> prefix) {
        List<Command> found = new ArrayList<>();
        for (Command command : commands) {
            List<String> commandPath = command.path();
            if (commandPath.size() >= prefix.size() && commandPath.subList(0, prefix.size()).equals(prefix)) {
                found.add(command);
            }
        }
        return found;
    }

    /**
     * Parses a command's words: options as {@code --name value}, {@code --name=value} or a bare flag (the last one
     * given wins), and the command's required arguments, in order, wherever they stand among the options.
     */
    static ParsedOptions parse(Command command, String[] args) {
        Map<String, Option> known = new LinkedHashMap<>();
        for (Option option : command.options()) {
            known.put(option.name(), option);
        }
        for (Option option : Help.GLOBAL_OPTIONS) {
            known.put(option.name(), option);
        }
        Map<String, String> given = new LinkedHashMap<>();
        Map<String, String> arguments = new LinkedHashMap<>();
        List<Argument> expected = command.arguments();
        String name = command.displayName();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                if (!arg.startsWith("-") && arguments.size() < expected.size()) {
                    arguments.put(expected.get(arguments.size()).name(), arg);
                    continue;
                }
                throw new UsageException((arg.startsWith("-") ? "unknown option '" : "unexpected argument '") + arg
                        + "' for '" + name + "' (see '" + name + " --help')");
            }
            int equals = arg.indexOf('=');
            String optionName = equals < 0 ? arg : arg.substring(0, equals);
            Option option = known.get(optionName);
            if (option == null) {
                throw new UsageException("unknown option '" + optionName + "' for '" + name + "' (see '" + name
                        + " --help')");
            }
            if (!option.takesValue()) {
                if (equals >= 0) {
                    throw new UsageException(optionName + " is a flag and takes no value");
                }
                given.put(optionName, "on");
            } else if (equals >= 0) {
                given.put(optionName, arg.substring(equals + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                given.put(optionName, args[++i]);
            } else {
                throw new UsageException(optionName + " needs a value: " + option.synopsis());
            }
        }
        if (arguments.size() < expected.size()) {
            Argument missing = expected.get(arguments.size());
            throw new UsageException("'" + name + "' needs " + missing.synopsis() + ": " + missing.description()
                    + " (see '" + name + " --help')");
        }
        return new ParsedOptions(name, known, given, arguments);
    }
}
