package ae.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.data.Dataset;
import ae.data.NpyFiles;
import ae.models.Autoencoder;
import ae.models.FittedAutoencoder;
import ae.models.Presets;
import ae.models.TrainingConfig;
import ae.models.TrainingListener;
import ae.tensor.TensorScope;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkMainTest {
    private static final int ROWS = 300;
    private static final int D = 12;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        LocalSpark.session();
        return SparkMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private float[] data(Path file, boolean withNaN) throws Exception {
        SplittableRandom random = new SplittableRandom(5);
        float[] flat = new float[ROWS * D];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = (float) random.nextDouble();
        }
        if (withNaN) {
            flat[123 * D + 4] = Float.NaN;
        }
        try (TensorScope scope = TensorScope.open("data")) {
            NpyFiles.write(file, scope.fromArray(flat, ROWS, D));
        }
        return flat;
    }

    @Test
    void encodeNpyToNpyEqualsEncodeInOneProcess() throws Exception {
        Path x = dir.resolve("x.npy");
        float[] flat = data(x, false);
        Path checkpoint = dir.resolve("model.ckpt");
        try (Dataset rows = Dataset.copyOf("x", flat, ROWS, D, null);
             FittedAutoencoder model = Autoencoder.of(Presets.undercomplete(D, 5)).fit(rows,
                     TrainingConfig.defaults().withEpochs(1).withBatchSize(30).withThreads(1), TrainingListener.none())) {
            model.save(checkpoint);
            Path codes = dir.resolve("codes.npy");
            assertEquals(0, run("encode", "--master", "local[2]", "--checkpoint", checkpoint.toString(), "--data",
                    x.toString(), "--out", codes.toString(), "--partitions", "3"), err.toString());
            try (Dataset written = NpyFiles.read(codes, "codes"); TensorScope scope = TensorScope.open("expected")) {
                assertArrayEquals(model.encode(rows.features(), scope).toFloatArray(),
                        written.features().toFloatArray());
            }
            assertTrue(out.toString().contains("300 rows of encode"), out.toString());
        }
    }

    @Test
    void aBadRowEndsInOneLineNamingItsColumnAndRow() throws Exception {
        Path x = dir.resolve("x.npy");
        float[] flat = data(dir.resolve("clean.npy"), false);
        data(x, true);
        Path checkpoint = dir.resolve("model.ckpt");
        try (Dataset rows = Dataset.copyOf("x", flat, ROWS, D, null);
             FittedAutoencoder model = Autoencoder.of(Presets.undercomplete(D, 5)).fit(rows,
                     TrainingConfig.defaults().withEpochs(1).withBatchSize(30).withThreads(1), TrainingListener.none())) {
            model.save(checkpoint);
        }
        // An .npy file with a NaN is refused by its reader, before Spark starts.
        assertEquals(1, run("score", "--checkpoint", checkpoint.toString(), "--data", x.toString(), "--out",
                dir.resolve("scores.npy").toString()));
        assertTrue(err.toString().contains("data[123, 4]: NaN"), err.toString());
        err.reset();
        // In Parquet, the executors find it.
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            float[] v = java.util.Arrays.copyOfRange(flat, i * D, (i + 1) * D);
            if (i == 123) {
                v[4] = Float.NaN;
            }
            rows.add(RowFactory.create(1000L + i, v));
        }
        StructType schema = new StructType().add("key", DataTypes.LongType, false)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        Path parquet = dir.resolve("rows.parquet");
        LocalSpark.session().createDataFrame(rows, schema).repartition(2).write().parquet(parquet.toString());
        Path scores = dir.resolve("scores.parquet");
        assertEquals(1, run("score", "--checkpoint", checkpoint.toString(), "--data", parquet.toString(), "--key",
                "key", "--out", scores.toString()));
        assertEquals("ae spark score: column 'features' of row with key = 1123 has NaN at index 4\n", err.toString());
        err.reset();
        Path rejects = dir.resolve("rejects.parquet");
        assertEquals(0, run("score", "--checkpoint", checkpoint.toString(), "--data", parquet.toString(), "--key",
                "key", "--out", dir.resolve("scores2.parquet").toString(), "--rejects", rejects.toString()),
                err.toString());
        List<Row> rejected = LocalSpark.session().read().parquet(rejects.toString()).collectAsList();
        assertEquals(1, rejected.size());
        assertEquals(1123L, rejected.get(0).getLong(0));
        assertEquals(ROWS - 1, LocalSpark.session().read().parquet(dir.resolve("scores2.parquet").toString()).count());
    }

    @Test
    void aWrongCommandLineExitsWithTwo() {
        assertEquals(2, run("encode", "--data", "x.npy"));
        assertEquals("ae spark: --out is required\n", err.toString());
    }
}
