package ae.cli.data;

import ae.data.Dataset;
import ae.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;

/**
 * Where a dataset leaves [0, 1], which a Bernoulli likelihood needs: the first value outside, and the range (for
 * data held as bytes, which are in [0, 1] by construction, the bounds 0 and 1, found without a scan).
 */
public record UnitInterval(boolean contains, String firstOutside, float min, float max) {
    /** Scans every feature of {@code data}. */
    public static UnitInterval of(Dataset data) {
        if (data.isStoredAsBytes()) {
            return new UnitInterval(true, null, 0, 1);
        }
        Tensor x = data.features();
        MemorySegment values = x.segment();
        long base = x.offset();
        long n = x.size();
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        String first = null;
        for (long i = 0; i < n; i++) {
            float v = values.getAtIndex(ValueLayout.JAVA_FLOAT, base + i);
            min = Math.min(min, v);
            max = Math.max(max, v);
            if (first == null && !(v >= 0 && v <= 1)) {
                first = String.format(Locale.ROOT, "%s at row %d, column %d", v, i / x.cols(), i % x.cols());
            }
        }
        return new UnitInterval(first == null, first, min, max);
    }

    /** E.g. {@code my.csv has values from -1.5 to 3 (the first outside [0, 1]: -1.5 at row 0, column 2)}. */
    public String describe(String source) {
        return source + " has values from " + min + " to " + max + " (the first outside [0, 1]: " + firstOutside + ")";
    }
}
