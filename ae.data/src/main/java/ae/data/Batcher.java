package ae.data;

import ae.tensor.ComputePool;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.Objects;

/**
 * Cuts a dataset into batches, written one after another into one off-heap buffer that the batcher owns and
 * reuses: after construction, stepping through batches and epochs allocates nothing, on or off the heap.
 *
 * <pre>{@code
 * try (Batcher batches = Batcher.create(train, BatchOptions.shuffled(128, seed))) {
 *     for (int epoch = 0; epoch < epochs; epoch++) {
 *         batches.startEpoch(epoch);
 *         while (batches.next()) {
 *             Tensor x = batches.features();   // batches.rows() x d, valid until the next call to next()
 *             ...
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>The order of epoch {@code e} is a shuffle of the identity seeded with
 * {@code Seeds.derive(seed, Seeds.EPOCH_STREAM, e)}: it depends on the seed and the epoch number only, so a run
 * resumed at epoch {@code e} sees the same batches as an uninterrupted one. Without shuffling, rows come in
 * dataset order. With drop-last, a final batch smaller than the batch size is skipped.
 *
 * <p>Not thread-safe: one batcher feeds one training loop.
 */
public final class Batcher implements AutoCloseable {
    private final Dataset data;
    private final BatchOptions options;
    private final TensorScope scope;
    private final Tensor buffer;
    private final Tensor lastBatchView;
    private final int[] labelBuffer;
    private final int[] order;
    private final int batchesPerEpoch;
    /** The threads that copy a batch's rows; null to copy on the calling thread. */
    private final ComputePool pool;
    private int nextRow;
    private int currentRows;
    private boolean epochStarted;

    private Batcher(Dataset data, BatchOptions options, ComputePool pool) {
        this.data = data;
        this.options = options;
        this.pool = pool;
        int n = data.size();
        int batchSize = options.batchSize();
        if (options.dropLast() && n < batchSize) {
            throw new IllegalArgumentException("dataset '" + data.name() + "' has " + n
                    + " rows, fewer than one batch of " + batchSize + " with drop-last");
        }
        int full = n / batchSize;
        int remainder = n % batchSize;
        this.batchesPerEpoch = full + (remainder > 0 && !options.dropLast() ? 1 : 0);
        int bufferRows = Math.min(batchSize, n);
        this.scope = TensorScope.open("batch buffer of " + data.name());
        try {
            this.buffer = scope.allocateFloat(bufferRows, data.dimension());
            // Made once here so that handing out the short final batch allocates no view per epoch.
            this.lastBatchView = remainder > 0 && !options.dropLast() && full > 0 ? buffer.rows(0, remainder) : buffer;
        } catch (RuntimeException e) {
            scope.close();
            throw e;
        }
        this.labelBuffer = data.hasLabels() ? new int[bufferRows] : null;
        this.order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
    }

    /** A batcher over {@code data}, which must stay open while the batcher is used. */
    public static Batcher create(Dataset data, BatchOptions options) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        return new Batcher(data, options, null);
    }

    /**
     * A batcher whose {@link #next} copies each batch's rows on the threads of {@code pool}, a share each: the batch
     * a training step waits for is then not left to one core. The batches are those of {@link #create(Dataset,
     * BatchOptions)}.
     */
    public static Batcher create(Dataset data, BatchOptions options, ComputePool pool) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(pool, "pool");
        return new Batcher(data, options, pool);
    }

    /**
     * The row order of epoch {@code epoch} over {@code rows} rows, as {@link #startEpoch} makes it: for callers
     * that hold a dataset's rows apart (in shards) and want the batches a batcher over all of them would give.
     *
     * @param rows the number of rows
     * @param options the batch options, whose shuffle flag and seed fix the order
     * @param epoch the 0-based epoch
     * @return order[k] = the row that comes k-th in the epoch
     */
    public static int[] epochOrder(int rows, BatchOptions options, long epoch) {
        int[] order = new int[rows];
        if (options.shuffle()) {
            Seeds.shuffleIdentity(order, rows, Seeds.derive(options.seed(), Seeds.EPOCH_STREAM, epoch));
        } else {
            for (int i = 0; i < rows; i++) {
                order[i] = i;
            }
        }
        return order;
    }

    /** The options this batcher was made with. */
    public BatchOptions options() {
        return options;
    }

    /** Batches in one epoch, counting a short final batch unless drop-last. */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** Rewinds to the first batch of epoch {@code epoch}, in that epoch's order. */
    public void startEpoch(long epoch) {
        if (!scope.isOpen()) {
            throw new IllegalStateException("batcher over '" + data.name() + "' is closed");
        }
        if (options.shuffle()) {
            Seeds.shuffleIdentity(order, order.length, Seeds.derive(options.seed(), Seeds.EPOCH_STREAM, epoch));
        }
        nextRow = 0;
        currentRows = 0;
        epochStarted = true;
    }

    /**
     * Copies the next batch into the buffer; false when the epoch is over. The previous batch's contents are
     * overwritten.
     */
    public boolean next() {
        if (!epochStarted) {
            throw new IllegalStateException("call startEpoch before next");
        }
        int n = order.length;
        int remaining = n - nextRow;
        int rows = Math.min(options.batchSize(), remaining);
        if (rows == 0 || (options.dropLast() && rows < options.batchSize())) {
            currentRows = 0;
            return false;
        }
        if (pool == null) {
            data.copyRowsUnchecked(order, nextRow, nextRow + rows, buffer);
        } else {
            data.copyRowsUnchecked(order, nextRow, nextRow + rows, buffer, pool);
        }
        int[] labels = data.labelsOrNull();
        if (labels != null) {
            for (int i = 0; i < rows; i++) {
                labelBuffer[i] = labels[order[nextRow + i]];
            }
        }
        nextRow += rows;
        currentRows = rows;
        return true;
    }

    /** Rows in the current batch: the batch size, or fewer for a final short batch. */
    public int rows() {
        return currentRows;
    }

    /** The current batch, {@link #rows()} x d; the same tensor object batch after batch except the short last one. */
    public Tensor features() {
        requireBatch();
        return currentRows == buffer.rows() ? buffer : lastBatchView;
    }

    /**
     * The labels of the current batch in the first {@link #rows()} entries of a reused array; throws
     * {@link IllegalStateException} for an unlabelled dataset.
     */
    public int[] labels() {
        requireBatch();
        if (labelBuffer == null) {
            throw new IllegalStateException("dataset '" + data.name() + "' has no labels");
        }
        return labelBuffer;
    }

    /** The dataset row each row of the current batch came from, in the first {@link #rows()} entries. */
    public int sourceRow(int batchRow) {
        requireBatch();
        Objects.checkIndex(batchRow, currentRows);
        return order[nextRow - currentRows + batchRow];
    }

    private void requireBatch() {
        if (currentRows == 0) {
            throw new IllegalStateException("no current batch: call startEpoch and then next");
        }
    }

    /** Frees the batch buffer; the dataset stays open. */
    @Override
    public void close() {
        scope.close();
    }
}
