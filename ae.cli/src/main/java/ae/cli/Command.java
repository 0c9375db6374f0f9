package ae.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * One leaf of the {@code ae} command tree, such as {@code ae bench gemm}. Main finds it by its path, parses its
 * options and runs it; the command only sees validated options.
 */
public interface Command {
    /** The words that select this command after {@code ae}, e.g. {@code ["bench", "gemm"]}. */
    List<String> path();

    /** One line for the command list. */
    String summary();

    /** A paragraph for {@code ae <command> --help}: what the command does and what it prints. */
    String description();

    /** The command's own options; {@code --help} and {@code --verbose} are added by Main. */
    List<Option> options();

    /** Required words besides the options, in order; none by default. */
    default List<Argument> arguments() {
        return List.of();
    }

    /**
     * Runs the command and returns the process exit code. Results go to {@code out}, progress and notes to
     * {@code err}, so that {@code out} stays machine-readable where the command promises it.
     */
    int run(ParsedOptions options, PrintStream out, PrintStream err) throws Exception;

    default String displayName() {
        return "ae " + String.join(" ", path());
    }
}
