package ae.cli.bench;

import ae.cli.Command;
import ae.cli.CommandFailedException;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.UsageException;
import ae.cli.data.DataSource;
import ae.cli.data.LoadedData;
import ae.cli.json.Json;
import ae.data.Dataset;
import ae.models.FittedAutoencoder;
import ae.models.retrieval.BinaryCodes;
import ae.models.retrieval.HammingIndex;
import ae.models.retrieval.ProjectionHash;
import ae.models.retrieval.RetrievalEvaluation;
import ae.models.retrieval.RetrievalScores;
import ae.tensor.ComputePool;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ae bench retrieval}: semantic hashing against LSH, PCA-ITQ and exact Euclidean ranking, all scored by the
 * same evaluation on the same queries and database.
 */
public final class RetrievalBenchCommand implements Command {
    static final Option DATA = Option.withValue("--data", "DATA", "fashion-mnist",
            "data with a test split and labels: the training rows are the database, the queries come from the test"
                    + " split; " + DataSource.HELP);
    static final Option BITS = Option.withValue("--bits", "LIST", "16,32,64,128", "code lengths of the baselines");
    static final Option CHECKPOINTS = Option.withValue("--checkpoints", "FILES", "none",
            "semantic-hashing checkpoints to evaluate beside the baselines (comma-separated; each at its own code"
                    + " length)");
    static final Option METHODS = Option.withValue("--methods", "LIST", "lsh,itq,euclidean",
            "baselines: lsh (random hyperplanes on centred data), itq (PCA-ITQ), euclidean (exact, on the raw"
                    + " features)");
    static final Option PER_CLASS = Option.withValue("--per-class", "N", "100",
            "queries: the first N test rows of each label");
    static final Option K = Option.withValue("--k", "K", "100", "the cut-off of precision at k");
    static final Option RADIUS = Option.withValue("--radius", "R", "2", "the radius of precision within a radius");
    static final Option ITERATIONS = Option.withValue("--itq-iterations", "N", "50", "ITQ's alternating steps");
    static final Option SEED = Option.withValue("--seed", "S", "0", "seed of LSH's directions and ITQ's start");
    static final Option THREADS = Option.withValue("--threads", "T",
            Integer.toString(Runtime.getRuntime().availableProcessors()), "compute threads");
    static final Option JSON = Option.flag("--json", "one JSON object per row of the table: {\"bits\", \"method\","
            + " \"queries\", \"map\", \"k\", \"precision_at_k\", \"radius\", \"precision_within_radius\","
            + " \"empty_radius_fraction\", \"seconds\"}");

    @Override
    public List<String> path() {
        return List.of("bench", "retrieval");
    }

    @Override
    public String summary() {
        return "retrieval quality table: semantic hashing, LSH, PCA-ITQ and exact Euclidean search";
    }

    @Override
    public String description() {
        return """
                Scores each method on the same queries (the first --per-class test rows of each label) against the \
                whole training set, with class labels as relevance: mAP over the ranking of the database (ties by \
                row id), precision at --k and precision within Hamming radius --radius (queries finding nothing \
                count 0). Prints a table of bits x method (exact Euclidean search has no bits and no radius).""";
    }

    @Override
    public List<Option> options() {
        return List.of(DATA, BITS, CHECKPOINTS, METHODS, PER_CLASS, K, RADIUS, ITERATIONS, SEED, THREADS, JSON);
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) throws Exception {
        List<Integer> bitCounts = options.positiveInts(BITS.name());
        List<String> methods = options.list(METHODS.name()).stream().map(m -> m.trim().toLowerCase(Locale.ROOT))
                .toList();
        for (String m : methods) {
            if (!List.of("lsh", "itq", "euclidean").contains(m)) {
                throw new UsageException(METHODS.name() + ": unknown method '" + m + "' (known: lsh, itq, euclidean)");
            }
        }
        List<Path> checkpoints = options.isGiven(CHECKPOINTS.name())
                ? options.list(CHECKPOINTS.name()).stream().map(s -> Path.of(s.trim())).toList() : List.of();
        int k = options.positiveInt(K.name());
        int radius = options.nonNegativeInt(RADIUS.name());
        int perClass = options.positiveInt(PER_CLASS.name());
        int iterations = options.nonNegativeInt(ITERATIONS.name());
        long seed = options.longValue(SEED.name());
        boolean json = options.flag(JSON.name());
        try (LoadedData data = DataSource.load(options.value(DATA.name()));
             ComputePool pool = ComputePool.create(options.positiveInt(THREADS.name()));
             TensorScope scope = TensorScope.open("queries")) {
            if (!data.hasTest() || !data.data().hasLabels() || !data.test().hasLabels()) {
                throw new CommandFailedException(data.source() + ": the benchmark needs labelled data with a test"
                        + " split");
            }
            Dataset database = data.data();
            int[] rows = RetrievalEvaluation.firstPerClass(data.test().labels(), perClass);
            Tensor queries = scope.allocateFloat(rows.length, database.dimension());
            int[] queryLabels = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                queries.rows(i, i + 1).copyFrom(data.test().features().rows(rows[i], rows[i] + 1));
                queryLabels[i] = data.test().label(rows[i]);
            }
            int[] labels = database.labels();
            if (!json) {
                out.printf(Locale.ROOT, "%s: database %,d rows, %,d queries (%d per class), k %d, radius %d%n",
                        data.source(), database.size(), rows.length, perClass, k, radius);
                out.printf(Locale.ROOT, "%5s  %-18s %7s %7s %9s %7s %8s%n", "bits", "method", "mAP", "P@" + k,
                        "P(r<=" + radius + ")", "empty", "seconds");
            }
            List<Row> table = new ArrayList<>();
            if (methods.contains("euclidean")) {
                long start = System.nanoTime();
                RetrievalScores s = RetrievalEvaluation.euclidean(database.features(), labels, queries, queryLabels,
                        k, pool);
                print(out, json, new Row(0, "euclidean", s, seconds(start)));
            }
            ProjectionHash.PrincipalAxes pca = null;
            for (int bits : bitCounts) {
                if (methods.contains("lsh")) {
                    long start = System.nanoTime();
                    ProjectionHash lsh = ProjectionHash.randomHyperplanes(database.features(), bits, seed + bits);
                    print(out, json, score(bits, "lsh", lsh.hash(database.features(), pool), labels,
                            lsh.hash(queries, pool), queryLabels, k, radius, start));
                }
                if (methods.contains("itq")) {
                    long start = System.nanoTime();
                    if (pca == null) {
                        pca = ProjectionHash.principalAxes(database.features(), pool);
                    }
                    ProjectionHash itq = ProjectionHash.iterativeQuantization(pca, database.features(), bits,
                            iterations, seed + bits, pool);
                    print(out, json, score(bits, "pca-itq", itq.hash(database.features(), pool), labels,
                            itq.hash(queries, pool), queryLabels, k, radius, start));
                }
            }
            for (Path checkpoint : checkpoints) {
                long start = System.nanoTime();
                try (FittedAutoencoder model = FittedAutoencoder.load(checkpoint, options.positiveInt(
                        THREADS.name()))) {
                    try {
                        model.requireBinaryCode();
                    } catch (IllegalArgumentException e) {
                        throw new CommandFailedException(checkpoint + ": " + e.getMessage());
                    }
                    if (model.config().inputDimension() != database.dimension()) {
                        throw new CommandFailedException(checkpoint + ": model '" + model.config().name()
                                + "' takes " + model.config().inputDimension() + " features, " + data.source()
                                + " has " + database.dimension());
                    }
                    print(out, json, score(model.config().codeSize(), "semantic-hashing", model.hash(
                            database.features()), labels, model.hash(queries), queryLabels, k, radius, start));
                }
            }
        }
        return 0;
    }

    private record Row(int bits, String method, RetrievalScores scores, double seconds) {
    }

    private static Row score(int bits, String method, BinaryCodes database, int[] labels, BinaryCodes queries,
                             int[] queryLabels, int k, int radius, long start) {
        RetrievalScores s = RetrievalEvaluation.hamming(HammingIndex.of(database, labels), queries, queryLabels, k,
                radius);
        return new Row(bits, method, s, seconds(start));
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void print(PrintStream out, boolean json, Row row) {
        RetrievalScores s = row.scores();
        if (json) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("bits", row.bits() == 0 ? null : row.bits());
            line.put("method", row.method());
            line.put("queries", s.queries());
            line.put("map", s.meanAveragePrecision());
            line.put("k", s.k());
            line.put("precision_at_k", s.precisionAtK());
            line.put("radius", s.radius() < 0 ? null : s.radius());
            line.put("precision_within_radius", Double.isNaN(s.precisionWithinRadius()) ? null
                    : s.precisionWithinRadius());
            line.put("empty_radius_fraction", Double.isNaN(s.emptyRadiusFraction()) ? null
                    : s.emptyRadiusFraction());
            line.put("seconds", row.seconds());
            out.println(Json.write(line));
        } else {
            out.printf(Locale.ROOT, "%5s  %-18s %7.4f %7.4f %9s %7s %8.1f%n", row.bits() == 0 ? "-" : row.bits(),
                    row.method(), s.meanAveragePrecision(), s.precisionAtK(),
                    s.radius() < 0 ? "-" : String.format(Locale.ROOT, "%.4f", s.precisionWithinRadius()),
                    s.radius() < 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * s.emptyRadiusFraction()),
                    row.seconds());
        }
    }
}
