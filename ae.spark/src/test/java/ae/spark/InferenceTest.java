package ae.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.data.Dataset;
import ae.models.Autoencoder;
import ae.models.FittedAutoencoder;
import ae.models.Presets;
import ae.models.TrainingConfig;
import ae.models.TrainingListener;
import ae.models.retrieval.BinaryCodes;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferenceTest {
    private static final int ROWS = 700;
    private static final int D = 20;
    private static final int CODE = 8;

    @TempDir
    static Path dir;
    static SparkSession spark;
    static FittedAutoencoder local;
    static SparkAutoencoder distributed;
    static float[][] features;

    @BeforeAll
    static void setUp() throws Exception {
        spark = LocalSpark.session();
        SplittableRandom random = new SplittableRandom(7);
        features = new float[ROWS][D];
        float[] flat = new float[ROWS * D];
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < D; j++) {
                features[i][j] = (float) random.nextDouble();
                flat[i * D + j] = features[i][j];
            }
        }
        try (Dataset data = Dataset.copyOf("uniform", flat, ROWS, D, null)) {
            local = Autoencoder.of(Presets.undercomplete(D, CODE))
                    .fit(data, TrainingConfig.defaults().withEpochs(2).withBatchSize(32).withThreads(1),
                            TrainingListener.none());
        }
        Path checkpoint = dir.resolve("model.ckpt");
        local.save(checkpoint);
        distributed = SparkAutoencoder.load(spark, checkpoint).withKeyColumn("id").withBatchRows(64);
    }

    @AfterAll
    static void tearDown() {
        distributed.close();
        local.close();
    }

    static StructType floatSchema() {
        return new StructType().add("id", DataTypes.LongType, false)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), true);
    }

    /** The rows in four partitions, shuffled between them. */
    static org.apache.spark.sql.Dataset<Row> frame(List<Row> rows, StructType schema) {
        return spark.createDataFrame(rows, schema).repartition(4);
    }

    static List<Row> floatRows() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(RowFactory.create((long) i, features[i]));
        }
        return rows;
    }

    static float[][] localEncode() {
        try (TensorScope scope = TensorScope.open("local")) {
            Tensor codes = local.encode(scope.fromArray(flatFeatures(), ROWS, D), scope);
            float[][] out = new float[ROWS][];
            for (int i = 0; i < ROWS; i++) {
                out[i] = codes.rows(i, i + 1).toFloatArray();
            }
            return out;
        }
    }

    static float[] flatFeatures() {
        float[] flat = new float[ROWS * D];
        for (int i = 0; i < ROWS; i++) {
            System.arraycopy(features[i], 0, flat, i * D, D);
        }
        return flat;
    }

    static float[] floats(Row row, int column) {
        List<Object> values = row.getList(column);
        float[] out = new float[values.size()];
        for (int j = 0; j < out.length; j++) {
            out[j] = (Float) values.get(j);
        }
        return out;
    }

    @Test
    void encodeEqualsOneProcessBitForBit() {
        List<Row> out = distributed.transform(Operation.ENCODE, frame(floatRows(), floatSchema()), "features", "code")
                .collectAsList();
        float[][] expected = localEncode();
        assertEquals(ROWS, out.size());
        for (Row row : out) {
            int id = (int) row.getLong(0);
            assertArrayEquals(expected[id], floats(row, 2), "row " + id);
        }
    }

    @Test
    void reconstructScoreAndHashEqualOneProcessBitForBit() {
        org.apache.spark.sql.Dataset<Row> data = frame(floatRows(), floatSchema());
        List<Row> out = distributed.transform(Operation.HASH,
                distributed.transform(Operation.SCORE,
                        distributed.transform(Operation.RECONSTRUCT, data, "features", "r"), "features", "score"),
                "features", "bits").collectAsList();
        assertEquals(ROWS, out.size());
        try (TensorScope scope = TensorScope.open("local")) {
            Tensor x = scope.fromArray(flatFeatures(), ROWS, D);
            Tensor r = local.reconstruct(x, scope);
            double[] scores = local.scoreSamples(x);
            BinaryCodes codes = local.hash(x);
            for (Row row : out) {
                int id = (int) row.getLong(0);
                assertArrayEquals(r.rows(id, id + 1).toFloatArray(), floats(row, 2), "reconstruction of row " + id);
                assertEquals(scores[id], row.getDouble(3), 0.0, "score of row " + id);
                assertArrayEquals(SparkAutoencoder.packBits(codes, id), (byte[]) row.get(4), "bits of row " + id);
            }
        }
    }

    @Test
    void mlVectorColumnGivesVectors() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            double[] values = new double[D];
            for (int j = 0; j < D; j++) {
                values[j] = features[i][j];
            }
            rows.add(RowFactory.create((long) i, Vectors.dense(values)));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType, false)
                .add("features", SQLDataTypes.VectorType(), true);
        float[][] expected = localEncode();
        for (Row row : distributed.transform(Operation.ENCODE, frame(rows, schema), "features", "code").collectAsList()) {
            int id = (int) row.getLong(0);
            Vector code = row.getAs(2);
            for (int j = 0; j < CODE; j++) {
                assertEquals(expected[id][j], (float) code.apply(j), 0.0f, "row " + id + ", unit " + j);
            }
        }
    }

    /** Fails the first attempt of partition 1's task after 150 rows, once the model has already emitted a batch. */
    static final class FailOnce implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            TaskContext task = TaskContext.get();
            boolean fail = task.partitionId() == 1 && task.attemptNumber() == 0;
            return new Iterator<>() {
                int seen;

                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public Row next() {
                    if (fail && ++seen > 150) {
                        throw new IllegalStateException("injected failure of the first attempt");
                    }
                    return rows.next();
                }
            };
        }
    }

    @Test
    void aTaskThatFailsMidPartitionIsRetriedAndEveryRowAppearsOnce() {
        org.apache.spark.sql.Dataset<Row> data = frame(floatRows(), floatSchema());
        org.apache.spark.sql.Dataset<Row> failing = data.mapPartitions(new FailOnce(), Encoders.row(data.schema()));
        List<Row> out = distributed.transform(Operation.ENCODE, failing, "features", "code").collectAsList();
        float[][] expected = localEncode();
        assertEquals(ROWS, out.size());
        HashSet<Long> ids = new HashSet<>();
        for (Row row : out) {
            assertTrue(ids.add(row.getLong(0)), "row " + row.getLong(0) + " appears twice");
            assertArrayEquals(expected[(int) row.getLong(0)], floats(row, 2));
        }
        assertEquals(ROWS, ids.size());
    }

    static List<Row> rowsWithBadOnes() {
        List<Row> rows = floatRows();
        rows.set(17, RowFactory.create(17L, new float[D - 1]));
        float[] nan = features[301].clone();
        nan[5] = Float.NaN;
        rows.set(301, RowFactory.create(301L, nan));
        rows.set(402, RowFactory.create(402L, null));
        return rows;
    }

    @Test
    void aBadRowFailsTheJobNamingTheColumnAndTheKey() {
        List<Row> rows = floatRows();
        float[] nan = features[301].clone();
        nan[5] = Float.NaN;
        rows.set(301, RowFactory.create(301L, nan));
        Exception e = assertThrows(Exception.class, () -> distributed.transform(Operation.ENCODE,
                frame(rows, floatSchema()), "features", "code").collectAsList());
        assertTrue(String.valueOf(e.getMessage()).contains("column 'features' of row with id = 301 has NaN at index 5"),
                e.getMessage());
        rows.set(301, RowFactory.create(301L, features[301]));
        rows.set(17, RowFactory.create(17L, new float[D - 1]));
        e = assertThrows(Exception.class, () -> distributed.transform(Operation.SCORE, frame(rows, floatSchema()),
                "features", "score").collectAsList());
        assertTrue(String.valueOf(e.getMessage()).contains("column 'features' of row with id = 17 has 19 values,"
                + " the model takes 20"), e.getMessage());
    }

    @Test
    void badRowsGoToRejectsWhenAsked() {
        SparkAutoencoder.Result result = distributed.transformWithRejects(Operation.ENCODE,
                frame(rowsWithBadOnes(), floatSchema()), "features", "code");
        try {
            Map<Long, String> rejected = new HashMap<>();
            for (Row row : result.rejects().collectAsList()) {
                rejected.put(row.getLong(0), row.getString(row.fieldIndex(SparkAutoencoder.ERROR_COLUMN)));
            }
            assertEquals(Map.of(
                    17L, "column 'features' of row with id = 17 has 19 values, the model takes 20",
                    301L, "column 'features' of row with id = 301 has NaN at index 5",
                    402L, "column 'features' of row with id = 402 is null"), rejected);
            float[][] expected = localEncode();
            List<Row> output = result.output().collectAsList();
            assertEquals(ROWS - 3, output.size());
            for (Row row : output) {
                int id = (int) row.getLong(0);
                assertTrue(!rejected.containsKey((long) id));
                assertArrayEquals(expected[id], floats(row, 2), "row " + id);
                assertEquals(3, row.size());
            }
        } finally {
            result.release();
        }
    }

    @Test
    void aColumnOfAnotherTypeIsRefusedBeforeAnyJob() {
        org.apache.spark.sql.Dataset<Row> data = frame(floatRows(), floatSchema());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> distributed.transform(Operation.ENCODE, data, "id", "code"));
        assertEquals("column 'id' is bigint; the input vectors must be array<float>, array<double> or a Spark ML"
                + " vector", e.getMessage());
    }
}
