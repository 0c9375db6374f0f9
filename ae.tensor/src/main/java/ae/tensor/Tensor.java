package ae.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * A strided view of float32 or float64 elements in off-heap memory owned by a {@link TensorScope}.
 *
 * <p>Indices and strides count elements, not bytes. Views ({@link #rows}, {@link #reshape},
 * {@link #transpose}) share memory with the tensor they come from. A tensor whose scope is closed throws
 * {@link IllegalStateException} on every access.
 */
public final class Tensor {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    private final TensorScope owner;
    private final MemorySegment segment;
    private final DType dtype;
    private final long offset;
    private final int[] shape;
    private final long[] strides;

    Tensor(TensorScope owner, MemorySegment segment, DType dtype, long offset, int[] shape, long[] strides) {
        this.owner = owner;
        this.segment = segment;
        this.dtype = dtype;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
    }

    /** The scope that owns the memory; the tensor is valid while it is open. */
    public TensorScope owner() {
        return owner;
    }

    /** Throws {@link IllegalStateException} if the owning scope is closed. */
    public void checkAlive() {
        owner.checkOpen();
    }

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /** The whole backing segment of the owning allocation; element (i, j) is at {@link #offset()} + i*stride(0) + j*stride(1). */
    public MemorySegment segment() {
        owner.checkOpen();
        return segment;
    }

    /** Offset of the first element in the backing segment, in elements. */
    public long offset() {
        return offset;
    }

    /** The number of axes. */
    public int rank() {
        return shape.length;
    }

    /** The length of axis {@code axis}. */
    public int dim(int axis) {
        return shape[axis];
    }

    /** The lengths of the axes; a copy. */
    public int[] shape() {
        return shape.clone();
    }

    /** Stride of {@code axis}, in elements. */
    public long stride(int axis) {
        return strides[axis];
    }

    /** The number of elements, the product of the shape. */
    public long size() {
        return Shapes.elementCount(shape);
    }

    /** Rows of a 2-D tensor. */
    public int rows() {
        require2d();
        return shape[0];
    }

    /** Columns of a 2-D tensor. */
    public int cols() {
        require2d();
        return shape[1];
    }

    /** True if the elements are dense in row-major order, so that the tensor is one run of memory. */
    public boolean isContiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** View of rows {@code [from, to)} along the first axis. */
    public Tensor rows(int from, int to) {
        if (from < 0 || to > shape[0] || from > to) {
            throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") of a tensor of shape " + Shapes.format(shape));
        }
        int[] s = shape.clone();
        s[0] = to - from;
        return new Tensor(owner, segment, dtype, offset + from * strides[0], s, strides);
    }

    /** The same elements under another shape; needs a contiguous tensor and the same element count. */
    public Tensor reshape(int... newShape) {
        int[] s = Shapes.checkedCopy(newShape);
        if (Shapes.elementCount(s) != size()) {
            throw new IllegalArgumentException("cannot reshape " + Shapes.format(shape) + " to " + Shapes.format(s)
                    + ": element counts differ");
        }
        if (!isContiguous()) {
            throw new IllegalArgumentException("cannot reshape non-contiguous tensor of shape " + Shapes.format(shape)
                    + " to " + Shapes.format(s));
        }
        return new Tensor(owner, segment, dtype, offset, s, Shapes.rowMajorStrides(s));
    }

    /** The transpose of a 2-D tensor as a view: no copy, strides swapped. */
    public Tensor transpose() {
        require2d();
        return new Tensor(owner, segment, dtype, offset, new int[] {shape[1], shape[0]},
                new long[] {strides[1], strides[0]});
    }

    private void require2d() {
        if (shape.length != 2) {
            throw new IllegalArgumentException("a 2-D tensor is required, got shape " + Shapes.format(shape));
        }
    }

    private long elementOffset(int row, int col) {
        if (row < 0 || row >= shape[0] || col < 0 || col >= shape[1]) {
            throw new IndexOutOfBoundsException("(" + row + ", " + col + ") outside shape " + Shapes.format(shape));
        }
        return offset + row * strides[0] + col * strides[1];
    }

    private long flatOffset(long index) {
        long n = size();
        if (index < 0 || index >= n) {
            throw new IndexOutOfBoundsException("flat index " + index + " outside shape " + Shapes.format(shape));
        }
        long off = offset;
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            long i = index % shape[axis];
            index /= shape[axis];
            off += i * strides[axis];
        }
        return off;
    }

    /** Element (row, col) of a 2-D tensor, converted to double. */
    public double get(int row, int col) {
        require2d();
        return read(elementOffset(row, col));
    }

    /** Sets element (row, col) of a 2-D tensor. */
    public void set(int row, int col, double value) {
        require2d();
        write(elementOffset(row, col), value);
    }

    /** Element at a row-major flat index, whatever the strides. */
    public double getFlat(long index) {
        return read(flatOffset(index));
    }

    /** Sets the element at a row-major flat index. */
    public void setFlat(long index, double value) {
        write(flatOffset(index), value);
    }

    private double read(long elementOffset) {
        owner.checkOpen();
        return dtype == DType.F32 ? segment.getAtIndex(F32, elementOffset) : segment.getAtIndex(F64, elementOffset);
    }

    private void write(long elementOffset, double value) {
        owner.checkOpen();
        if (dtype == DType.F32) {
            segment.setAtIndex(F32, elementOffset, (float) value);
        } else {
            segment.setAtIndex(F64, elementOffset, value);
        }
    }

    /** Sets every element to {@code value}. */
    public void fill(double value) {
        owner.checkOpen();
        if (isContiguous()) {
            long n = size();
            for (long i = 0; i < n; i++) {
                write(offset + i, value);
            }
        } else {
            long n = size();
            for (long i = 0; i < n; i++) {
                write(flatOffset(i), value);
            }
        }
    }

    /** Copies {@code values} in row-major order; the length must equal {@link #size()}. */
    public void copyFrom(float[] values) {
        requireLength(values.length);
        if (dtype == DType.F32 && isContiguous()) {
            owner.checkOpen();
            MemorySegment.copy(values, 0, segment, F32, offset * Float.BYTES, values.length);
        } else {
            for (int i = 0; i < values.length; i++) {
                setFlat(i, values[i]);
            }
        }
    }

    /** Copies {@code values} in row-major order; the length must equal {@link #size()}. */
    public void copyFrom(double[] values) {
        requireLength(values.length);
        if (dtype == DType.F64 && isContiguous()) {
            owner.checkOpen();
            MemorySegment.copy(values, 0, segment, F64, offset * Double.BYTES, values.length);
        } else {
            for (int i = 0; i < values.length; i++) {
                setFlat(i, values[i]);
            }
        }
    }

    /** Copies the elements of a tensor of the same shape (any strides, any element type). */
    public void copyFrom(Tensor source) {
        Shapes.requireSameShape("destination", this, "source", source);
        if (source.dtype == dtype && isContiguous() && source.isContiguous()) {
            owner.checkOpen();
            source.owner.checkOpen();
            long bytes = size() * dtype.byteSize();
            MemorySegment.copy(source.segment, source.offset * dtype.byteSize(), segment, offset * dtype.byteSize(), bytes);
            return;
        }
        long n = size();
        for (long i = 0; i < n; i++) {
            setFlat(i, source.getFlat(i));
        }
    }

    private void requireLength(int length) {
        if (length != size()) {
            throw new IllegalArgumentException("array of length " + length + " does not fit shape "
                    + Shapes.format(shape) + " (" + size() + " elements)");
        }
    }

    /** The elements in row-major order as float32. */
    public float[] toFloatArray() {
        float[] out = new float[Math.toIntExact(size())];
        if (dtype == DType.F32 && isContiguous()) {
            owner.checkOpen();
            MemorySegment.copy(segment, F32, offset * Float.BYTES, out, 0, out.length);
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) getFlat(i);
            }
        }
        return out;
    }

    /** The elements in row-major order as float64. */
    public double[] toDoubleArray() {
        double[] out = new double[Math.toIntExact(size())];
        if (dtype == DType.F64 && isContiguous()) {
            owner.checkOpen();
            MemorySegment.copy(segment, F64, offset * Double.BYTES, out, 0, out.length);
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = getFlat(i);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "Tensor[" + dtype + " " + Shapes.format(shape) + (isContiguous() ? "" : " strides " + Arrays.toString(strides))
                + ", " + owner.name() + "]";
    }
}
