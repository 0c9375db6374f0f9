package ae.cli.bench;

import ae.cli.Command;
import ae.cli.CommandFailedException;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ae bench startup}: the whole process of a short training job, ae (through the {@code ae} launcher, as a
 * user runs it) beside PyTorch doing the same job, timed from start to exit.
 */
public final class StartupBenchCommand implements Command {
    static final Option MODEL = Option.withValue("--model", "R1..R6", "R1", "the reference workload trained");
    static final Option EPOCHS = Option.withValue("--epochs", "N", "1", "epochs of the timed job");
    static final Option STEADY_EPOCHS = Option.withValue("--steady-epochs", "N", "3",
            "epochs of the run whose last epoch gives the steady samples/s (0: no such run)");
    static final Option THREADS = Option.withValue("--threads", "T", "1", "compute threads of both");
    static final Option RUNS = Option.withValue("--runs", "N", "3", "runs of each process; medians are printed");
    static final Option PYTHON = Option.withValue("--python", "PATH", "/usr/bin/python3",
            "the Python with PyTorch (Debian's python3-torch); without PyTorch only ae runs");
    static final Option JSON = Option.flag("--json", "print one JSON object per implementation and one of the "
            + "ratios: wall_s, first_epoch_samples_per_s, steady_samples_per_s, first_over_steady, peak_rss_mib");
    private static final List<String> WORKLOADS = List.of("R1", "R2", "R3", "R4", "R5", "R6");
    private static final long POLL_MILLIS = 5;

    private final Path aeHome;

    /** {@code aeHome} is the repository root holding the {@code ae} launcher; null if unknown. */
    public StartupBenchCommand(Path aeHome) {
        this.aeHome = aeHome;
    }

    @Override
    public List<String> path() {
        return List.of("bench", "startup");
    }

    @Override
    public String summary() {
        return "a whole short training process, from start to exit, beside PyTorch: wall time, samples/s, peak RSS";
    }

    @Override
    public String description() {
        return """
                Runs `ae train --model R1 --data fashion-mnist --epochs 1 --threads 1 --validation 0 --json` \
                through the ae launcher, as a user would (with its JVM settings and start-up cache), and \
                ae.bench/pytorch/startup.py doing the same job in PyTorch (read the IDX files, train, the test \
                loss), --runs times each, interleaved. Prints the medians of the wall time from start to exit, the \
                first epoch's samples/s, the peak resident set (VmHWM, polled every 5 ms) and, from runs of \
                --steady-epochs epochs, the last epoch's samples/s; the fastest and slowest wall time; with \
                PyTorch, ae's figures over PyTorch's, and ae's wall time over PyTorch's in each interleaved pair of \
                runs (median and range: how much the machine's load moved the comparison). \
                PyTorch runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from its environment, so OpenBLAS \
                picks its kernels for this CPU. Needs the full Fashion-MNIST; run it on a quiet machine.""";
    }

    @Override
    public List<Option> options() {
        return List.of(MODEL, EPOCHS, STEADY_EPOCHS, THREADS, RUNS, PYTHON, JSON);
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) throws IOException {
        String model = options.value(MODEL.name()).trim().toUpperCase(Locale.ROOT);
        if (!WORKLOADS.contains(model)) {
            throw new UsageException(MODEL.name() + ": '" + options.value(MODEL.name()) + "' is not one of "
                    + String.join(", ", WORKLOADS));
        }
        int epochs = options.positiveInt(EPOCHS.name());
        int steadyEpochs = options.nonNegativeInt(STEADY_EPOCHS.name());
        int threads = options.positiveInt(THREADS.name());
        int runs = options.positiveInt(RUNS.name());
        boolean json = options.flag(JSON.name());
        if (aeHome == null) {
            throw new CommandFailedException("the ae.home system property is not set; run this through ./ae, which"
                    + " sets it");
        }
        Path launcher = aeHome.resolve("ae");
        Path script = aeHome.resolve("ae.bench").resolve("pytorch").resolve("startup.py");
        String python = options.value(PYTHON.name());
        boolean withPytorch = hasPytorch(python);
        if (!withPytorch) {
            err.println("note: " + python + " cannot import torch (install python3-torch): measuring ae alone");
        }
        Path work = Files.createTempDirectory("ae-bench-startup");
        try {
            List<StartupBench.Run> aeJobs = new ArrayList<>();
            List<StartupBench.Run> aeSteady = new ArrayList<>();
            List<StartupBench.Run> torchJobs = new ArrayList<>();
            List<StartupBench.Run> torchSteady = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                aeJobs.add(measure(aeCommand(launcher, model, epochs, threads, work.resolve("ae-" + r)), false,
                        work, "ae job"));
                if (withPytorch) {
                    torchJobs.add(measure(torchCommand(python, script, model, epochs, threads), true, work,
                            "PyTorch job"));
                }
                if (steadyEpochs > 0) {
                    aeSteady.add(measure(aeCommand(launcher, model, steadyEpochs, threads, work.resolve("ae-s" + r)),
                            false, work, "ae steady run"));
                    if (withPytorch) {
                        torchSteady.add(measure(torchCommand(python, script, model, steadyEpochs, threads), true,
                                work, "PyTorch steady run"));
                    }
                }
                if (!json) {
                    err.printf(Locale.ROOT, "run %d of %d done%n", r + 1, runs);
                }
            }
            StartupBench.Summary ae = StartupBench.summarize("ae", aeJobs, aeSteady);
            StartupBench.Summary torch = withPytorch ? StartupBench.summarize("pytorch", torchJobs, torchSteady)
                    : null;
            StartupBench.PairedWall paired = withPytorch ? StartupBench.PairedWall.of(aeJobs, torchJobs) : null;
            if (json) {
                Map<String, Object> job = new LinkedHashMap<>();
                job.put("workload", model);
                job.put("threads", threads);
                job.put("epochs", epochs);
                for (String line : StartupBench.json(ae, torch, paired, job)) {
                    out.println(line);
                }
            } else {
                out.printf(Locale.ROOT, "%s, %d epoch(s) of the full Fashion-MNIST on %d thread(s), whole process:%n",
                        model, epochs, threads);
                out.print(StartupBench.table(ae, torch, paired));
            }
            return 0;
        } finally {
            deleteTree(work);
        }
    }

    private static List<String> aeCommand(Path launcher, String model, int epochs, int threads, Path outFolder) {
        return List.of(launcher.toString(), "train", "--model", model, "--data", "fashion-mnist", "--epochs",
                Integer.toString(epochs), "--threads", Integer.toString(threads), "--validation", "0", "--json",
                "--out", outFolder.toString());
    }

    private static List<String> torchCommand(String python, Path script, String model, int epochs, int threads) {
        return List.of(python, script.toString(), "--model", model, "--epochs", Integer.toString(epochs),
                "--threads", Integer.toString(threads));
    }

    private static boolean hasPytorch(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailedException("interrupted", e);
        }
    }

    /** Runs {@code command} to its end: wall time, the peak of VmHWM while it ran, the epochs' samples/s. */
    private static StartupBench.Run measure(List<String> command, boolean clearOpenblas, Path work, String what)
            throws IOException {
        Path stdout = work.resolve("stdout");
        Path stderr = work.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        if (clearOpenblas) {
            builder.environment().remove("OPENBLAS_CORETYPE");
            builder.environment().remove("OPENBLAS_L2_SIZE");
        }
        long started = System.nanoTime();
        Process process = builder.start();
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        long peakKib = 0;
        try {
            while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                peakKib = Math.max(peakKib, highWaterMarkKib(status));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CommandFailedException("interrupted", e);
        }
        double wall = (System.nanoTime() - started) / 1e9;
        if (process.exitValue() != 0) {
            List<String> lines = Files.readAllLines(stderr);
            throw new CommandFailedException(what + " failed (exit " + process.exitValue() + "): "
                    + String.join(" ", command) + (lines.isEmpty() ? "" : "; " + lines.getLast()));
        }
        double[] rates = StartupBench.samplesPerSecond(Files.readString(stdout));
        if (rates.length == 0) {
            throw new CommandFailedException(what + " printed no samples_per_s: " + String.join(" ", command));
        }
        return new StartupBench.Run(wall, peakKib, rates);
    }

    /** The VmHWM line of a /proc status file, in KiB; 0 once the process is gone. */
    static long highWaterMarkKib(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException | UncheckedIOException gone) {
            // The process ended between two polls.
        }
        return 0;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
