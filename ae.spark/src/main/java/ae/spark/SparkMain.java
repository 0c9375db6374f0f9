package ae.spark;

import ae.data.Dataset;
import ae.data.Datasets;
import ae.data.NpyFiles;
import ae.models.EpochReport;
import ae.models.FittedAutoencoder;
import ae.models.ModelConfig;
import ae.models.OptimizerConfig;
import ae.models.Presets;
import ae.models.TrainingConfig;
import ae.models.TrainingListener;
import ae.models.retrieval.BinaryCodes;
import ae.models.retrieval.PackedCodeFiles;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code ae spark encode|reconstruct|score|hash|train}: the single-machine commands on a Spark cluster, and the main
 * class for {@code spark-submit}. Data and outputs are {@code .npy} files (read and written on the driver) or Parquet
 * (read and written by the executors); see the README.
 */
public final class SparkMain {
    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();
    private static final Set<String> INFERENCE = Set.of("encode", "reconstruct", "score", "hash");

    static {
        DEFAULTS.put("--master", "local[*]");
        DEFAULTS.put("--data", null);
        DEFAULTS.put("--out", null);
        DEFAULTS.put("--checkpoint", null);
        DEFAULTS.put("--column", "features");
        DEFAULTS.put("--key", null);
        DEFAULTS.put("--rejects", null);
        DEFAULTS.put("--batch-rows", "256");
        DEFAULTS.put("--threads-per-task", "1");
        DEFAULTS.put("--partitions", "0");
        DEFAULTS.put("--model", "R1");
        DEFAULTS.put("--epochs", "10");
        DEFAULTS.put("--batch", "128");
        DEFAULTS.put("--lr", "1e-3");
        DEFAULTS.put("--seed", "0");
        DEFAULTS.put("--local-steps", String.valueOf(SparkTrainer.DEFAULT_LOCAL_STEPS));
    }

    private SparkMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(usage());
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        if (command.equals("bench")) {
            return bench(args, out, err);
        }
        Map<String, String> options;
        try {
            if (!INFERENCE.contains(command) && !command.equals("train")) {
                throw new UsageException("unknown command 'spark " + command + "'; try encode, reconstruct, score,"
                        + " hash or train");
            }
            options = parse(args);
            require(options, "--data");
            require(options, "--out");
            if (INFERENCE.contains(command)) {
                require(options, "--checkpoint");
            }
        } catch (UsageException e) {
            err.println("ae spark: " + e.getMessage());
            return 2;
        }
        // Inside a JVM that already runs Spark (spark-submit's, or a test's), that session is used and left running.
        boolean ownSession = SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
        SparkSession spark = session(SparkSession.builder().appName("ae spark " + command)
                .master(options.get("--master")));
        try {
            if (command.equals("train")) {
                train(spark, options, out);
            } else {
                infer(spark, Operation.valueOf(command.toUpperCase(Locale.ROOT)), options, out);
            }
            return 0;
        } catch (Exception e) { // Spark throws its checked SparkException without declaring it
            err.println("ae spark " + command + ": " + rootMessage(e));
            return 1;
        } finally {
            if (ownSession) {
                spark.stop();
            }
        }
    }

    /**
     * A session as ae starts one: a task's result up to 64 MB (a training round's parameters and optimizer state)
     * comes back in the task's status message; Spark's default (1 MB) would park it in the block manager for the
     * driver to fetch.
     */
    private static SparkSession session(SparkSession.Builder builder) {
        return builder.config("spark.task.maxDirectResultSize", "64m").getOrCreate();
    }

    /** ae spark bench encode MASTER CHECKPOINT DATA REPEATS | train MASTER DATA EPOCHS K[,K...]. */
    private static int bench(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 6 || !(args[1].equals("encode") || args[1].equals("train"))) {
            err.println("ae spark: usage: ae spark bench encode MASTER CHECKPOINT DATA REPEATS"
                    + " | bench train MASTER DATA EPOCHS K[,K...]");
            return 2;
        }
        SparkSession spark = session(SparkSession.builder().appName("ae spark bench").master(args[2]));
        try {
            if (args[1].equals("encode")) {
                SparkBench.encode(spark, Path.of(args[3]), args[4], Integer.parseInt(args[5]), out);
            } else {
                SparkBench.train(spark, args[3], Integer.parseInt(args[4]),
                        java.util.Arrays.stream(args[5].split(",")).map(Integer::valueOf).toList(), out);
            }
            return 0;
        } catch (Exception e) {
            err.println("ae spark bench: " + e.getMessage());
            return 1;
        } finally {
            spark.stop();
        }
    }

    private static void infer(SparkSession spark, Operation operation, Map<String, String> o, PrintStream out)
            throws IOException {
        String column = o.get("--column");
        org.apache.spark.sql.Dataset<Row> data = read(spark, o, column);
        boolean npyOut = o.get("--out").endsWith(".npy");
        String result = operation.name().toLowerCase(Locale.ROOT);
        try (SparkAutoencoder model = SparkAutoencoder.load(spark, Path.of(o.get("--checkpoint")))) {
            model.withBatchRows(integer(o, "--batch-rows")).withThreadsPerTask(integer(o, "--threads-per-task"));
            if (o.get("--key") != null) {
                model.withKeyColumn(o.get("--key"));
            }
            org.apache.spark.sql.Dataset<Row> output;
            SparkAutoencoder.Result rejecting = null;
            if (o.get("--rejects") != null) {
                rejecting = model.transformWithRejects(operation, data, column, result);
                output = rejecting.output();
            } else {
                output = model.transform(operation, data, column, result);
            }
            try {
                long rows;
                if (npyOut) {
                    rows = writeNpy(operation, NpyResults.collect(output, result), Path.of(o.get("--out")),
                            model.codeSize());
                } else {
                    output.write().parquet(o.get("--out"));
                    rows = spark.read().parquet(o.get("--out")).count();
                }
                out.printf(Locale.ROOT, "wrote %s: %,d rows of %s%n", o.get("--out"), rows, result);
                if (rejecting != null) {
                    rejecting.rejects().write().parquet(o.get("--rejects"));
                    out.printf(Locale.ROOT, "wrote %s: %,d rejected rows%n", o.get("--rejects"),
                            rejecting.rejects().count());
                }
            } finally {
                if (rejecting != null) {
                    rejecting.release();
                }
            }
        }
    }

    private static void train(SparkSession spark, Map<String, String> o, PrintStream out) throws IOException {
        String column = o.get("--column");
        org.apache.spark.sql.Dataset<Row> data = read(spark, o, column);
        StructType schema = data.schema();
        int d = dimension(data, column);
        ModelConfig config = Presets.byName(o.get("--model"), d);
        TrainingConfig training = TrainingConfig.defaults().withEpochs(integer(o, "--epochs"))
                .withBatchSize(integer(o, "--batch")).withSeed(Long.parseLong(o.get("--seed")))
                .withThreads(integer(o, "--threads-per-task"))
                .withOptimizer(new OptimizerConfig.Adam(Double.parseDouble(o.get("--lr")), 0.9, 0.999, 1e-8, 0));
        SparkTrainer trainer = new SparkTrainer(spark, config, training)
                .withThreadsPerTask(integer(o, "--threads-per-task")).withLocalSteps(integer(o, "--local-steps"));
        if (o.get("--key") != null) {
            trainer.withKeyColumn(o.get("--key"));
        }
        try (FittedAutoencoder model = trainer.fit(data, column, new TrainingListener() {
            @Override
            public void onEpoch(EpochReport report) {
                out.printf(Locale.ROOT, "epoch %d: train_loss %.6f, %.0f samples/s, %.1f s%n", report.epoch(),
                        report.trainLoss(), report.samplesPerSecond(), report.seconds());
            }
        })) {
            Path file = Path.of(o.get("--out"));
            if (Files.isDirectory(file)) {
                file = file.resolve("model.ckpt");
            }
            model.save(file);
            out.printf(Locale.ROOT, "wrote %s (%s on %d columns of '%s' in %s)%n", file, config.name(), d, column,
                    schema.simpleString());
        }
    }

    /** The input: an .npy file or a named dataset read on the driver and spread out, else Parquet. */
    private static org.apache.spark.sql.Dataset<Row> read(SparkSession spark, Map<String, String> o, String column)
            throws IOException {
        String data = o.get("--data");
        boolean local = data.endsWith(".npy") || Datasets.names().contains(data);
        if (!local) {
            return spark.read().parquet(data);
        }
        try (Dataset rows = data.endsWith(".npy") ? NpyFiles.read(Path.of(data), data) : Datasets.load(data)) {
            int partitions = integer(o, "--partitions");
            if (o.get("--key") == null) {
                o.put("--key", "id");
            }
            return DriverRows.frame(spark, rows.features().toFloatArray(), rows.size(), rows.dimension(), column,
                    partitions > 0 ? partitions : JavaSparkContext.fromSparkContext(spark.sparkContext())
                            .defaultParallelism());
        }
    }

    private static int dimension(org.apache.spark.sql.Dataset<Row> data, String column) {
        Row first = data.select(column).first();
        Object value = first.get(0);
        if (value instanceof Vector v) {
            return v.size();
        }
        return first.getList(0).size();
    }

    /** The partitions' results, in partition order: the input's order, as {@code ae encode} writes them. */
    private static long writeNpy(Operation operation, List<NpyResults.Part> parts, Path file, int codeSize)
            throws IOException {
        int n = 0;
        int width = 0;
        for (NpyResults.Part part : parts) {
            n += part.rows();
            width = Math.max(width, part.width());
        }
        try (TensorScope scope = TensorScope.open("npy output")) {
            switch (operation) {
                case SCORE -> {
                    double[] scores = new double[n];
                    int at = 0;
                    for (NpyResults.Part part : parts) {
                        System.arraycopy(part.scores(), 0, scores, at, part.rows());
                        at += part.rows();
                    }
                    NpyFiles.write(file, scope.fromArray(scores, n));
                }
                case HASH -> {
                    int words = BinaryCodes.wordsFor(codeSize);
                    long[] packed = new long[n * words];
                    int i = 0;
                    for (NpyResults.Part part : parts) {
                        byte[] bytes = part.bits();
                        for (int r = 0; r < part.rows(); r++, i++) {
                            int base = r * part.width();
                            for (int j = 0; j < codeSize; j++) {
                                if ((bytes[base + (j >>> 3)] & (0x80 >>> (j & 7))) != 0) {
                                    packed[i * words + (j >>> 6)] |= 1L << (j & 63);
                                }
                            }
                        }
                    }
                    PackedCodeFiles.write(file, new BinaryCodes(n, codeSize, packed));
                }
                default -> {
                    float[] values = new float[n * width];
                    int at = 0;
                    for (NpyResults.Part part : parts) {
                        System.arraycopy(part.vectors(), 0, values, at, part.vectors().length);
                        at += part.vectors().length;
                    }
                    NpyFiles.write(file, scope.fromArray(values, n, width));
                }
            }
        }
        return n;
    }

    private static Map<String, String> parse(String[] args) throws UsageException {
        Map<String, String> options = new LinkedHashMap<>(DEFAULTS);
        for (int i = 1; i < args.length; i++) {
            String name = args[i];
            if (!DEFAULTS.containsKey(name)) {
                throw new UsageException("unknown option '" + name + "'; ae spark --help lists them");
            }
            if (i + 1 >= args.length) {
                throw new UsageException(name + " needs a value");
            }
            options.put(name, args[++i]);
        }
        for (String name : List.of("--batch-rows", "--threads-per-task", "--partitions", "--epochs", "--batch",
                "--local-steps")) {
            try {
                Integer.parseInt(options.get(name));
            } catch (NumberFormatException e) {
                throw new UsageException(name + " takes a whole number, got '" + options.get(name) + "'");
            }
        }
        return options;
    }

    private static void require(Map<String, String> options, String name) throws UsageException {
        if (options.get(name) == null) {
            throw new UsageException(name + " is required");
        }
    }

    private static int integer(Map<String, String> options, String name) {
        return Integer.parseInt(options.get(name));
    }

    private static String rootMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BadRowException) {
                return t.getMessage();
            }
            // A job that BadRowCancel ended carries the row's message in its reason.
            String message = String.valueOf(t.getMessage());
            int at = message.indexOf(BadRowCancel.PREFIX);
            if (at >= 0) {
                String rest = message.substring(at + BadRowCancel.PREFIX.length());
                int end = rest.indexOf('\n');
                // Spark appends the error class's SQL state to the reason.
                return (end < 0 ? rest : rest.substring(0, end)).replaceFirst("\\s+SQLSTATE: \\w+$", "");
            }
        }
        return e.getMessage();
    }

    static String usage() {
        return """
                usage: ae spark encode|reconstruct|score|hash --checkpoint C --data IN --out OUT [options]
                       ae spark train --model PRESET --data IN --out C [options]
                  --master M            Spark master (default local[*]; spark://host:7077, yarn, k8s://...)
                  --data IN             .npy file, fashion-mnist or fashion-mnist-sample (read on the driver),
                                        or Parquet (a file or folder, read by the executors)
                  --out OUT             .npy (written on the driver, rows in input order) or a Parquet folder
                  --column NAME         the vector column: array<float>, array<double> or ML vector (default features)
                  --key NAME            the column naming bad rows in messages (default: id, the row number of .npy input)
                  --rejects DIR         write bad rows here (Parquet, with ae_error) instead of failing
                  --batch-rows N        rows per pass through the engine (default 256)
                  --threads-per-task T  engine threads of each task's model (default 1)
                  --partitions N        partitions of driver-read input (default: Spark's default parallelism)
                  --model PRESET        train: the preset (default R1)
                  --epochs N, --batch B, --lr X, --seed S   train: as ae train (10, 128, 1e-3, 0)
                  --local-steps K       train: steps each partition takes alone between averagings (default 64;
                                        1: gradients summed every step, as single-process training)
                ae spark bench encode MASTER CHECKPOINT DATA REPEATS   Spark's rows/s beside one process's
                ae spark bench train MASTER DATA EPOCHS K[,K...]       R1 on Spark (K = 1 and each K) beside one process""";
    }

    private static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
