package ae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.cli.bench.GemmBenchCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {
    /** Records the options it was run with; fails on demand, to test error reporting. */
    private static final class ProbeCommand implements Command {
        final List<ParsedOptions> runs = new ArrayList<>();
        RuntimeException failure;

        @Override
        public List<String> path() {
            return List.of("probe", "run");
        }

        @Override
        public String summary() {
            return "a command for tests";
        }

        @Override
        public String description() {
            return "Runs nothing.";
        }

        @Override
        public List<Option> options() {
            return List.of(Option.withValue("--count", "N", "3", "how many"), Option.flag("--loud", "be loud"));
        }

        @Override
        public int run(ParsedOptions options, PrintStream out, PrintStream err) {
            runs.add(options);
            if (failure != null) {
                throw failure;
            }
            out.println("count " + options.positiveInts("--count"));
            return 0;
        }
    }

    private final ProbeCommand probe = new ProbeCommand();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        Main main = new Main(List.of(probe, new GemmBenchCommand(null)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return main.run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static List<String> lines(String text) {
        return text.lines().toList();
    }

    /** Help text with line breaks and indentation folded to single spaces, so wrapped lines read as one. */
    private static String flattened(String text) {
        return text.replaceAll("\\s+", " ");
    }

    @Test
    void unknownOptionIsOneLineAndExitTwo() {
        int exit = run("probe", "run", "--colour", "red");

        assertEquals(2, exit);
        assertEquals(List.of("ae: unknown option '--colour' for 'ae probe run' (see 'ae probe run --help')"), lines(err()));
        assertEquals("", out());
        assertTrue(probe.runs.isEmpty());
    }

    @Test
    void unknownOptionOfTheBenchmarkCommandToo() {
        assertEquals(2, run("bench", "gemm", "--thread", "2"));
        assertEquals(1, lines(err()).size());
        assertTrue(err().startsWith("ae: unknown option '--thread'"), err());
    }

    @Test
    void unknownCommandsAndStrayArgumentsAreUsageErrors() {
        assertEquals(2, run("bnch"));
        assertEquals(List.of("ae: unknown command 'ae bnch' (see 'ae --help')"), lines(err()));
        err.reset();
        assertEquals(2, run("probe", "run", "extra"));
        assertEquals(1, lines(err()).size());
        assertTrue(err().contains("unexpected argument 'extra'"), err());
        err.reset();
        assertEquals(2, run("--frobnicate"));
        assertEquals(1, lines(err()).size());
    }

    @Test
    void valuesComeSeparateOrAfterAnEqualsSignAndDefaultOtherwise() {
        assertEquals(0, run("probe", "run", "--count", "5", "--loud"));
        assertEquals(0, run("probe", "run", "--count=1,2"));
        assertEquals(0, run("probe", "run"));

        assertEquals(List.of(5), probe.runs.get(0).positiveInts("--count"));
        assertTrue(probe.runs.get(0).flag("--loud"));
        assertEquals(List.of(1, 2), probe.runs.get(1).positiveInts("--count"));
        assertFalse(probe.runs.get(1).flag("--loud"));
        assertEquals(List.of(3), probe.runs.get(2).positiveInts("--count"));
        assertFalse(probe.runs.get(2).isGiven("--count"));
    }

    @Test
    void malformedValuesAreUsageErrors() {
        assertEquals(2, run("probe", "run", "--count"));
        assertEquals(List.of("ae: --count needs a value: --count N"), lines(err()));
        err.reset();
        assertEquals(2, run("probe", "run", "--loud=yes"));
        assertEquals(List.of("ae: --loud is a flag and takes no value"), lines(err()));
        err.reset();
        assertEquals(2, run("probe", "run", "--count", "two"));
        assertEquals(List.of("ae: --count expects positive whole numbers, got 'two'"), lines(err()));
        err.reset();
        assertEquals(2, run("bench", "gemm", "--shapes", "12x34"));
        assertEquals(1, lines(err()).size());
    }

    @Test
    void failuresAreOneLineWithoutVerboseAndATraceWithIt() {
        probe.failure = new IllegalStateException("the disk is full\nsecond line of detail");

        assertEquals(1, run("probe", "run"));
        assertEquals(List.of("ae: IllegalStateException: the disk is full (--verbose shows the stack trace)"), lines(err()));

        err.reset();
        assertEquals(1, run("probe", "run", "--verbose"));
        assertTrue(lines(err()).size() > 2, err());
        assertTrue(err().contains("\tat "), err());

        err.reset();
        probe.failure = new CommandFailedException("no data in ./missing");
        assertEquals(1, run("--verbose", "probe", "run"));
        assertTrue(err().startsWith("ae: no data in ./missing"), err());
    }

    @Test
    void commandFailuresThatTheUserCanFixAreOneLine() {
        probe.failure = new CommandFailedException("no data in ./missing");

        assertEquals(1, run("probe", "run"));
        assertEquals(List.of("ae: no data in ./missing"), lines(err()));
    }

    @Test
    void commandHelpListsEveryOptionWithItsDefault() {
        assertEquals(0, run("bench", "gemm", "--help"));

        String help = flattened(out());
        assertTrue(help.startsWith("usage: ae bench gemm [options]"), help);
        GemmBenchCommand gemm = new GemmBenchCommand(null);
        List<Option> every = new ArrayList<>(gemm.options());
        every.addAll(Help.GLOBAL_OPTIONS);
        for (Option option : every) {
            assertTrue(help.contains(" " + option.synopsis() + " "), option.name() + " missing from: " + help);
            assertTrue(help.contains("(default: " + option.defaultValue() + ")"),
                    option.name() + "'s default missing from: " + help);
        }
        assertTrue(help.contains("(default: 1,2)"), help);
        assertTrue(help.contains("--json print one JSON object per line: shape, threads, impl, gflops (default: off)"), help);
        assertEquals("", err());
    }

    @Test
    void helpWinsOverOtherOptionsAndWorksAsAShortFlag() {
        assertEquals(0, run("probe", "run", "--count", "zero", "-h"));
        assertTrue(out().startsWith("usage: ae probe run [options]"), out());
        assertTrue(flattened(out()).contains("--count N how many (default: 3)"), out());
        assertTrue(probe.runs.isEmpty());
    }

    @Test
    void topLevelHelpListsEveryCommandWithItsOptionsAndDefaults() {
        assertEquals(0, run("--help"));

        String help = flattened(out());
        assertTrue(help.contains("ae bench gemm"), help);
        assertTrue(help.contains("ae probe run"), help);
        assertTrue(help.contains("--count N how many (default: 3)"), help);
        assertTrue(help.contains("--threads T"), help);
        assertTrue(help.contains("--verbose print the stack trace when a command fails (default: off)"), help);
    }

    @Test
    void aGroupWithoutItsSubcommandPrintsItsCommandsAndFails() {
        assertEquals(2, run("bench"));
        assertTrue(err().startsWith("usage: ae bench <command>"), err());
        assertTrue(err().contains("ae bench gemm"), err());
        assertFalse(err().contains("ae probe run"), err());

        assertEquals(2, run());
        assertEquals(0, run("bench", "--help"));
    }

    @Test
    void benchmarkWithoutTheRepositoryLocationSaysHowToRunIt() {
        assertEquals(1, run("bench", "gemm", "--threads", "1"));
        assertEquals(List.of("ae: the ae.home system property is not set; run this through ./ae, which sets it"),
                lines(err()));
    }
}
