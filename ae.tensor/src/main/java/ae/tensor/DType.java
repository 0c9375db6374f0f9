package ae.tensor;

import java.lang.foreign.ValueLayout;

/** Element types a {@link Tensor} can hold: float32 for training, float64 for gradient checks. */
public enum DType {
    /** 32-bit IEEE floats, 4 bytes an element. */
    F32(ValueLayout.JAVA_FLOAT_UNALIGNED, "float32"),
    /** 64-bit IEEE floats, 8 bytes an element. */
    F64(ValueLayout.JAVA_DOUBLE_UNALIGNED, "float64");

    private final ValueLayout layout;
    private final String displayName;

    DType(ValueLayout layout, String displayName) {
        this.layout = layout;
        this.displayName = displayName;
    }

    /** Bytes per element. */
    public int byteSize() {
        return (int) layout.byteSize();
    }

    /** The memory layout of one element (unaligned, native byte order). */
    public ValueLayout layout() {
        return layout;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
