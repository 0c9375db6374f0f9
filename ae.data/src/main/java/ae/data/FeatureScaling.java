package ae.data;

import ae.tensor.DType;
import ae.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An invertible affine map of features, {@code x' = (x - shift[j]) / scale[j]}, with the statistics it was fitted
 * on kept so that model outputs can be mapped back to data units.
 *
 * <p>Min-max scaling uses {@code shift = min, scale = max - min}, so the fitted data lands in [0, 1];
 * standardization uses {@code shift = mean, scale = population standard deviation}. A feature that is constant
 * in the fitted data gets {@code scale = 1}: dividing by zero would turn it into NaN, and a constant carries nothing
 * to rescale. Statistics are accumulated in float64. Fit on the training set, then {@link #apply} the same scaling
 * to validation and test sets.
 */
public final class FeatureScaling {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /** Whether one statistic is fitted per feature (column) or one over all features together. */
    public enum Pooling {
        /** A shift and scale per feature. */
        PER_FEATURE,
        /** One shift and scale shared by every feature. */
        ALL_FEATURES
    }

    /** What the scaling was fitted as; for messages and for callers that persist it. */
    public enum Kind {
        /** Min-max scaling to [0, 1]. */
        MIN_MAX,
        /** Standardization to mean 0 and standard deviation 1. */
        STANDARDIZATION
    }

    private final Kind kind;
    private final double[] shift;
    private final double[] scale;

    private FeatureScaling(Kind kind, double[] shift, double[] scale) {
        this.kind = kind;
        this.shift = shift;
        this.scale = scale;
    }

    /** A scaling from explicit statistics (for example read back from a checkpoint); arrays are copied. */
    public static FeatureScaling of(Kind kind, double[] shift, double[] scale) {
        if (shift.length != scale.length || shift.length == 0) {
            throw new IllegalArgumentException("shift and scale need the same non-zero length, got " + shift.length
                    + " and " + scale.length);
        }
        for (int j = 0; j < scale.length; j++) {
            if (!Double.isFinite(shift[j]) || !Double.isFinite(scale[j]) || scale[j] == 0) {
                throw new IllegalArgumentException("feature " + j + ": shift " + shift[j] + " and scale " + scale[j]
                        + " must be finite and the scale non-zero");
            }
        }
        return new FeatureScaling(kind, shift.clone(), scale.clone());
    }

    /** Fits min-max scaling to [0, 1] on the rows of a 2-D float32 tensor. */
    public static FeatureScaling fitMinMax(Tensor x, Pooling pooling) {
        requireMatrix(x);
        int n = x.rows();
        int d = x.cols();
        double[] min = new double[d];
        double[] max = new double[d];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        MemorySegment s = x.segment();
        for (int i = 0; i < n; i++) {
            long row = rowStart(x, i);
            for (int j = 0; j < d; j++) {
                double v = s.getAtIndex(F32, row + j * x.stride(1));
                min[j] = Math.min(min[j], v);
                max[j] = Math.max(max[j], v);
            }
        }
        if (pooling == Pooling.ALL_FEATURES) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < d; j++) {
                lo = Math.min(lo, min[j]);
                hi = Math.max(hi, max[j]);
            }
            java.util.Arrays.fill(min, lo);
            java.util.Arrays.fill(max, hi);
        }
        double[] range = new double[d];
        for (int j = 0; j < d; j++) {
            range[j] = nonZero(max[j] - min[j]);
        }
        return new FeatureScaling(Kind.MIN_MAX, min, range);
    }

    /** Fits standardization (mean 0, population variance 1) on the rows of a 2-D float32 tensor. */
    public static FeatureScaling fitStandardization(Tensor x, Pooling pooling) {
        requireMatrix(x);
        int n = x.rows();
        int d = x.cols();
        MemorySegment s = x.segment();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            long row = rowStart(x, i);
            for (int j = 0; j < d; j++) {
                mean[j] += s.getAtIndex(F32, row + j * x.stride(1));
            }
        }
        // Two passes: the one-pass sum of squares loses every digit when the mean is large against the spread.
        double[] sq = new double[d];
        if (pooling == Pooling.ALL_FEATURES) {
            double total = 0;
            for (double m : mean) {
                total += m;
            }
            java.util.Arrays.fill(mean, total / ((double) n * d));
        } else {
            for (int j = 0; j < d; j++) {
                mean[j] /= n;
            }
        }
        for (int i = 0; i < n; i++) {
            long row = rowStart(x, i);
            for (int j = 0; j < d; j++) {
                double c = s.getAtIndex(F32, row + j * x.stride(1)) - mean[j];
                sq[j] += c * c;
            }
        }
        double[] std = new double[d];
        if (pooling == Pooling.ALL_FEATURES) {
            double total = 0;
            for (double v : sq) {
                total += v;
            }
            java.util.Arrays.fill(std, nonZero(Math.sqrt(total / ((double) n * d))));
        } else {
            for (int j = 0; j < d; j++) {
                std[j] = nonZero(Math.sqrt(sq[j] / n));
            }
        }
        return new FeatureScaling(Kind.STANDARDIZATION, mean, std);
    }

    private static double nonZero(double scale) {
        return scale > 0 ? scale : 1;
    }

    private static void requireMatrix(Tensor x) {
        if (x.rank() != 2 || x.dtype() != DType.F32) {
            throw new IllegalArgumentException("feature scaling needs a 2-D float32 tensor, got " + x);
        }
    }

    private static long rowStart(Tensor x, int row) {
        return x.offset() + row * x.stride(0);
    }

    /** What the scaling was fitted as. */
    public Kind kind() {
        return kind;
    }

    /** Number of features this scaling applies to. */
    public int dimension() {
        return shift.length;
    }

    /** A copy of the per-feature shifts (min or mean). */
    public double[] shifts() {
        return shift.clone();
    }

    /** A copy of the per-feature scales (range or standard deviation; 1 for constant features). */
    public double[] scales() {
        return scale.clone();
    }

    /** Maps {@code x} (rows of features in data units) to scaled units in place. */
    public void apply(Tensor x) {
        transform(x, false);
    }

    /** Maps {@code x} (rows in scaled units, such as a reconstruction) back to data units in place. */
    public void invert(Tensor x) {
        transform(x, true);
    }

    private void transform(Tensor x, boolean inverse) {
        requireMatrix(x);
        if (x.cols() != shift.length) {
            throw new IllegalArgumentException("scaling fitted on " + shift.length + " features cannot apply to " + x);
        }
        int n = x.rows();
        int d = x.cols();
        MemorySegment s = x.segment();
        for (int i = 0; i < n; i++) {
            long row = rowStart(x, i);
            for (int j = 0; j < d; j++) {
                long at = row + j * x.stride(1);
                double v = s.getAtIndex(F32, at);
                s.setAtIndex(F32, at, (float) (inverse ? v * scale[j] + shift[j] : (v - shift[j]) / scale[j]));
            }
        }
    }

    @Override
    public String toString() {
        return "FeatureScaling[" + kind + ", " + shift.length + " features]";
    }
}
