package ae.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.autodiff.Parameter;
import ae.data.Dataset;
import ae.models.Autoencoder;
import ae.models.EpochReport;
import ae.models.FittedAutoencoder;
import ae.models.ModelConfig;
import ae.models.Presets;
import ae.models.TrainingConfig;
import ae.models.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrainingTest {
    private static final int ROWS = 400;
    private static final int D = 16;

    static SparkSession spark;
    static float[] flat;

    @BeforeAll
    static void setUp() {
        spark = LocalSpark.session();
        SplittableRandom random = new SplittableRandom(11);
        flat = new float[ROWS * D];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = (float) random.nextDouble();
        }
    }

    /** The rows in dataset order, cut into three partitions. */
    static org.apache.spark.sql.Dataset<Row> frame() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            float[] v = new float[D];
            System.arraycopy(flat, i * D, v, 0, D);
            rows.add(RowFactory.create((long) i, v));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType, false)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 3),
                schema);
    }

    @Test
    void oneLocalStepFollowsSingleProcessTrainingWithinFloatRounding() {
        ModelConfig config = Presets.contractive(D, 6, 0.1);
        TrainingConfig training = TrainingConfig.defaults().withEpochs(2).withBatchSize(50).withThreads(1).withSeed(3);
        List<EpochReport> distributedEpochs = new ArrayList<>();
        try (Dataset data = Dataset.copyOf("uniform", flat, ROWS, D, null);
             FittedAutoencoder single = Autoencoder.of(config).fit(data, training, TrainingListener.none());
             FittedAutoencoder distributed = new SparkTrainer(spark, config, training).withLocalSteps(1)
                     .withKeyColumn("id").fit(frame(), "features", new TrainingListener() {
                         @Override
                         public void onEpoch(EpochReport report) {
                             distributedEpochs.add(report);
                         }
                     })) {
            assertEquals(2, distributedEpochs.size());
            for (int e = 0; e < 2; e++) {
                double expected = single.history().epochs().get(e).trainLoss();
                assertEquals(expected, distributedEpochs.get(e).trainLoss(), 1e-5 * Math.abs(expected),
                        "train loss of epoch " + (e + 1));
            }
            double largest = 0;
            for (Parameter p : single.parameters()) {
                float[] a = p.value().toFloatArray();
                float[] b = distributed.parameter(p.name()).value().toFloatArray();
                for (int i = 0; i < a.length; i++) {
                    largest = Math.max(largest, Math.abs(a[i] - b[i]));
                }
            }
            assertTrue(largest < 1e-5, "parameters differ by up to " + largest);
            // The parameters moved: equal trajectories, not two untrained models.
            try (FittedAutoencoder untrained = Autoencoder.of(config).initialize(training)) {
                float[] before = untrained.parameters().get(0).value().toFloatArray();
                float[] after = distributed.parameters().get(0).value().toFloatArray();
                double moved = 0;
                for (int i = 0; i < before.length; i++) {
                    moved = Math.max(moved, Math.abs(before[i] - after[i]));
                }
                assertTrue(moved > 1e-3, "training moved the weights by only " + moved);
            }
        }
    }

    @Test
    void localStepsWithAveragingTrainAsWellAsOneProcess() {
        ModelConfig config = Presets.undercomplete(D, 6);
        TrainingConfig training = TrainingConfig.defaults().withEpochs(2).withBatchSize(50).withThreads(1).withSeed(3)
                .withOptimizer(new ae.models.OptimizerConfig.Adam(1e-2, 0.9, 0.999, 1e-8, 0));
        try (Dataset data = Dataset.copyOf("uniform", flat, ROWS, D, null);
             FittedAutoencoder single = Autoencoder.of(config).fit(data, training, TrainingListener.none());
             FittedAutoencoder untrained = Autoencoder.of(config).initialize(training);
             FittedAutoencoder averaged = new SparkTrainer(spark, config, training).withLocalSteps(4)
                     .fit(frame(), "features", TrainingListener.none())) {
            double before = untrained.meanLoss(data);
            double expected = single.meanLoss(data);
            double actual = averaged.meanLoss(data);
            assertTrue(before - actual > 0.5 * (before - expected), String.format(
                    "loss %.5f untrained, %.5f in one process, %.5f with local steps", before, expected, actual));
            assertEquals(2, averaged.history().epochs().size());
        }
    }
}
