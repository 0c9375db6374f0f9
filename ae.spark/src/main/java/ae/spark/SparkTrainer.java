package ae.spark;

import ae.autodiff.Parameter;
import ae.data.Seeds;
import ae.models.Autoencoder;
import ae.models.EpochReport;
import ae.models.FittedAutoencoder;
import ae.models.GradientSteps;
import ae.models.ModelConfig;
import ae.models.TrainingConfig;
import ae.models.TrainingListener;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Synchronous data-parallel training on Spark. The rows are cached on the executors in blocks, one per partition.
 * With {@link #withLocalSteps withLocalSteps(1)}, each step the driver broadcasts the parameters; every partition computes, with the engine, the gradients of its
 * rows of the step's batch; {@code treeAggregate} sums them (weighted by rows); the driver applies the optimizer.
 * The batches are those {@code fit} would draw from the same rows in the same order (the dataset's order), so the
 * trajectory equals single-process training within float rounding, for objectives that are means over rows (a
 * penalty on a batch statistic, such as a KL sparsity target, sees each shard's rows apart, and corruption noise
 * is drawn per shard).
 *
 * <p>With {@link #withLocalSteps K} &gt; 1 (by default {@value #DEFAULT_LOCAL_STEPS}), each partition instead trains
 * K steps on batches of its own rows (its
 * share of the batch size, in a shuffle of its own per epoch), starting from the broadcast parameters and optimizer
 * state, and the driver averages the partitions' parameters and optimizer state, weighted by their batch sizes
 * (local SGD with periodic averaging): one Spark job per K steps, a trajectory that is no longer
 * single-process training's.
 */
public final class SparkTrainer {
    private final SparkSession spark;
    private final ModelConfig config;
    private final TrainingConfig training;
    private int threadsPerTask = 1;
    private String keyColumn;
    private int localSteps = DEFAULT_LOCAL_STEPS;

    /**
     * Local steps between averagings unless {@link #withLocalSteps} says otherwise: enough work per Spark job to pay
     * for its scheduling and the parameters' round trip (R1 on Fashion-MNIST ends one epoch within 1% of
     * single-process training's test loss; docs/spark.md).
     */
    public static final int DEFAULT_LOCAL_STEPS = 64;

    /** Seed stream of a partition's own shuffle in local-step training. */
    private static final long LOCAL_SHUFFLE_STREAM = 0x5C;

    public SparkTrainer(SparkSession spark, ModelConfig config, TrainingConfig training) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.config = Objects.requireNonNull(config, "config");
        this.training = Objects.requireNonNull(training, "training");
        if (training.validationFraction() != 0 || training.earlyStoppingPatience() != 0) {
            throw new IllegalArgumentException("data-parallel training keeps no validation split; give it the"
                    + " training rows and evaluate apart");
        }
    }

    /** Engine threads of each task's model (1 by default: Spark runs one task per core). */
    public SparkTrainer withThreadsPerTask(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads per task must be >= 1, got " + threads);
        }
        this.threadsPerTask = threads;
        return this;
    }

    /**
     * Steps each partition takes on its own rows between averagings ({@value #DEFAULT_LOCAL_STEPS} by default; 1:
     * the gradients of every step are summed, and training follows single-process training).
     */
    public SparkTrainer withLocalSteps(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("local steps must be >= 1, got " + k);
        }
        this.localSteps = k;
        return this;
    }

    /** Names bad rows in messages by this column's value. */
    public SparkTrainer withKeyColumn(String column) {
        this.keyColumn = Objects.requireNonNull(column, "column");
        return this;
    }

    /** The rows of one partition, copied out of Spark's rows once and cached. */
    record Block(int[] rows, float[] features) implements Serializable {
    }

    /** Summed gradients (or parameters, with local steps), objective and rows of some partitions. */
    static final class Sum implements Serializable {
        private static final long serialVersionUID = 1L;
        double[] values;
        double loss;
        long rows;
        /**
         * With local steps: the partitions' states (parameters, then optimizer state) times their batch sizes,
         * summed in float (a round moves half the bytes of doubles; averaging a few partitions loses nothing that
         * matters).
         */
        float[] states;
        /** With local steps: the summed batch sizes that weigh {@link #states}. */
        double weight;

        Sum addStates(float[] weighted, double batchSize) {
            if (weighted != null) {
                if (states == null) {
                    states = weighted;
                } else {
                    for (int i = 0; i < states.length; i++) {
                        states[i] += weighted[i];
                    }
                }
            }
            weight += batchSize;
            return this;
        }

        Sum add(double[] weighted, double lossTimesRows, long count) {
            if (weighted != null) {
                if (values == null) {
                    values = weighted;
                } else {
                    for (int i = 0; i < values.length; i++) {
                        values[i] += weighted[i];
                    }
                }
            }
            loss += lossTimesRows;
            rows += count;
            return this;
        }

        Sum merge(Sum other) {
            addStates(other.states, other.weight);
            return add(other.values, other.loss, other.rows);
        }
    }

    /**
     * Trains a new model on the vectors of {@code column} (rows in the dataset's order, as {@code fit} would see
     * them in one process) and returns it, on the driver, ready to save; {@code listener} hears of each epoch.
     */
    public FittedAutoencoder fit(Dataset<Row> data, String column, TrainingListener listener) {
        FittedAutoencoder model = Autoencoder.of(config).initialize(training);
        try {
            train(model, data, column, listener);
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private void train(FittedAutoencoder model, Dataset<Row> data, String column, TrainingListener listener) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        BadRowCancel.watch(spark.sparkContext());
        GradientSteps steps = model.gradientSteps();
        List<Parameter> parameters = steps.parameters();
        int d = config.inputDimension();
        VectorColumn vectors = VectorColumn.of(data.schema(), column, d, keyColumn);
        JavaRDD<Block> blocks = InternalFrames.rows(data).zipWithIndex()
                .mapPartitions(rows -> block(rows, vectors))
                .persist(StorageLevel.MEMORY_AND_DISK());
        String run = UUID.randomUUID().toString();
        Broadcast<byte[]> initial = context.broadcast(checkpointBytes(model));
        try {
            long counted = blocks.map(b -> (long) b.rows().length).fold(0L, Long::sum);
            if (counted > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("data-parallel training takes up to 2^31 - 1 rows, got " + counted);
            }
            int n = (int) counted;
            int batch = Math.min(training.batchSize(), n);
            if (n == 0 || (training.dropLast() && n < training.batchSize())) {
                throw new IllegalArgumentException("column '" + column + "' has " + n + " rows, fewer than one batch"
                        + " of " + training.batchSize());
            }
            int stepsPerEpoch = training.dropLast() ? n / batch : (n + batch - 1) / batch;
            int partitions = blocks.getNumPartitions();
            int depth = Math.max(2, (int) Math.ceil(Math.log(Math.max(partitions, 2)) / Math.log(8)));
            float[] flat = new float[totalSize(parameters)];
            while (steps.epochsDone() < training.epochs()) {
                int epoch = steps.epochsDone();
                long started = System.nanoTime();
                double lossSum = 0;
                long samples = 0;
                if (localSteps > 1) {
                    for (int step = 0; step < stepsPerEpoch; step += localSteps) {
                        int count = Math.min(localSteps, stepsPerEpoch - step);
                        Sum sum = localRound(context, blocks, run, initial, steps, parameters, n, batch, epoch,
                                step, count, stepsPerEpoch, depth);
                        lossSum += sum.loss;
                        samples += sum.rows;
                        listener.onStep("train", epoch + 1, step + count, stepsPerEpoch, sum.loss / sum.rows);
                    }
                } else {
                    int[] position = positions(steps.epochOrder(n, epoch));
                    Broadcast<int[]> positions = context.broadcast(position);
                    try {
                        for (int step = 0; step < stepsPerEpoch; step++) {
                            read(parameters, flat, false);
                            Broadcast<float[]> values = context.broadcast(flat);
                            int from = step * batch;
                            int to = Math.min(from + batch, n);
                            long globalStep = steps.stepsDone();
                            int threads = threadsPerTask;
                            Sum sum = blocks.treeAggregate(new Sum(), (acc, block) -> {
                                Worker worker = Worker.borrow(run, initial.value(), threads);
                                try {
                                    return acc.merge(worker.gradients(block, positions.value(), from, to,
                                            values.value(), globalStep));
                                } finally {
                                    Worker.giveBack(run, worker);
                                }
                            }, Sum::merge, depth);
                            values.destroy(false);
                            if (sum.rows != to - from) {
                                throw new IllegalStateException("step " + globalStep + " saw " + sum.rows
                                        + " rows of a batch of " + (to - from));
                            }
                            double loss = sum.loss / sum.rows;
                            if (!Double.isFinite(loss)) {
                                throw new IllegalStateException(String.format(Locale.ROOT, "training of '%s'"
                                        + " diverged at epoch %d, step %d: the objective became %s", config.name(),
                                        epoch + 1, step + 1, loss));
                            }
                            write(parameters, sum.values, 1.0 / sum.rows);
                            steps.applyGradients(stepsPerEpoch);
                            lossSum += sum.loss;
                            samples += sum.rows;
                            listener.onStep("train", epoch + 1, step + 1, stepsPerEpoch, loss);
                        }
                    } finally {
                        positions.destroy(false);
                    }
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                EpochReport report = new EpochReport("train", epoch + 1, lossSum / samples, Double.NaN,
                        samples / seconds, seconds);
                steps.finishEpoch(report);
                listener.onEpoch(report, model);
            }
            listener.onFinish(model.history());
        } finally {
            blocks.foreachPartition(rows -> Worker.release(run));
            Worker.release(run);
            blocks.unpersist(false);
            initial.destroy(false);
        }
    }

    /** {@code count} local steps on every partition from the driver's state, then the weighted average. */
    private Sum localRound(JavaSparkContext context, JavaRDD<Block> blocks, String run, Broadcast<byte[]> initial,
                           GradientSteps steps, List<Parameter> parameters, int n, int batch, int epoch, int step,
                           int count, int stepsPerEpoch, int depth) {
        List<Tensor> state = steps.optimizerState();
        float[] flat = new float[totalSize(parameters) + totalSize(state)];
        readTensors(values(parameters), flat, 0);
        readTensors(state, flat, totalSize(parameters));
        Broadcast<float[]> values = context.broadcast(flat);
        long firstStep = steps.stepsDone();
        int threads = threadsPerTask;
        long seed = training.seed();
        Sum sum = blocks.treeAggregate(new Sum(), (acc, block) -> {
            Worker worker = Worker.borrow(run, initial.value(), threads);
            try {
                return acc.merge(worker.localSteps(block, values.value(), firstStep, count, epoch, step,
                        stepsPerEpoch, Math.max(1, (int) Math.round((double) batch * block.rows().length / n)),
                        Seeds.derive(seed, LOCAL_SHUFFLE_STREAM, TaskContext.get().partitionId())));
            } finally {
                Worker.giveBack(run, worker);
            }
        }, Sum::merge, depth);
        values.destroy(false);
        double loss = sum.loss / sum.rows;
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException(String.format(Locale.ROOT, "training of '%s' diverged at epoch %d,"
                    + " steps %d to %d: the objective became %s", config.name(), epoch + 1, step + 1, step + count,
                    loss));
        }
        float[] averaged = new float[flat.length];
        for (int i = 0; i < averaged.length; i++) {
            averaged[i] = (float) (sum.states[i] / sum.weight);
        }
        writeTensors(values(parameters), averaged, 0);
        writeTensors(state, averaged, totalSize(parameters));
        steps.restoreSteps(firstStep + count);
        return sum;
    }

    private static List<Tensor> values(List<Parameter> parameters) {
        List<Tensor> out = new ArrayList<>();
        for (Parameter p : parameters) {
            out.add(p.value());
        }
        return out;
    }

    private static int totalSize(List<?> tensors) {
        long total = 0;
        for (Object t : tensors) {
            total += t instanceof Parameter p ? p.size() : ((Tensor) t).size();
        }
        return Math.toIntExact(total);
    }

    static void readTensors(List<Tensor> tensors, float[] flat, int at) {
        for (Tensor t : tensors) {
            MemorySegment.copy(t.segment(), ValueLayout.JAVA_FLOAT, t.offset() * Float.BYTES, flat, at,
                    (int) t.size());
            at += (int) t.size();
        }
    }

    static void writeTensors(List<Tensor> tensors, float[] flat, int at) {
        for (Tensor t : tensors) {
            MemorySegment.copy(flat, at, t.segment(), ValueLayout.JAVA_FLOAT, t.offset() * Float.BYTES,
                    (int) t.size());
            at += (int) t.size();
        }
    }

    private static Iterator<Block> block(Iterator<Tuple2<InternalRow, Long>> rows, VectorColumn vectors) {
        int d = vectors.dimension;
        List<Integer> indices = new ArrayList<>();
        float[] features = new float[1024 * d];
        float[] vector = new float[d];
        long partition = TaskContext.get() == null ? 0 : TaskContext.get().partitionId();
        long position = 0;
        while (rows.hasNext()) {
            Tuple2<InternalRow, Long> next = rows.next();
            String fault = vectors.read(next._1(), vector, 0);
            if (fault != null) {
                throw new BadRowException(vectors.describe(next._1(), partition, position, fault));
            }
            int at = indices.size();
            if ((at + 1) * d > features.length) {
                features = Arrays.copyOf(features, features.length * 2);
            }
            System.arraycopy(vector, 0, features, at * d, d);
            indices.add(Math.toIntExact(next._2()));
            position++;
        }
        int[] ids = indices.stream().mapToInt(Integer::intValue).toArray();
        return List.of(new Block(ids, Arrays.copyOf(features, ids.length * d))).iterator();
    }

    /** position[row] = where row comes in the epoch's order. */
    private static int[] positions(int[] order) {
        int[] position = new int[order.length];
        for (int k = 0; k < order.length; k++) {
            position[order[k]] = k;
        }
        return position;
    }

    /** Copies the parameters' values (or gradients) into {@code flat}, one after another. */
    static void read(List<Parameter> parameters, float[] flat, boolean gradients) {
        int at = 0;
        for (Parameter p : parameters) {
            Tensor t = gradients ? p.grad() : p.value();
            MemorySegment.copy(t.segment(), ValueLayout.JAVA_FLOAT, t.offset() * Float.BYTES, flat, at,
                    (int) p.size());
            at += (int) p.size();
        }
    }

    /** Writes {@code scale * sums} into the parameters' gradients. */
    private static void write(List<Parameter> parameters, double[] sums, double scale) {
        int at = 0;
        for (Parameter p : parameters) {
            Tensor g = p.grad();
            MemorySegment s = g.segment();
            long base = g.offset();
            for (int i = 0; i < p.size(); i++) {
                s.setAtIndex(ValueLayout.JAVA_FLOAT, base + i, (float) (sums[at + i] * scale));
            }
            at += (int) p.size();
        }
    }

    private static byte[] checkpointBytes(FittedAutoencoder model) {
        Path file = null;
        try {
            file = Files.createTempFile("ae-spark-initial-", ".ckpt");
            model.save(file);
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not serialize the initial model", e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // Only a temporary copy.
                }
            }
        }
    }

    /**
     * An executor's model for one training run, kept between steps (opening a model builds its graphs): one per
     * task running at once, pooled by run.
     */
    static final class Worker {
        private static final Map<String, ConcurrentLinkedQueue<Worker>> POOLS = new ConcurrentHashMap<>();
        private final FittedAutoencoder model;
        private final GradientSteps steps;
        private final List<Parameter> parameters;
        private final TensorScope scope;
        private final float[] gradient;
        private Tensor batch;
        private float[] rows = new float[0];

        private Worker(byte[] checkpoint, int threads) {
            this.model = PartitionModel.open(checkpoint, threads);
            this.steps = model.gradientSteps();
            this.parameters = steps.parameters();
            this.scope = TensorScope.open("spark training batch");
            this.gradient = new float[totalSize(parameters)];
        }

        static Worker borrow(String run, byte[] checkpoint, int threads) {
            Worker w = POOLS.computeIfAbsent(run, r -> new ConcurrentLinkedQueue<>()).poll();
            return w != null ? w : new Worker(checkpoint, threads);
        }

        static void giveBack(String run, Worker worker) {
            ConcurrentLinkedQueue<Worker> pool = POOLS.get(run);
            if (pool == null) {
                worker.close();
            } else {
                pool.add(worker);
            }
        }

        static void release(String run) {
            ConcurrentLinkedQueue<Worker> pool = POOLS.remove(run);
            if (pool != null) {
                for (Worker w : pool) {
                    w.close();
                }
            }
        }

        /** The rows of {@code block} at positions [from, to) of the epoch's order, in that order: the gradients. */
        Sum gradients(Block block, int[] position, int from, int to, float[] values, long step) {
            int d = model.config().inputDimension();
            int[] ids = block.rows();
            int count = 0;
            for (int id : ids) {
                int p = position[id];
                if (p >= from && p < to) {
                    count++;
                }
            }
            if (count == 0) {
                return new Sum();
            }
            long[] keyed = new long[count];
            int k = 0;
            for (int i = 0; i < ids.length; i++) {
                int p = position[ids[i]];
                if (p >= from && p < to) {
                    keyed[k++] = ((long) p << 32) | i;
                }
            }
            Arrays.sort(keyed);
            if (rows.length < count * d) {
                rows = new float[count * d];
            }
            for (int r = 0; r < count; r++) {
                int i = (int) keyed[r];
                System.arraycopy(block.features(), i * d, rows, r * d, d);
            }
            if (batch == null || batch.rows() < count) {
                batch = scope.allocateFloat(to - from, d);
            }
            Tensor x = batch.rows() == count ? batch : batch.rows(0, count);
            MemorySegment.copy(rows, 0, x.segment(), ValueLayout.JAVA_FLOAT, x.offset() * Float.BYTES, count * d);
            int at = 0;
            for (Parameter p : parameters) {
                Tensor t = p.value();
                MemorySegment.copy(values, at, t.segment(), ValueLayout.JAVA_FLOAT, t.offset() * Float.BYTES,
                        (int) p.size());
                at += (int) p.size();
            }
            double loss = steps.computeGradients(x, step);
            Sum sum = new Sum();
            if (!Double.isFinite(loss)) {
                return sum.add(new double[gradient.length], loss * count, count);
            }
            read(parameters, gradient, true);
            double[] weighted = new double[gradient.length];
            for (int i = 0; i < weighted.length; i++) {
                weighted[i] = (double) gradient[i] * count;
            }
            return sum.add(weighted, loss * count, count);
        }

        /**
         * {@code count} optimizer steps from the state in {@code values} (parameters, then optimizer state), on
         * batches of {@code localBatch} of this block's rows, in this partition's own order of the epoch; returns
         * the resulting state weighted by the batch size, and the objectives.
         */
        Sum localSteps(Block block, float[] values, long firstStep, int count, int epoch, int step,
                       int stepsPerEpoch, int localBatch, long shuffleSeed) {
            int d = model.config().inputDimension();
            int n = block.rows().length;
            Sum sum = new Sum();
            if (n == 0) {
                return sum;
            }
            List<Tensor> state = steps.optimizerState();
            List<Tensor> parameterValues = values(parameters);
            writeTensors(parameterValues, values, 0);
            writeTensors(state, values, totalSize(parameters));
            steps.restoreSteps(firstStep);
            int[] order = ae.data.Batcher.epochOrder(n, new ae.data.BatchOptions(localBatch, true, false, shuffleSeed),
                    epoch);
            if (batch == null || batch.rows() != localBatch) {
                batch = scope.allocateFloat(localBatch, d);
            }
            if (rows.length < localBatch * d) {
                rows = new float[localBatch * d];
            }
            double loss = 0;
            for (int j = 0; j < count; j++) {
                int first = (step + j) * localBatch;
                for (int r = 0; r < localBatch; r++) {
                    int i = order[(first + r) % n];
                    System.arraycopy(block.features(), i * d, rows, r * d, d);
                }
                MemorySegment.copy(rows, 0, batch.segment(), ValueLayout.JAVA_FLOAT, batch.offset() * Float.BYTES,
                        localBatch * d);
                double objective = steps.computeGradients(batch, firstStep + j);
                loss += objective * localBatch;
                if (!Double.isFinite(objective)) {
                    return sum.add(null, loss, (long) localBatch * (j + 1));
                }
                steps.applyGradients(stepsPerEpoch);
            }
            float[] after = new float[values.length];
            readTensors(parameterValues, after, 0);
            readTensors(state, after, totalSize(parameters));
            for (int i = 0; i < after.length; i++) {
                after[i] *= localBatch;
            }
            return sum.addStates(after, localBatch).add(null, loss, (long) localBatch * count);
        }

        void close() {
            scope.close();
            model.close();
        }
    }
}
