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
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.ForeachFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

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
            org.apache.spark.sql.Dataset<Row> frame = frame(spark, rows, slots)
                    .persist(StorageLevel.MEMORY_ONLY());
            long n = frame.count();
            double bestSpark = 0;
            double bestLocal = 0;
            for (int r = 0; r < repeats + 1; r++) {
                long started = System.nanoTime();
                distributed.transform(Operation.ENCODE, frame, "features", "code")
                        .foreach((ForeachFunction<Row>) row -> { });
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

    static void train(SparkSession spark, String data, int epochs, int localSteps, PrintStream out)
            throws IOException {
        int slots = JavaSparkContext.fromSparkContext(spark.sparkContext()).defaultParallelism();
        try (Dataset rows = Datasets.load(data); Dataset test = Datasets.load("fashion-mnist", Split.TEST)) {
            ModelConfig config = Presets.reference("R1");
            TrainingConfig training = TrainingConfig.defaults().withEpochs(epochs);
            org.apache.spark.sql.Dataset<Row> frame = frame(spark, rows, slots);
            try (FittedAutoencoder single = Autoencoder.of(config).fit(rows, training.withThreads(slots),
                    TrainingListener.none())) {
                report(out, "one process, " + slots + " threads", single, test);
            }
            for (int k : List.of(1, localSteps)) {
                try (FittedAutoencoder distributed = new SparkTrainer(spark, config, training.withThreads(1))
                        .withLocalSteps(k).fit(frame, "features", TrainingListener.none())) {
                    report(out, "spark " + spark.sparkContext().master() + ", K = " + k, distributed, test);
                }
            }
        }
    }

    private static void report(PrintStream out, String what, FittedAutoencoder model, Dataset test) {
        List<EpochReport> epochs = model.history().epochs();
        EpochReport last = epochs.get(epochs.size() - 1);
        out.printf(Locale.ROOT, "%-32s last epoch %,.0f samples/s, train loss %.3f, test loss %.3f%n", what,
                last.samplesPerSecond(), last.trainLoss(), model.meanLoss(test));
    }

    private static org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, Dataset rows, int partitions) {
        int d = rows.dimension();
        float[] all = rows.features().toFloatArray();
        List<Row> list = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            float[] v = new float[d];
            System.arraycopy(all, i * d, v, 0, d);
            list.add(RowFactory.create((long) i, v));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType, false)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(list, partitions), schema);
    }
}
