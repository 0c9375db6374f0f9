package ae.cli.bench;

import ae.cli.Command;
import ae.cli.CommandFailedException;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.UsageException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code ae bench gemm}: our SGEMM against OpenBLAS and the scalar reference, measured by JMH in one run. */
public final class GemmBenchCommand implements Command {
    private static final String ALL_SHAPES = String.join(",", GemmShape.WORKLOAD.stream().map(GemmShape::toString).toList());

    private static final Option THREADS = Option.withValue("--threads", "T", "1,2",
            "thread counts to measure at, comma-separated; ours use a compute pool of T threads, OpenBLAS"
                    + " openblas_set_num_threads(T)");
    private static final Option JSON = Option.flag("--json",
            "print one JSON object per line: shape, threads, impl, gflops");
    private static final Option SHAPES = Option.withValue("--shapes", "LIST", ALL_SHAPES,
            "GEMM shapes, comma-separated, each MxKxN (op(A) is MxK, op(B) KxN) followed by AT when A is stored"
                    + " transposed and BT when B is, after a space");
    private static final Option IMPLS = Option.withValue("--impls", "LIST", String.join(",", GemmComparison.IMPLEMENTATIONS),
            "implementations, comma-separated: ae (our SIMD kernel), scalar (our reference), openblas (cblas_sgemm)");

    private static final Option ROUNDS = Option.withValue("--rounds", "R", "1",
            "repeat the whole comparison R times, interleaved, and report each figure's median: on a shared machine"
                    + " one run can land in a busy moment");

    private final Path aeHome;

    /** {@code aeHome} is the repository root holding {@code ae.bench/target/benchmarks.jar}; null if unknown. */
    public GemmBenchCommand(Path aeHome) {
        this.aeHome = aeHome;
    }

    @Override
    public List<String> path() {
        return List.of("bench", "gemm");
    }

    @Override
    public String summary() {
        return "SGEMM GFLOP/s on the workload shapes: ae's SIMD kernel, its scalar reference and OpenBLAS";
    }

    @Override
    public String description() {
        return """
                Measures C = op(A) * op(B) in float32 with JMH: ae's SIMD kernel (ae), ae's scalar reference \
                (scalar) and OpenBLAS's cblas_sgemm through JavaCPP (openblas), on the same 64-byte-aligned \
                off-heap operands, at each thread count (scalar, being single-threaded, at the first one only). OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed from \
                the benchmark JVMs' environment so that OpenBLAS picks its best kernel for this CPU; the core it \
                reports is printed. The scalar reference gets shortened runs on shapes above 1 GFLOP per product.

                Prints a table of GFLOP/s (2*M*N*K divided by the mean time of one product) with the ratio \
                ae/openblas, or with --json one object per line, e.g.
                  {"shape":"784x128x256 AT","threads":1,"impl":"ae","gflops":151.20}
                where shape is "MxKxN" (op(A) is M x K, op(B) is K x N) followed by " AT" when A is stored \
                transposed (K x M) and " BT" when B is. Progress goes to stderr. Takes about 4 minutes with \
                the defaults, times --rounds.""";
    }

    @Override
    public List<Option> options() {
        return List.of(THREADS, JSON, SHAPES, IMPLS, ROUNDS);
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) throws Exception {
        List<Integer> threads = options.positiveInts(THREADS.name());
        List<GemmShape> shapes = shapes(options.list(SHAPES.name()));
        List<String> implementations = implementations(options.list(IMPLS.name()));
        boolean json = options.flag(JSON.name());
        int rounds = options.positiveInt(ROUNDS.name());
        if (aeHome == null) {
            throw new CommandFailedException("the ae.home system property is not set; run this through ./ae, which sets it");
        }
        Path jar = aeHome.resolve("ae.bench").resolve("target").resolve("benchmarks.jar");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");

        List<GemmComparison.JmhRun> plan = GemmComparison.plan(shapes, threads, implementations);
        List<GemmComparison.JmhRun> runs = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            runs.addAll(plan);
        }
        err.printf(Locale.ROOT, "ae bench gemm: %d measurements in %d JMH runs, about %.0f min%n",
                runs.stream().mapToInt(GemmComparison.JmhRun::measurements).sum(), runs.size(),
                Math.ceil(GemmComparison.estimatedSeconds(runs) / 60));
        for (String variable : GemmComparison.OPENBLAS_OVERRIDES) {
            String value = System.getenv(variable);
            if (value != null && implementations.contains("openblas")) {
                err.println("ae bench gemm: " + variable + "=" + value + " is set here; the benchmark JVMs run without it");
            }
        }
        GemmComparison.Outcome measured = new GemmComparison(jar, java, err).run(runs);
        GemmComparison.Outcome outcome = new GemmComparison.Outcome(GemmComparison.medianOfRounds(measured.results()),
                measured.openBlasCore(), measured.openBlasConfig(), measured.notes());

        List<String> notes = new ArrayList<>();
        if (outcome.openBlasCore() != null) {
            notes.add("OpenBLAS core: " + outcome.openBlasCore() + " (" + outcome.openBlasConfig()
                    + "; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE cleared)");
        }
        if (implementations.contains("scalar")) {
            notes.add("scalar is single-threaded (it ignores the thread count), so it is measured at " + threads.getFirst()
                    + " thread" + (threads.getFirst() == 1 ? "" : "s") + " only");
        }
        if (rounds > 1) {
            notes.add("each figure is the median of " + rounds + " rounds; * also marks a figure whose rounds spread"
                    + " wider than +-10%");
        }
        for (GemmComparison.JmhRun run : plan) {
            if (run.shortened()) {
                notes.add("scalar on " + String.join(", ", run.shapes().stream().map(GemmShape::toString).toList())
                        + ": 1 warm-up and 2 measured iterations (" + String.join(" ", GemmComparison.SHORT_RUN_ARGUMENTS)
                        + "), since one product takes seconds");
            }
        }
        outcome.notes().forEach(warning -> notes.add("warning from the benchmark: " + warning));

        if (json) {
            notes.forEach(note -> err.println("ae bench gemm: " + note));
            outcome.results().forEach(result -> out.println(result.toJsonLine()));
        } else {
            out.println("SGEMM C = op(A) * op(B), float32, GFLOP/s (higher is better)");
            out.print(GemmTable.format(outcome.results(), implementations));
            notes.forEach(note -> out.println("note: " + note));
        }
        return 0;
    }

    private static List<GemmShape> shapes(List<String> texts) {
        List<GemmShape> shapes = new ArrayList<>();
        for (String text : texts) {
            try {
                shapes.add(GemmShape.parse(text));
            } catch (IllegalArgumentException e) {
                throw new UsageException(SHAPES.name() + ": " + e.getMessage());
            }
        }
        return shapes;
    }

    private static List<String> implementations(List<String> names) {
        for (String name : names) {
            if (!GemmComparison.IMPLEMENTATIONS.contains(name)) {
                throw new UsageException(IMPLS.name() + ": unknown implementation '" + name + "' (known: "
                        + String.join(", ", GemmComparison.IMPLEMENTATIONS) + ")");
            }
        }
        return names;
    }
}
