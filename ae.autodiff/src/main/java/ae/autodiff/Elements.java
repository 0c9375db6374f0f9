package ae.autodiff;

import ae.tensor.DType;
import ae.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Element access for the autodiff-specific loops, which are O(batch x features) next to the GEMMs and therefore
 * compute in double whatever the storage type. Callers hoist {@link Tensor#segment()} and the dtype test out of
 * their loops; the JIT unswitches the branch.
 */
final class Elements {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    private Elements() {
    }

    public static double get(MemorySegment s, boolean f32, long index) {
        return f32 ? s.getAtIndex(F, index) : s.getAtIndex(D, index);
    }

    public static void set(MemorySegment s, boolean f32, long index, double v) {
        if (f32) {
            s.setAtIndex(F, index, (float) v);
        } else {
            s.setAtIndex(D, index, v);
        }
    }

    public static void add(MemorySegment s, boolean f32, long index, double v) {
        if (f32) {
            s.setAtIndex(F, index, s.getAtIndex(F, index) + (float) v);
        } else {
            s.setAtIndex(D, index, s.getAtIndex(D, index) + v);
        }
    }

    /** Writes (or adds, if {@code add}) {@code n} values at {@code offset}. */
    public static void store(double[] values, MemorySegment s, boolean f32, long offset, int n, boolean add) {
        if (f32) {
            for (int j = 0; j < n; j++) {
                float v = (float) values[j];
                s.setAtIndex(F, offset + j, add ? s.getAtIndex(F, offset + j) + v : v);
            }
        } else {
            for (int j = 0; j < n; j++) {
                double v = values[j];
                s.setAtIndex(D, offset + j, add ? s.getAtIndex(D, offset + j) + v : v);
            }
        }
    }

    public static boolean isF32(Tensor t) {
        return t.dtype() == DType.F32;
    }

    /** Zeroes a contiguous tensor; a whole allocation is cleared with one bulk fill. */
    public static void zero(Tensor t) {
        MemorySegment s = t.segment();
        long bytes = t.size() * t.dtype().byteSize();
        if (t.offset() == 0 && s.byteSize() == bytes && t.isContiguous()) {
            s.fill((byte) 0);
            return;
        }
        boolean f32 = isF32(t);
        long o = t.offset();
        long n = t.size();
        if (!t.isContiguous()) {
            for (long i = 0; i < n; i++) {
                t.setFlat(i, 0);
            }
            return;
        }
        for (long i = 0; i < n; i++) {
            set(s, f32, o + i, 0);
        }
    }

    /** The single element of a 1 x 1 tensor. */
    public static double scalar(Tensor t) {
        return get(t.segment(), isF32(t), t.offset());
    }

    public static void setScalar(Tensor t, double v) {
        set(t.segment(), isF32(t), t.offset(), v);
    }
}
