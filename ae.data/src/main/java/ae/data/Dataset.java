package ae.data;

import ae.tensor.DType;
import ae.tensor.Shapes;
import ae.tensor.Tensor;
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
 * <p>Features are always a contiguous row-major {@code n x d} tensor, so that a row is one run of memory that
 * batching copies with one bulk copy.
 */
public final class Dataset implements AutoCloseable {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final String name;
    private final TensorScope ownedScope;
    private final Tensor features;
    private final int[] labels;
    private volatile boolean closed;

    private Dataset(String name, TensorScope ownedScope, Tensor features, int[] labels) {
        this.name = Objects.requireNonNull(name, "name");
        this.ownedScope = ownedScope;
        this.features = features;
        this.labels = labels;
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
        return features.rows();
    }

    /** Number of features per example, {@code d}. */
    public int dimension() {
        return features.cols();
    }

    /** The {@code n x d} features; valid until this dataset (or, for {@link #wrap}, the caller's scope) is closed. */
    public Tensor features() {
        checkOpen();
        return features;
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
        TensorScope scope = TensorScope.open(subsetName);
        try {
            Tensor out = scope.allocateFloat(rows.length, d);
            copyRows(features, rows, 0, rows.length, out);
            int[] subsetLabels = null;
            if (labels != null) {
                subsetLabels = new int[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    subsetLabels[i] = labels[rows[i]];
                }
            }
            return owning(subsetName, scope, out, subsetLabels);
        } catch (RuntimeException e) {
            scope.close();
            throw e;
        }
    }

    /**
     * Copies rows {@code order[from..to)} of {@code source} into the first rows of {@code destination}: one bulk copy
     * per row, no allocation.
     */
    static void copyRows(Tensor source, int[] order, int from, int to, Tensor destination) {
        int d = source.cols();
        long rowBytes = (long) d * Float.BYTES;
        MemorySegment src = source.segment();
        MemorySegment dst = destination.segment();
        long srcBase = source.offset() * Float.BYTES;
        long dstRow = destination.offset() * Float.BYTES;
        long dstStride = destination.stride(0) * Float.BYTES;
        for (int i = from; i < to; i++) {
            MemorySegment.copy(src, srcBase + order[i] * rowBytes, dst, dstRow, rowBytes);
            dstRow += dstStride;
        }
    }

    /**
     * A seeded split into a training and a validation part, each a new dataset owning a copy of its rows. The
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
        return features.segment().getAtIndex(F32, features.offset() + (long) row * dimension() + col);
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
    public void close() {
        closed = true;
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
