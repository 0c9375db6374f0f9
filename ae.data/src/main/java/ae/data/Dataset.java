package ae.data;

import ae.tensor.ComputePool;
import ae.tensor.DType;
import ae.tensor.Shapes;
import ae.tensor.Tensor;
import ae.tensor.TensorOps;
import ae.tensor.TensorScope;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Objects;

/**
 * A named table of {@code n} examples by {@code d} float32 features held off-heap, with an optional int label per
 * example.
 *
 * <p><b>Ownership.</b> A dataset made by a reader, by {@link #copyOf}, {@link #subset} or {@link #split} owns a
 * {@link TensorScope} holding its features; {@link #close()} frees it and the features tensor then throws on use.
 * A dataset made by {@link #wrap} borrows a tensor whose scope the caller keeps owning; closing such a dataset only
 * marks it closed. Either way {@link #ownsMemory()} says which. Labels live on the heap: they are small and only
 * ever read into batch label buffers.
 *
 * <p>Features are a contiguous row-major {@code n x d} tensor, so that a row is one run of memory that batching
 * copies with one bulk copy. The images of an IDX file are held instead as the file's unsigned bytes
 * ({@link #isStoredAsBytes()}), a quarter of the memory: batches ({@link Batcher}, {@link #copyRows}) convert the
 * rows they take to {@code b / 255}, and {@link #features()} converts the whole set once, freeing the bytes, so
 * the data is never held twice.
 */
public final class Dataset implements AutoCloseable {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final String name;
    private final TensorScope ownedScope;
    private final int rows;
    private final int cols;
    private final int[] labels;
    /** The features as floats; null while they are held as {@link #bytes}. */
    private volatile Tensor features;
    private UnitBytes bytes;
    /** Made on the first parallel batch copy; guarded by this dataset's monitor. */
    private ParallelRowCopy parallelCopy;
    /** Row i of a dataset held as bytes is row rowMap[i] of {@link #bytes}; null for the identity. */
    private final int[] rowMap;
    private volatile boolean closed;

    private Dataset(String name, TensorScope ownedScope, Tensor features, int[] labels) {
        this.name = Objects.requireNonNull(name, "name");
        this.ownedScope = ownedScope;
        this.features = features;
        this.rows = features.rows();
        this.cols = features.cols();
        this.labels = labels;
        this.rowMap = null;
    }

    private Dataset(String name, UnitBytes bytes, int rows, int cols, int[] labels, int[] rowMap) {
        this.name = Objects.requireNonNull(name, "name");
        this.ownedScope = TensorScope.open(name);
        this.bytes = bytes;
        this.rows = rows;
        this.cols = cols;
        this.labels = labels;
        this.rowMap = rowMap;
    }

    /** A dataset taking ownership of {@code bytes}, {@code rows x cols} unsigned bytes standing for b / 255. */
    static Dataset owningUnitBytes(String name, UnitBytes bytes, int rows, int cols, int[] labels) {
        if (rows < 1 || cols < 1 || bytes.size() != (long) rows * cols) {
            throw new IllegalArgumentException("dataset '" + name + "': " + bytes.size() + " bytes do not fill "
                    + rows + " x " + cols);
        }
        checkLabels(name, rows, labels);
        return new Dataset(name, bytes, rows, cols, labels, null);
    }

    /** A dataset taking ownership of {@code scope}, which holds {@code features}. */
    static Dataset owning(String name, TensorScope scope, Tensor features, int[] labels) {
        checkFeatures(name, features);
        checkLabels(name, features.rows(), labels);
        return new Dataset(name, scope, features, labels);
    }

    /**
     * A dataset over a tensor the caller owns: closing the dataset leaves the tensor's scope open.
     *
     * @param features a contiguous 2-D float32 tensor with at least one row and one column
     * @param labels one label per row, or {@code null}; copied
     */
    public static Dataset wrap(String name, Tensor features, int[] labels) {
        checkFeatures(name, features);
        int[] copy = labels == null ? null : labels.clone();
        checkLabels(name, features.rows(), copy);
        return new Dataset(name, null, features, copy);
    }

    /** A dataset owning a copy of {@code values}, read as {@code rows x cols} in row-major order. */
    public static Dataset copyOf(String name, float[] values, int rows, int cols, int[] labels) {
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException(values.length + " values do not fill " + rows + " x " + cols);
        }
        TensorScope scope = TensorScope.open(name);
        try {
            Tensor t = scope.allocateFloat(rows, cols);
            t.copyFrom(values);
            return owning(name, scope, t, labels == null ? null : labels.clone());
        } catch (RuntimeException e) {
            scope.close();
            throw e;
        }
    }

    private static void checkFeatures(String name, Tensor features) {
        Objects.requireNonNull(features, "features");
        if (features.rank() != 2 || features.dtype() != DType.F32 || !features.isContiguous()) {
            throw new IllegalArgumentException("dataset '" + name + "' needs a contiguous 2-D float32 tensor, got "
                    + features);
        }
        if (features.rows() < 1 || features.cols() < 1) {
            throw new IllegalArgumentException("dataset '" + name + "' needs at least one row and one column, got shape "
                    + Shapes.format(features.shape()));
        }
    }

    private static void checkLabels(String name, int rows, int[] labels) {
        if (labels != null && labels.length != rows) {
            throw new IllegalArgumentException("dataset '" + name + "' has " + rows + " rows but " + labels.length
                    + " labels");
        }
    }

    /** The dataset's name, for messages and reports. */
    public String name() {
        return name;
    }

    /** Number of examples, {@code n}. */
    public int size() {
        return rows;
    }

    /** Number of features per example, {@code d}. */
    public int dimension() {
        return cols;
    }

    /**
     * The {@code n x d} features; valid until this dataset (or, for {@link #wrap}, the caller's scope) is closed.
     * Features held as bytes are converted here, once, and the bytes freed: for a pass over the data prefer
     * {@link Batcher} or {@link #copyRows}, which convert only the rows they take.
     */
    public Tensor features() {
        checkOpen();
        Tensor f = features;
        return f != null ? f : convertBytes();
    }

    private synchronized Tensor convertBytes() {
        checkOpen();
        if (features == null) {
            Tensor f = ownedScope.allocateFloat(rows, cols);
            if (rowMap == null) {
                bytes.toFloats(0, (long) rows * cols, f.segment(), f.offset());
            } else {
                for (int i = 0; i < rows; i++) {
                    bytes.toFloats((long) rowMap[i] * cols, cols, f.segment(), f.offset() + (long) i * cols);
                }
            }
            features = f;
            bytes.close();
            bytes = null;
        }
        return features;
    }

    /**
     * True while the features are held as unsigned bytes {@code b}, each standing for {@code b / 255} (the images
     * of an IDX file): they are then in [0, 1] by construction.
     */
    public boolean isStoredAsBytes() {
        return features == null;
    }

    /**
     * Copies rows {@code [from, to)} as float32 into the first rows of {@code destination}, a 2-D float32 tensor
     * with {@link #dimension()} columns and at least {@code to - from} rows; bytes are converted on the way.
     */
    public void copyRows(int from, int to, Tensor destination) {
        Objects.checkFromToIndex(from, to, rows);
        checkDestination(destination, to - from);
        copyRowsUnchecked(null, from, to, destination);
    }

    /** Copies the rows {@code order} (repeats allowed) as float32 into the first rows of {@code destination}. */
    public void copyRows(int[] order, Tensor destination) {
        for (int r : order) {
            Objects.checkIndex(r, rows);
        }
        checkDestination(destination, order.length);
        copyRowsUnchecked(order, 0, order.length, destination);
    }

    private void checkDestination(Tensor destination, int needed) {
        if (destination.rank() != 2 || destination.dtype() != DType.F32 || destination.cols() != cols
                || destination.rows() < needed || destination.stride(1) != 1) {
            throw new IllegalArgumentException("rows of dataset '" + name + "' need a float32 tensor of at least "
                    + needed + " x " + cols + " with contiguous rows, got " + destination);
        }
    }

    /** True if every example has an integer label. */
    public boolean hasLabels() {
        return labels != null;
    }

    /** The label of example {@code row}; throws {@link IllegalStateException} if the dataset has no labels. */
    public int label(int row) {
        requireLabels();
        return labels[Objects.checkIndex(row, labels.length)];
    }

    /** A copy of the labels; throws {@link IllegalStateException} if the dataset has no labels. */
    public int[] labels() {
        requireLabels();
        return labels.clone();
    }

    /** The label array itself, for batching without copies; {@code null} if unlabelled. */
    int[] labelsOrNull() {
        return labels;
    }

    private void requireLabels() {
        if (labels == null) {
            throw new IllegalStateException("dataset '" + name + "' has no labels");
        }
    }

    /** True if {@link #close()} frees the features' memory. */
    public boolean ownsMemory() {
        return ownedScope != null;
    }

    /** Fits a per-feature min-max scaling to [0, 1] on this dataset, applies it in place and returns it. */
    public FeatureScaling scaleToUnitInterval() {
        FeatureScaling scaling = FeatureScaling.fitMinMax(features(), FeatureScaling.Pooling.PER_FEATURE);
        scaling.apply(features);
        return scaling;
    }

    /** Fits a per-feature standardization to zero mean and unit variance, applies it in place and returns it. */
    public FeatureScaling standardize() {
        FeatureScaling scaling = FeatureScaling.fitStandardization(features(), FeatureScaling.Pooling.PER_FEATURE);
        scaling.apply(features);
        return scaling;
    }

    /** A new dataset owning a copy of the given rows, in the given order (repeats allowed). */
    public Dataset subset(String subsetName, int[] rows) {
        checkOpen();
        if (rows.length == 0) {
            throw new IllegalArgumentException("a subset of '" + name + "' needs at least one row");
        }
        int n = size();
        int d = dimension();
        for (int r : rows) {
            Objects.checkIndex(r, n);
        }
        int[] subsetLabels = null;
        if (labels != null) {
            subsetLabels = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                subsetLabels[i] = labels[rows[i]];
            }
        }
        synchronized (this) {
            if (features == null) {
                UnitBytes copy = bytes.copyRows(storedRows(rows), d);
                try {
                    return owningUnitBytes(subsetName, copy, rows.length, d, subsetLabels);
                } catch (RuntimeException e) {
                    copy.close();
                    throw e;
                }
            }
        }
        TensorScope scope = TensorScope.open(subsetName);
        try {
            Tensor out = scope.allocateFloat(rows.length, d);
            copyRowsUnchecked(rows, 0, rows.length, out);
            return owning(subsetName, scope, out, subsetLabels);
        } catch (RuntimeException e) {
            scope.close();
            throw e;
        }
    }

    /** The rows of the bytes behind this dataset's rows {@code rows}. */
    private int[] storedRows(int[] rows) {
        if (rowMap == null) {
            return rows;
        }
        int[] stored = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            stored[i] = rowMap[rows[i]];
        }
        return stored;
    }

    /** A dataset of the rows {@code rows} sharing this one's bytes: nothing is copied, and the bytes never change. */
    private Dataset view(String viewName, int[] rows) {
        int[] viewLabels = null;
        if (labels != null) {
            viewLabels = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                viewLabels[i] = labels[rows[i]];
            }
        }
        UnitBytes shared = bytes.retain();
        try {
            return new Dataset(viewName, shared, rows.length, cols, viewLabels, storedRows(rows));
        } catch (RuntimeException e) {
            shared.close();
            throw e;
        }
    }

    /**
     * Copies rows {@code order[from..to)} (rows {@code from..to} when {@code order} is null) into the first rows of
     * {@code destination}: one bulk copy or one conversion per row, no allocation.
     */
    void copyRowsUnchecked(int[] order, int from, int to, Tensor destination) {
        checkOpen();
        Tensor source = features;
        if (source == null) {
            synchronized (this) {
                // Converted meanwhile (features() frees the bytes), or still bytes: read under the monitor either way.
                copyRows(features, order, from, to, destination.segment(), destination.offset(),
                        destination.stride(0));
                return;
            }
        }
        copyRows(source, order, from, to, destination.segment(), destination.offset(), destination.stride(0));
    }

    /**
     * {@link #copyRowsUnchecked} with the rows cut into one share per thread of {@code pool}, all copied at once;
     * the monitor is held throughout, so the bytes cannot be converted and freed under the threads that read them.
     */
    void copyRowsUnchecked(int[] order, int from, int to, Tensor destination, ComputePool pool) {
        checkOpen();
        int threads = Math.min(pool.threads(), to - from);
        if (threads < 2 || (long) (to - from) * cols < TensorOps.PARALLEL_THRESHOLD) {
            copyRowsUnchecked(order, from, to, destination);
            return;
        }
        synchronized (this) {
            if (parallelCopy == null) {
                parallelCopy = new ParallelRowCopy();
            }
            ParallelRowCopy copy = parallelCopy;
            copy.source = features;
            copy.order = order;
            copy.from = from;
            copy.to = to;
            copy.destination = destination.segment();
            copy.destinationRow = destination.offset();
            copy.destinationStride = destination.stride(0);
            copy.chunks = threads;
            try {
                pool.run(threads, copy);
            } finally {
                copy.source = null;
                copy.order = null;
                copy.destination = null;
            }
        }
    }

    /** One share of a parallel batch copy per chunk; one per dataset, used under its monitor. */
    private final class ParallelRowCopy implements ComputePool.Task {
        Tensor source;
        int[] order;
        int from;
        int to;
        MemorySegment destination;
        long destinationRow;
        long destinationStride;
        int chunks;

        @Override
        public void run(int chunk) {
            int rows = to - from;
            int first = ComputePool.chunkStart(rows, chunks, chunk, 1);
            int last = ComputePool.chunkStart(rows, chunks, chunk + 1, 1);
            copyRows(source, order, from + first, from + last, destination,
                    destinationRow + first * destinationStride, destinationStride);
        }
    }

    /**
     * Rows {@code order[from..to)} of {@code source}, or of the bytes when it is null (the caller holds the monitor
     * then), to {@code dst} from element {@code dstRow} on, rows {@code dstStride} elements apart.
     */
    private void copyRows(Tensor source, int[] order, int from, int to, MemorySegment dst, long dstRow,
                          long dstStride) {
        if (source == null) {
            for (int i = from; i < to; i++) {
                int row = order == null ? i : order[i];
                bytes.toFloats((long) (rowMap == null ? row : rowMap[row]) * cols, cols, dst, dstRow);
                dstRow += dstStride;
            }
            return;
        }
        long rowBytes = (long) cols * Float.BYTES;
        MemorySegment src = source.segment();
        long srcBase = source.offset() * Float.BYTES;
        for (int i = from; i < to; i++) {
            long row = order == null ? i : order[i];
            MemorySegment.copy(src, srcBase + row * rowBytes, dst, dstRow * Float.BYTES, rowBytes);
            dstRow += dstStride;
        }
    }

    /**
     * A seeded split into a training and a validation part, each a new dataset owning a copy of its rows (for data
     * held as bytes, sharing them: the bytes never change, and are freed when the last holder is closed). The
     * validation part holds {@code round(n * validationFraction)} rows chosen by a shuffle seeded from {@code seed}
     * (see {@link Seeds}); both parts keep the original row order. This dataset stays open and usable.
     */
    public TrainValidationSplit split(double validationFraction, long seed) {
        checkOpen();
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + validationFraction);
        }
        int n = size();
        int validationRows = (int) Math.round(n * validationFraction);
        if (validationRows < 1 || validationRows >= n) {
            throw new IllegalArgumentException("a validation fraction of " + validationFraction + " of " + n
                    + " rows leaves one part empty");
        }
        int[] order = Seeds.permutation(n, Seeds.derive(seed, Seeds.SPLIT_STREAM, 0));
        int[] validation = Arrays.copyOfRange(order, 0, validationRows);
        int[] train = Arrays.copyOfRange(order, validationRows, n);
        Arrays.sort(validation);
        Arrays.sort(train);
        synchronized (this) {
            if (features == null) {
                Dataset trainPart = view(name + "-train", train);
                return new TrainValidationSplit(trainPart, view(name + "-validation", validation));
            }
        }
        Dataset trainPart = subset(name + "-train", train);
        try {
            return new TrainValidationSplit(trainPart, subset(name + "-validation", validation));
        } catch (RuntimeException e) {
            trainPart.close();
            throw e;
        }
    }

    /** Element (row, col) as float; for tests and small tools, not for loops over the data. */
    public float get(int row, int col) {
        checkOpen();
        Objects.checkIndex(row, size());
        Objects.checkIndex(col, dimension());
        Tensor f = features;
        if (f == null) {
            synchronized (this) {
                if (features == null) {
                    return bytes.get((long) (rowMap == null ? row : rowMap[row]) * cols + col);
                }
                f = features;
            }
        }
        return f.segment().getAtIndex(F32, f.offset() + (long) row * cols + col);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("dataset '" + name + "' is closed");
        }
    }

    /** False once {@link #close()} has run. */
    public boolean isOpen() {
        return !closed;
    }

    /** Frees the features if this dataset owns them; idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (bytes != null) {
            bytes.close();
            bytes = null;
        }
        if (ownedScope != null) {
            ownedScope.close();
        }
    }

    @Override
    public String toString() {
        return "Dataset[" + name + ", " + size() + " x " + dimension() + (labels != null ? ", labelled" : "")
                + (ownsMemory() ? "" : ", borrowed") + (closed ? ", closed" : "") + "]";
    }
}
