package ae.autodiff;

import java.lang.foreign.MemorySegment;

/**
 * Concatenation along rows (axis 0) or columns (axis 1), and its inverse, the slice: both are block copies between
 * the whole and its parts, in opposite directions.
 */
final class ConcatOp extends Op {
    private final int axis;
    private final Node[] parts;
    private final Node whole;
    private final int[] starts;
    private final boolean slicing;

    /** {@code output = concat(parts)} along {@code axis}. */
    public static ConcatOp concat(int axis, Node[] parts, Node output) {
        return new ConcatOp("concat[axis " + axis + "]", axis, parts, output, false, output, parts);
    }

    /** {@code output = whole[from:from+len]} along {@code axis}. */
    public static ConcatOp slice(int axis, Node whole, int from, Node output) {
        return new ConcatOp("slice[axis " + axis + " from " + from + "]", axis, new Node[] {output}, whole, true,
                output, new Node[] {whole}, from);
    }

    private ConcatOp(String label, int axis, Node[] parts, Node whole, boolean slicing, Node output, Node[] inputs,
                     int... sliceStart) {
        super(label, output, inputs);
        this.axis = axis;
        this.parts = parts.clone();
        this.whole = whole;
        this.slicing = slicing;
        this.starts = new int[parts.length];
        if (slicing) {
            starts[0] = sliceStart[0];
        } else {
            int s = 0;
            for (int p = 0; p < parts.length; p++) {
                starts[p] = s;
                s += axis == 0 ? parts[p].rows() : parts[p].cols();
            }
        }
    }

    @Override
    public void forward() {
        for (int p = 0; p < parts.length; p++) {
            if (slicing) {
                copyBlock(whole.value(), parts[p].value(), p, true, false);
            } else {
                copyBlock(parts[p].value(), whole.value(), p, false, false);
            }
        }
    }

    @Override
    public void backward() {
        for (int p = 0; p < parts.length; p++) {
            if (slicing) {
                if (whole.resolvePendingGradient() != null) {
                    copyBlock(parts[p].resolvePendingGradient(), whole.resolvePendingGradient(), p, false, true);
                }
            } else if (parts[p].resolvePendingGradient() != null) {
                copyBlock(whole.resolvePendingGradient(), parts[p].resolvePendingGradient(), p, true, true);
            }
        }
    }

    /** Moves part p's block between a whole-shaped and a part-shaped tensor; {@code fromWhole} gives the direction. */
    private void copyBlock(ae.tensor.Tensor from, ae.tensor.Tensor to, int p, boolean fromWhole, boolean accumulate) {
        Node part = parts[p];
        int rows = part.rows();
        int cols = part.cols();
        int wholeCols = whole.cols();
        int rowShift = axis == 0 ? starts[p] : 0;
        int colShift = axis == 1 ? starts[p] : 0;
        MemorySegment fs = from.segment();
        MemorySegment ts = to.segment();
        boolean f32 = Elements.isF32(from);
        long fo = from.offset();
        long too = to.offset();
        for (int i = 0; i < rows; i++) {
            long wholeRow = (long) (i + rowShift) * wholeCols + colShift;
            long partRow = (long) i * cols;
            long fromRow = fo + (fromWhole ? wholeRow : partRow);
            long toRow = too + (fromWhole ? partRow : wholeRow);
            for (int j = 0; j < cols; j++) {
                double v = Elements.get(fs, f32, fromRow + j);
                if (accumulate) {
                    Elements.add(ts, f32, toRow + j, v);
                } else {
                    Elements.set(ts, f32, toRow + j, v);
                }
            }
        }
    }
}
