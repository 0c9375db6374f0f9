package ae.spark;

import ae.models.FittedAutoencoder;
import ae.models.retrieval.BinaryCodes;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.TaskCompletionListener;

/**
 * A trained model applied to a {@code Dataset<Row>} across a Spark cluster: {@link #transform} adds a column of codes,
 * reconstructions, anomaly scores or binary codes computed from a vector column ({@code array<float>},
 * {@code array<double>} or a Spark ML {@code Vector}).
 *
 * <p>The checkpoint is broadcast as bytes. Each partition opens one model from them (its parameters and buffers in
 * its own off-heap memory, freed when the task ends, however it ends) and runs its rows through the engine in
 * batches of {@link #withBatchRows batch rows}; the results equal {@code FittedAutoencoder.encode} (and the others) of
 * the same rows in one process. Bad rows (null, wrong length, NaN or infinite values) fail the job with a message
 * naming the column and the row's key, or, with {@link #transformWithRejects}, go to a rejects dataset.
 */
public final class SparkAutoencoder implements AutoCloseable {
    /** The column of a rejected row's fault, in {@link #transformWithRejects}'s rejects. */
    public static final String ERROR_COLUMN = "ae_error";

    private final JavaSparkContext context;
    private final Broadcast<byte[]> checkpoint;
    private final int inputDimension;
    private final int codeSize;
    private final boolean binaryCode;
    private final String modelName;
    private String keyColumn;
    private int batchRows = 256;
    private int threadsPerTask = 1;

    private SparkAutoencoder(SparkSession spark, byte[] bytes) {
        this.context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        try (FittedAutoencoder model = PartitionModel.open(bytes, 1)) {
            this.inputDimension = model.config().inputDimension();
            this.codeSize = model.config().codeSize();
            this.modelName = model.config().name();
            boolean binary;
            try {
                model.requireBinaryCode();
                binary = true;
            } catch (IllegalArgumentException e) {
                binary = false;
            }
            this.binaryCode = binary;
        }
        this.checkpoint = context.broadcast(bytes);
        BadRowCancel.watch(spark.sparkContext());
    }

    /** The model of the checkpoint file {@code file} (read on the driver), ready to apply with {@code spark}. */
    public static SparkAutoencoder load(SparkSession spark, Path file) throws IOException {
        return new SparkAutoencoder(spark, Files.readAllBytes(file));
    }

    /** The model of a checkpoint's bytes. */
    public static SparkAutoencoder of(SparkSession spark, byte[] checkpoint) {
        return new SparkAutoencoder(spark, checkpoint.clone());
    }

    /** Names bad rows in messages by this column's value (else by partition and position). */
    public SparkAutoencoder withKeyColumn(String column) {
        this.keyColumn = Objects.requireNonNull(column, "column");
        return this;
    }

    /** Rows per pass through the engine (256 by default). */
    public SparkAutoencoder withBatchRows(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("batch rows must be >= 1, got " + rows);
        }
        this.batchRows = rows;
        return this;
    }

    /** Engine threads of each task's model (1 by default: Spark runs a task per core). */
    public SparkAutoencoder withThreadsPerTask(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads per task must be >= 1, got " + threads);
        }
        this.threadsPerTask = threads;
        return this;
    }

    public int inputDimension() {
        return inputDimension;
    }

    public int codeSize() {
        return codeSize;
    }

    /**
     * {@code data} with a column {@code outputColumn} of {@code operation}'s result for the vectors in
     * {@code inputColumn}; lazy, like any transformation. A bad row fails the job with a {@link BadRowException}'s
     * message naming the column and the row.
     */
    public Dataset<Row> transform(Operation operation, Dataset<Row> data, String inputColumn, String outputColumn) {
        return apply(operation, data, inputColumn, outputColumn, false);
    }

    /** The rows {@link #transformWithRejects} accepted (with the result) and those it rejected (with the fault). */
    public record Result(Dataset<Row> output, Dataset<Row> rejects, Dataset<Row> persisted) {
        /** Frees the persisted rows both datasets read. */
        public void release() {
            persisted.unpersist();
        }
    }

    /**
     * Like {@link #transform}, but bad rows go to {@link Result#rejects()}: the input's columns and
     * {@value #ERROR_COLUMN}, what is wrong with the row. Both datasets read one persisted result (computed once);
     * {@link Result#release()} frees it.
     */
    public Result transformWithRejects(Operation operation, Dataset<Row> data, String inputColumn,
                                       String outputColumn) {
        Dataset<Row> all = apply(operation, data, inputColumn, outputColumn, true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> output = all.filter(functions.col(ERROR_COLUMN).isNull()).drop(ERROR_COLUMN);
        Dataset<Row> rejects = all.filter(functions.col(ERROR_COLUMN).isNotNull()).drop(outputColumn);
        return new Result(output, rejects, all);
    }

    private Dataset<Row> apply(Operation operation, Dataset<Row> data, String inputColumn, String outputColumn,
                               boolean collectRejects) {
        Objects.requireNonNull(operation, "operation");
        StructType schema = data.schema();
        if (Arrays.asList(schema.fieldNames()).contains(outputColumn)) {
            throw new IllegalArgumentException("the output column '" + outputColumn + "' is already in "
                    + schema.simpleString());
        }
        if (operation == Operation.HASH && !binaryCode) {
            throw new IllegalArgumentException("model '" + modelName + "' has no binary code (hashing needs a sigmoid"
                    + " code, --model semantic-hashing)");
        }
        VectorColumn column = VectorColumn.of(schema, inputColumn, inputDimension, keyColumn);
        StructType out = schema.add(outputColumn, outputType(operation, column), true);
        if (collectRejects) {
            out = out.add(ERROR_COLUMN, DataTypes.StringType, true);
        }
        PartitionRunner runner = new PartitionRunner(checkpoint, operation, column, batchRows, threadsPerTask,
                collectRejects);
        return InternalFrames.of(data.sparkSession(), InternalFrames.rows(data).mapPartitions(runner), out);
    }

    private DataType outputType(Operation operation, VectorColumn column) {
        return switch (operation) {
            case ENCODE, RECONSTRUCT -> column.kind == VectorColumn.Kind.ML_VECTOR ? SQLDataTypes.VectorType()
                    : DataTypes.createArrayType(DataTypes.FloatType, false);
            case SCORE -> DataTypes.DoubleType;
            case HASH -> DataTypes.BinaryType;
        };
    }

    /** Stops broadcasting the checkpoint; the datasets made from this model can no longer be computed. */
    @Override
    public void close() {
        checkpoint.destroy();
    }

    /** Runs a partition's rows through one model, batch by batch. */
    private static final class PartitionRunner implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<byte[]> checkpoint;
        private final Operation operation;
        private final VectorColumn column;
        private final int batchRows;
        private final int threads;
        private final boolean collectRejects;

        PartitionRunner(Broadcast<byte[]> checkpoint, Operation operation, VectorColumn column, int batchRows,
                        int threads, boolean collectRejects) {
            this.checkpoint = checkpoint;
            this.operation = operation;
            this.column = column;
            this.batchRows = batchRows;
            this.threads = threads;
            this.collectRejects = collectRejects;
        }

        @Override
        public Iterator<InternalRow> call(Iterator<InternalRow> rows) {
            if (!rows.hasNext()) {
                return rows;
            }
            Batches batches = new Batches(this, rows);
            TaskContext task = TaskContext.get();
            if (task != null) {
                // A task that fails or is killed mid-partition still frees its model.
                task.addTaskCompletionListener((TaskCompletionListener) context -> batches.close());
            }
            return batches;
        }
    }

    /** The output rows of one partition, computed a batch at a time. */
    private static final class Batches implements Iterator<InternalRow> {
        private final PartitionRunner run;
        private final Iterator<InternalRow> source;
        private final FittedAutoencoder model;
        private final TensorScope scope;
        private final Tensor input;
        private final float[] features;
        private final InternalRow[] rows;
        private final String[] faults;
        private final ArrayDeque<InternalRow> ready = new ArrayDeque<>();
        private final long partition;
        private long position;
        private boolean closed;

        Batches(PartitionRunner run, Iterator<InternalRow> source) {
            this.run = run;
            this.source = source;
            TaskContext task = TaskContext.get();
            this.partition = task == null ? 0 : task.partitionId();
            this.model = PartitionModel.open(run.checkpoint.value(), run.threads);
            int d = run.column.dimension;
            try {
                this.scope = TensorScope.open("spark partition " + partition);
                this.input = scope.allocateFloat(run.batchRows, d);
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
            this.features = new float[run.batchRows * d];
            this.rows = new InternalRow[run.batchRows];
            this.faults = new String[run.batchRows];
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && !closed && source.hasNext()) {
                nextBatch();
            }
            if (ready.isEmpty()) {
                close();
                return false;
            }
            return true;
        }

        @Override
        public InternalRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        private void nextBatch() {
            VectorColumn column = run.column;
            int d = column.dimension;
            int count = 0;
            int good = 0;
            while (count < run.batchRows && source.hasNext()) {
                InternalRow row = source.next();
                String fault = column.read(row, features, good * d);
                if (fault != null) {
                    fault = column.describe(row, partition, position, fault);
                    if (!run.collectRejects) {
                        throw new BadRowException(fault);
                    }
                } else {
                    good++;
                }
                rows[count] = row.copy(); // the source may reuse its row for the next
                faults[count] = fault;
                count++;
                position++;
            }
            Object[] results = compute(good);
            for (int i = 0, g = 0; i < count; i++) {
                Object result = faults[i] == null ? results[g++] : null;
                ready.add(output(rows[i], result, faults[i]));
                rows[i] = null;
            }
        }

        /** The results of the first {@code n} rows of {@link #features}, as Spark's internal values. */
        private Object[] compute(int n) {
            Object[] results = new Object[n];
            if (n == 0) {
                return results;
            }
            int d = run.column.dimension;
            Tensor x = n == input.rows() ? input : input.rows(0, n);
            MemorySegment.copy(features, 0, x.segment(), ValueLayout.JAVA_FLOAT, x.offset() * Float.BYTES,
                    n * d);
            boolean mlVector = run.column.kind == VectorColumn.Kind.ML_VECTOR;
            switch (run.operation) {
                case ENCODE, RECONSTRUCT -> {
                    try (TensorScope outputs = TensorScope.open("batch output")) {
                        Tensor y = run.operation == Operation.ENCODE ? model.encode(x, outputs)
                                : model.reconstruct(x, outputs);
                        float[] values = y.toFloatArray();
                        int width = y.cols();
                        for (int i = 0; i < n; i++) {
                            results[i] = mlVector
                                    ? VectorColumn.vectorType().serialize(Vectors.dense(widen(values, i * width, width)))
                                    : UnsafeArrayData.fromPrimitiveArray(values, Math.toIntExact(
                                            Platform.FLOAT_ARRAY_OFFSET + (long) i * width * Float.BYTES), width,
                                            Float.BYTES);
                        }
                    }
                }
                case SCORE -> {
                    double[] scores = model.scoreSamples(x);
                    for (int i = 0; i < n; i++) {
                        results[i] = scores[i];
                    }
                }
                case HASH -> {
                    BinaryCodes codes = model.hash(x);
                    for (int i = 0; i < n; i++) {
                        results[i] = packBits(codes, i);
                    }
                }
            }
            return results;
        }

        /** The input row followed by the result (and, collecting rejects, the fault). */
        private InternalRow output(InternalRow row, Object result, String fault) {
            Object[] added = run.collectRejects
                    ? new Object[] {result, fault == null ? null : UTF8String.fromString(fault)}
                    : new Object[] {result};
            return new JoinedRow(row, new GenericInternalRow(added));
        }

        void close() {
            if (!closed) {
                closed = true;
                scope.close();
                model.close();
            }
        }
    }

    private static double[] widen(float[] values, int from, int length) {
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            out[i] = values[from + i];
        }
        return out;
    }

    /** Code {@code row}'s bits as numpy's packbits lays them out: bit j in byte j / 8, most significant first. */
    static byte[] packBits(BinaryCodes codes, int row) {
        byte[] out = new byte[(codes.bits() + 7) / 8];
        for (int j = 0; j < codes.bits(); j++) {
            if (codes.bit(row, j)) {
                out[j >>> 3] |= (byte) (0x80 >>> (j & 7));
            }
        }
        return out;
    }
}
