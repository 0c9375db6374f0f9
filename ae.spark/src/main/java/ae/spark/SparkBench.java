package ae.spark;

import ae.data.Dataset;
import ae.data.Datasets;
import ae.data.Split;
import ae.models.Autoencoder;
import ae.models.EpochReport;
import ae.models.FittedAutoencoder;
import ae.models.ModelConfig;
import ae.models.Presets;
import ae.models.TrainingConfig;
import ae.models.TrainingListener;
import ae.tensor.TensorScope;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code ae spark bench encode|train}: Spark against one process, side by side in one run. {@code encode} times
 * encoding a cached dataset on the master against {@code FittedAutoencoder.encode} on as many engine threads as the
 * master has task slots; {@code train} trains R1 both ways (Spark with K = 1 and with the given local steps) for the
 * same epochs and prints samples/s and the test loss.
 */
final class SparkBench {
    private SparkBench() {
    }

    static void encode(SparkSession spark, Path checkpoint, String data, int repeats, PrintStream out)
            throws IOException {
        int slots = JavaSparkContext.fromSparkContext(spark.sparkContext()).defaultParallelism();
        try (Dataset rows = Datasets.load(data); FittedAutoencoder local = FittedAutoencoder.load(checkpoint, slots);
             SparkAutoencoder distributed = SparkAutoencoder.load(spark, checkpoint)) {
            org.apache.spark.sql.Dataset<Row> frame = frame(spark, rows, slots);
            long n = frame.count();
            double bestSpark = 0;
            double bestLocal = 0;
            for (int r = 0; r < repeats + 1; r++) {
                long started = System.nanoTime();
                // The noop sink computes every row and writes nothing: the cost of a write minus the storage.
                distributed.transform(Operation.ENCODE, frame, "features", "code").write().format("noop")
                        .mode("overwrite").save();
                double spark1 = n / ((System.nanoTime() - started) / 1e9);
                started = System.nanoTime();
                try (TensorScope scope = TensorScope.open("codes")) {
                    local.encode(rows.features(), scope);
                }
                double local1 = n / ((System.nanoTime() - started) / 1e9);
                if (r > 0) { // the first round warms the JIT up
                    bestSpark = Math.max(bestSpark, spark1);
                    bestLocal = Math.max(bestLocal, local1);
                }
                out.printf(Locale.ROOT, "round %d: spark %,.0f rows/s, one process (%d threads) %,.0f rows/s%n", r,
                        spark1, slots, local1);
            }
            out.printf(Locale.ROOT, "encode %s, %,d rows: spark %s %,.0f rows/s, one process %,.0f rows/s: %.2f%n",
                    data, n, spark.sparkContext().master(), bestSpark, bestLocal, bestSpark / bestLocal);
        }
    }

    static void train(SparkSession spark, String data, int epochs, List<Integer> localSteps, PrintStream out)
            throws IOException {
        int slots = JavaSparkContext.fromSparkContext(spark.sparkContext()).defaultParallelism();
        try (Dataset rows = Datasets.load(data); Dataset test = Datasets.load("fashion-mnist", Split.TEST)) {
            ModelConfig config = Presets.reference("R1");
            TrainingConfig training = TrainingConfig.defaults().withEpochs(epochs);
            org.apache.spark.sql.Dataset<Row> frame = frame(spark, rows, slots);
            // The kernels are compiled before either side is timed: otherwise whichever runs first pays for the JIT.
            int[] some = new int[Math.min(rows.size(), 8192)];
            Arrays.setAll(some, i -> i);
            try (Dataset warmUp = rows.subset("warm-up", some);
                 FittedAutoencoder ignored = Autoencoder.of(config).fit(warmUp,
                         training.withEpochs(1).withThreads(slots), TrainingListener.none())) {
                out.printf(Locale.ROOT, "warmed up on %,d rows%n", some.length);
            }
            Figures single;
            try (FittedAutoencoder model = Autoencoder.of(config).fit(rows, training.withThreads(slots),
                    TrainingListener.none())) {
                single = report(out, "one process, " + slots + " threads", model, test, null);
            }
            String master = spark.sparkContext().master();
            JobTimings timings = new JobTimings();
            spark.sparkContext().addSparkListener(timings);
            List<Integer> ks = new ArrayList<>(List.of(1));
            localSteps.stream().filter(k -> k != 1).forEach(ks::add);
            for (int k : ks) {
                timings.reset();
                try (FittedAutoencoder distributed = new SparkTrainer(spark, config, training.withThreads(1))
                        .withLocalSteps(k).fit(frame, "features", TrainingListener.none())) {
                    report(out, "spark " + master + ", K = " + k, distributed, test, single);
                }
                out.println("  " + timings.summary());
            }
            out.printf(Locale.ROOT, "R1 on %s (%,d rows), %d epoch(s), batch %d; spark %s with %d partitions;"
                    + " samples/s of the last epoch%n", data, rows.size(), epochs, training.batchSize(), master,
                    frame.rdd().getNumPartitions());
        }
    }

    /** Samples/s of the last epoch and the test loss. */
    private record Figures(double samplesPerSecond, double testLoss) {
    }

    private static Figures report(PrintStream out, String what, FittedAutoencoder model, Dataset test,
                                  Figures single) {
        List<EpochReport> epochs = model.history().epochs();
        EpochReport last = epochs.get(epochs.size() - 1);
        Figures figures = new Figures(last.samplesPerSecond(), model.meanLoss(test));
        out.printf(Locale.ROOT, "%-28s %,9.0f samples/s, train loss %.3f, test loss %.3f", what,
                figures.samplesPerSecond(), last.trainLoss(), figures.testLoss());
        if (single != null) {
            out.printf(Locale.ROOT, ": %.2fx one process's samples/s, test loss %+.2f%%",
                    figures.samplesPerSecond() / single.samplesPerSecond(),
                    100 * (figures.testLoss() / single.testLoss() - 1));
        }
        out.println();
        return figures;
    }

    private static org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, Dataset rows, int partitions) {
        return DriverRows.frame(spark, rows.features().toFloatArray(), rows.size(), rows.dimension(), "features",
                partitions);
    }
}
