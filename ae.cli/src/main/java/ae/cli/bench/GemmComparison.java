package ae.cli.bench;

import ae.cli.CommandFailedException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code ae.bench.GemmBenchmark} from the shaded benchmark jar in child JVMs and collects the results.
 *
 * <p>One JMH run per shape, so that the implementations compared on a shape are measured minutes apart at most on
 * a machine whose speed drifts. The children's environment lacks OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE: OpenBLAS
 * reads them once at load time, and an inherited older core type would compare us against a slower kernel.
 */
public final class GemmComparison {
    static final String BENCHMARK_CLASS = "ae.bench.GemmBenchmark";
    static final List<String> IMPLEMENTATIONS = List.of("ae", "scalar", "openblas");
    static final List<String> OPENBLAS_OVERRIDES = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");

    /**
     * Above this many flops the scalar reference needs seconds per product, so it gets one warm-up and two measured
     * products instead of the benchmark's usual iterations; it is the baseline, not the contender.
     */
    static final double SHORT_RUN_FLOPS = 1e9;
    static final List<String> SHORT_RUN_ARGUMENTS = List.of("-wi", "1", "-i", "2");

    /** Typical seconds per measurement: JVM start, OpenBLAS load, warm-up and measured iterations. */
    private static final double SECONDS_PER_MEASUREMENT = 7;

    private static final String JMH_LOCK_MESSAGE = "Unable to acquire the JMH lock";
    private static final String CORE_MARKER = "ae-bench openblas core: ";
    private static final String WARNING_MARKER = "ae-bench warning: ";
    private static final Pattern BENCHMARK_LINE = Pattern.compile("^# Benchmark: .*\\.(\\w+)$");
    private static final Pattern PARAMETERS_LINE = Pattern.compile("^# Parameters: \\(shape = (.*), threads = (\\d+)\\)$");

    /** One JMH run: some benchmark methods on some shapes at some thread counts. */
    public record JmhRun(List<String> implementations, List<GemmShape> shapes, List<Integer> threads, boolean shortened) {
        public int measurements() {
            return implementations.size() * shapes.size() * threads.size();
        }

        /** The arguments after {@code java -jar benchmarks.jar}. */
        public List<String> jmhArguments(Path resultFile) {
            List<String> arguments = new ArrayList<>();
            arguments.add("^" + Pattern.quote(BENCHMARK_CLASS + ".") + "(" + String.join("|", implementations) + ")$");
            arguments.add("-p");
            arguments.add("shape=" + String.join(",", shapes.stream().map(GemmShape::toString).toList()));
            arguments.add("-p");
            arguments.add("threads=" + String.join(",", threads.stream().map(String::valueOf).toList()));
            if (shortened) {
                arguments.addAll(SHORT_RUN_ARGUMENTS);
            }
            arguments.addAll(List.of("-foe", "true", "-rf", "json", "-rff", resultFile.toString()));
            return arguments;
        }
    }

    /** What the runs produced; {@code openBlasCore} is null when OpenBLAS was not measured. */
    public record Outcome(List<GemmResult> results, String openBlasCore, String openBlasConfig, List<String> notes) {
    }

    private final Path benchmarkJar;
    private final Path java;
    private final PrintStream progress;

    public GemmComparison(Path benchmarkJar, Path java, PrintStream progress) {
        this.benchmarkJar = benchmarkJar;
        this.java = java;
        this.progress = progress;
    }

    /**
     * One run per shape for the contenders, so that ae and OpenBLAS on a shape are measured back to back. The
     * scalar reference is single-threaded (it ignores the pool), so it is measured once, at the first thread count,
     * in runs of its own: a regular one, and a shortened one for shapes above {@link #SHORT_RUN_FLOPS}.
     */
    public static List<JmhRun> plan(List<GemmShape> shapes, List<Integer> threads, List<String> implementations) {
        List<JmhRun> runs = new ArrayList<>();
        List<String> contenders = implementations.stream().filter(implementation -> !implementation.equals("scalar")).toList();
        if (!contenders.isEmpty()) {
            for (GemmShape shape : shapes) {
                runs.add(new JmhRun(contenders, List.of(shape), threads, false));
            }
        }
        if (implementations.contains("scalar")) {
            List<Integer> once = List.of(threads.getFirst());
            List<GemmShape> quick = shapes.stream().filter(shape -> shape.flops() <= SHORT_RUN_FLOPS).toList();
            List<GemmShape> slow = shapes.stream().filter(shape -> shape.flops() > SHORT_RUN_FLOPS).toList();
            if (!quick.isEmpty()) {
                runs.add(new JmhRun(List.of("scalar"), quick, once, false));
            }
            if (!slow.isEmpty()) {
                runs.add(new JmhRun(List.of("scalar"), slow, once, true));
            }
        }
        return runs;
    }

    public static double estimatedSeconds(List<JmhRun> runs) {
        return runs.stream().mapToInt(JmhRun::measurements).sum() * SECONDS_PER_MEASUREMENT;
    }

    /**
     * Combines the results of several rounds of the same runs: per shape, thread count and implementation, the median
     * GFLOP/s (the lower middle one for an even count). Its relative error is the larger of the median JMH error and
     * half the spread between rounds over the median, so that a figure that moved between rounds is flagged unsteady.
     * Keeps the order in which each key first appears.
     */
    public static List<GemmResult> medianOfRounds(List<GemmResult> results) {
        Map<String, List<GemmResult>> byKey = new LinkedHashMap<>();
        for (GemmResult r : results) {
            byKey.computeIfAbsent(r.shape() + "|" + r.threads() + "|" + r.implementation(), key -> new ArrayList<>())
                    .add(r);
        }
        List<GemmResult> combined = new ArrayList<>();
        for (List<GemmResult> rounds : byKey.values()) {
            if (rounds.size() == 1) {
                combined.add(rounds.getFirst());
                continue;
            }
            double[] gflops = rounds.stream().mapToDouble(GemmResult::gflops).sorted().toArray();
            double[] errors = rounds.stream().mapToDouble(GemmResult::relativeError).filter(e -> !Double.isNaN(e))
                    .sorted().toArray();
            double median = gflops[(gflops.length - 1) / 2];
            double spread = (gflops[gflops.length - 1] - gflops[0]) / 2 / median;
            double error = errors.length == 0 ? spread : Math.max(errors[(errors.length - 1) / 2], spread);
            GemmResult first = rounds.getFirst();
            combined.add(new GemmResult(first.shape(), first.threads(), first.implementation(), median, error));
        }
        return combined;
    }

    public Outcome run(List<JmhRun> runs) throws IOException, InterruptedException {
        if (!Files.isRegularFile(benchmarkJar)) {
            throw new CommandFailedException("benchmark jar not found at " + benchmarkJar
                    + "; build it with './mvnw -DskipTests package' (./ae does this by itself)");
        }
        Path workDirectory = Files.createTempDirectory("ae-bench-gemm-");
        Path log = workDirectory.resolve("jmh.log");
        int total = runs.stream().mapToInt(JmhRun::measurements).sum();
        Progress state = new Progress(total);
        List<GemmResult> results = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Path resultFile = workDirectory.resolve("result-" + (i + 1) + ".json");
            runJmh(runs.get(i), resultFile, log, state);
            results.addAll(JmhResults.read(resultFile));
        }
        deleteWorkDirectory(workDirectory, log, runs.size());
        return new Outcome(results, state.core, state.config, state.warnings);
    }

    private void runJmh(JmhRun run, Path resultFile, Path log, Progress state) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java.toString(), "-jar", benchmarkJar.toString()));
        command.addAll(run.jmhArguments(resultFile));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        OPENBLAS_OVERRIDES.forEach(environment::remove);
        Process process = builder.start();
        // On Ctrl-C the JMH host and its forked measurement JVM go too, instead of running on unattended.
        Thread killer = new Thread(() -> destroyTree(process));
        Runtime.getRuntime().addShutdownHook(killer);
        String firstError = null;
        boolean locked = false;
        try {
            try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 BufferedWriter logWriter = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                         StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                logWriter.write("$ " + String.join(" ", command) + "\n");
                String line;
                while ((line = output.readLine()) != null) {
                    logWriter.write(line);
                    logWriter.newLine();
                    state.observe(line);
                    locked |= line.contains(JMH_LOCK_MESSAGE);
                    if (firstError == null && (line.contains("Exception") || line.startsWith("<failure>")
                            || line.startsWith("Error"))) {
                        firstError = line.strip();
                    }
                }
            }
            int exit = process.waitFor();
            if (locked) {
                throw new CommandFailedException("another JMH run is in progress on this machine (it holds JMH's lock"
                        + " file); benchmarks side by side would distort each other's times, so try again when it is done");
            }
            if (exit != 0 || !Files.isRegularFile(resultFile)) {
                throw new CommandFailedException("the JMH run failed (exit " + exit + ")"
                        + (firstError == null ? "" : ": " + firstError) + "; its output is in " + log);
            }
        } finally {
            // Reached with the child still alive only when reading its output failed or this thread was interrupted.
            destroyTree(process);
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is already exiting, and the hook is running or has run.
            }
        }
    }

    private static void destroyTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
    }

    private static void deleteWorkDirectory(Path workDirectory, Path log, int resultFiles) throws IOException {
        Files.deleteIfExists(log);
        for (int i = 1; i <= resultFiles; i++) {
            Files.deleteIfExists(workDirectory.resolve("result-" + i + ".json"));
        }
        Files.deleteIfExists(workDirectory);
    }

    /** Follows JMH's output: which measurement is running, and the marker lines the benchmark prints. */
    private final class Progress {
        private final int total;
        private int started;
        private String implementation = "?";
        private String core;
        private String config;
        private final List<String> warnings = new ArrayList<>();

        Progress(int total) {
            this.total = total;
        }

        void observe(String line) {
            Matcher benchmark = BENCHMARK_LINE.matcher(line);
            if (benchmark.matches()) {
                implementation = benchmark.group(1);
                return;
            }
            Matcher parameters = PARAMETERS_LINE.matcher(line);
            if (parameters.matches()) {
                started++;
                int threads = Integer.parseInt(parameters.group(2));
                progress.printf("ae bench gemm: [%d/%d] %s %s, %d thread%s%n", started, total, implementation,
                        parameters.group(1), threads, threads == 1 ? "" : "s");
                return;
            }
            int coreAt = line.indexOf(CORE_MARKER);
            if (coreAt >= 0 && core == null) {
                String[] parts = line.substring(coreAt + CORE_MARKER.length()).split(" \\| ");
                core = parts[0].strip();
                config = parts.length > 1 ? parts[1].strip() : "";
            }
            int warningAt = line.indexOf(WARNING_MARKER);
            if (warningAt >= 0) {
                String warning = line.substring(warningAt + WARNING_MARKER.length()).strip();
                if (!warnings.contains(warning)) {
                    warnings.add(warning);
                }
            }
        }
    }
}
