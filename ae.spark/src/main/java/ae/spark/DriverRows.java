package ae.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.Platform;

/**
 * Rows held by the driver (an .npy file, a named dataset) as a DataFrame of {@code id} (the row number) and an
 * {@code array<float>} column, shipped to the executors once.
 *
 * <p>Shipped once, because rows made from a driver-side collection live in the partitions of a parallelized RDD,
 * and every task of every later job would carry its partition's rows again (the whole data set per job: the
 * dominant cost of a training step). The frame is therefore local-checkpointed: stored on the executors, its
 * lineage cut. Losing an executor loses its rows (the job fails rather than recomputing them).
 */
final class DriverRows {
    private DriverRows() {
    }

    /** One partition's rows: row numbers from {@code first}, {@code rows * dimension} values. */
    private record Chunk(long first, int rows, int dimension, float[] values) implements Serializable {
    }

    static StructType schema(String column) {
        return new StructType().add("id", DataTypes.LongType, false)
                .add(column, DataTypes.createArrayType(DataTypes.FloatType, false), false);
    }

    /** {@code values} ({@code rows x dimension}, row-major) in {@code partitions} partitions, cached on the executors. */
    static Dataset<Row> frame(SparkSession spark, float[] values, int rows, int dimension, String column,
                              int partitions) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int parts = Math.max(1, Math.min(partitions, Math.max(rows, 1)));
        List<Chunk> chunks = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) rows * p / parts);
            int to = (int) ((long) rows * (p + 1) / parts);
            float[] part = new float[(to - from) * dimension];
            System.arraycopy(values, from * dimension, part, 0, part.length);
            chunks.add(new Chunk(from, to - from, dimension, part));
        }
        JavaRDD<InternalRow> internal = context.parallelize(chunks, parts).mapPartitions(DriverRows::rows);
        return InternalFrames.of(spark, internal, schema(column)).localCheckpoint(true);
    }

    /** The chunks' rows, made one at a time. */
    private static Iterator<InternalRow> rows(Iterator<Chunk> chunks) {
        return new Iterator<>() {
            private Chunk chunk;
            private int next;

            @Override
            public boolean hasNext() {
                while ((chunk == null || next == chunk.rows()) && chunks.hasNext()) {
                    chunk = chunks.next();
                    next = 0;
                }
                return chunk != null && next < chunk.rows();
            }

            @Override
            public InternalRow next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                int d = chunk.dimension();
                UnsafeArrayData vector = UnsafeArrayData.fromPrimitiveArray(chunk.values(),
                        Math.toIntExact(Platform.FLOAT_ARRAY_OFFSET + (long) next * d * Float.BYTES), d, Float.BYTES);
                InternalRow row = new GenericInternalRow(new Object[] {chunk.first() + next, vector});
                next++;
                return row;
            }
        };
    }
}
