package ae.tensor;

import java.lang.foreign.ValueLayout;

/** Element types a {@link Tensor} can hold: float32 for training, float64 for gradient checks. */
public enum DType {
    F32(ValueLayout.JAVA_FLOAT_UNALIGNED, "float32"),
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

    public ValueLayout layout() {
        return layout;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
