package ae.cli.bench;

import ae.cli.Argument;
import ae.cli.Command;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.UsageException;
import ae.cli.data.DataSource;
import ae.cli.data.LoadedData;
import ae.cli.json.Json;
import ae.data.FashionMnist;
import ae.models.Presets;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code ae bench workload}: training throughput and heap allocation per step of a reference workload. */
public final class WorkloadBenchCommand implements Command {
    static final List<String> WORKLOADS = Presets.referenceWorkloads();
    static final String FULL_DATA = "fashion-mnist";
    static final String EMBEDDED_DATA = "fashion-mnist-sample";

    static final Argument WORKLOAD = new Argument("workload",
            "the reference workload of docs/workloads.md: " + String.join(", ", WORKLOADS));
    static final Option THREADS = Option.withValue("--threads", "T",
            Integer.toString(Runtime.getRuntime().availableProcessors()),
            "thread counts, comma-separated; each is measured on a fresh model (the default is the number of"
                    + " processors)");
    static final Option STEPS = Option.withValue("--steps", "N", "400", "measured training steps, after the warm-up");
    static final Option WARMUP = Option.withValue("--warmup", "N", "1000",
            "training steps run before measuring (the JIT compiles the SIMD kernels meanwhile)");
    static final Option SEED = Option.withValue("--seed", "S", "0", "seed of the initialization, shuffling and noise");
    static final Option DATA = Option.withValue("--data", "DATA",
            FULL_DATA + " if installed, else " + EMBEDDED_DATA, "the training data: " + DataSource.HELP);
    static final Option JSON = Option.flag("--json",
            "print one JSON object per thread count: workload, threads, steps, samples_per_s, heap_bytes_per_step,"
                    + " round_trip_ns_before, round_trip_ns_after");

    @Override
    public List<String> path() {
        return List.of("bench", "workload");
    }

    @Override
    public List<Argument> arguments() {
        return List.of(WORKLOAD);
    }

    @Override
    public String summary() {
        return "training samples/s and heap bytes per step of a reference workload (R1..R6)";
    }

    @Override
    public String description() {
        return """
                Trains the reference workload (Adam at 1e-3, batch 128, last short batch dropped, shuffled every \
                epoch) for --warmup steps, then measures --steps more: training samples per second over those \
                steps, and the heap bytes the training thread allocates per step (ThreadMXBean; the compute pool's \
                threads are not counted). Prints a line per thread count, or with --json one object per line, e.g.
                  {"workload":"R3","threads":2,"steps":400,"samples_per_s":9120.4,"heap_bytes_per_step":0.0,\
                "round_trip_ns_before":112.0,"round_trip_ns_after":110.0}
                With two threads or more it also times a cache line's round trip between two CPUs just before and \
                just after the measured steps (null at one thread or on one processor): on a virtual machine whose \
                virtual CPUs the host places on one die or on two, this says which placement the steps ran on, and \
                a two-thread speed-up depends on it (docs/workloads.md). The default warm-up is long because until \
                C2 has compiled the Vector API kernels they run on a \
                slow fallback that allocates; after 50 steps a step still allocated some 400 bytes. On a shared \
                machine absolute speeds drift: compare runs made side by side.""";
    }

    @Override
    public List<Option> options() {
        return List.of(THREADS, STEPS, WARMUP, SEED, DATA, JSON);
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) throws Exception {
        String workload = options.argument(WORKLOAD.name()).trim().toUpperCase(Locale.ROOT);
        if (!WORKLOADS.contains(workload)) {
            throw new UsageException("unknown workload '" + options.argument(WORKLOAD.name()) + "' (known: "
                    + String.join(", ", WORKLOADS) + ")");
        }
        List<Integer> threads = options.positiveInts(THREADS.name());
        int steps = options.positiveInt(STEPS.name());
        int warmup = options.nonNegativeInt(WARMUP.name());
        long seed = options.longValue(SEED.name());
        boolean json = options.flag(JSON.name());
        String dataName = options.isGiven(DATA.name()) ? options.value(DATA.name())
                : Files.isDirectory(FashionMnist.defaultFolder()) ? FULL_DATA : EMBEDDED_DATA;
        try (LoadedData data = DataSource.load(dataName)) {
            err.printf(Locale.ROOT, "ae bench workload: %s on %s (%,d rows), %d warm-up and %d measured steps%n",
                    workload, dataName, data.data().size(), warmup, steps);
            for (int t : threads) {
                if (data.data().size() < WorkloadRunner.BATCH_SIZE) {
                    throw new UsageException(dataName + " has " + data.data().size() + " rows, fewer than one batch of "
                            + WorkloadRunner.BATCH_SIZE);
                }
                WorkloadRunner.Result m = WorkloadRunner.run(workload, data.data(), t, warmup, steps, seed);
                if (json) {
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("workload", workload);
                    line.put("threads", t);
                    line.put("steps", steps);
                    line.put("samples_per_s", m.samplesPerSecond());
                    line.put("heap_bytes_per_step", m.heapBytesPerStep());
                    line.put("round_trip_ns_before", m.roundTripNanosBefore());
                    line.put("round_trip_ns_after", m.roundTripNanosAfter());
                    out.println(Json.write(line));
                } else {
                    out.println(m.describe());
                }
                out.flush();
            }
        }
        return 0;
    }
}
