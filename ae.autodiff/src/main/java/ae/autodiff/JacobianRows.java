package ae.autodiff;

import ae.tensor.Activation;
import ae.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * Row-by-row access to the per-example Jacobian of a dense layer or activation, {@code J_i = diag(act'(a_i)) W_eff},
 * for the ops that differentiate it (tangents, the contractive penalties): the diagonal factor {@code act'(a_i)},
 * and the {@code act''} and {@code act' act''} that its derivatives need, read from row i of the layer's output h
 * (the pre-activation is overwritten in place) into a caller's buffer; and rows of the other tensors those ops
 * combine it with, read and written (or accumulated) through the same buffers.
 *
 * <p>A row is {@code width} consecutive elements, {@code width} being the buffer's length, so a vector is row 0 of
 * itself. The buffers belong to the callers, allocated with the op: nothing here allocates. Values are computed in
 * double and rounded only when stored, exactly as {@link Curvature} and {@link Elements} do element by element.
 */
final class JacobianRows {
    private JacobianRows() {
    }

    /** {@code out[j] = act'(a_ij)} from row i of h. */
    static void slopes(Activation activation, Tensor h, int row, double[] out) {
        Curvature.slopes(activation, h.segment(), Elements.isF32(h), start(h, row, out), out.length, out);
    }

    /** {@code out[j] = act''(a_ij)} from row i of h. */
    static void curvatures(Activation activation, Tensor h, int row, double[] out) {
        Curvature.curvatures(activation, h.segment(), Elements.isF32(h), start(h, row, out), out.length, out);
    }

    /** {@code out[j] = act'(a_ij) act''(a_ij)} from row i of h: the pre-activation factor of d(act'^2)/da. */
    static void slopeCurvatures(Activation activation, Tensor h, int row, double[] out) {
        Curvature.slopeCurvatures(activation, h.segment(), Elements.isF32(h), start(h, row, out), out.length, out);
    }

    /** Reads row i of {@code t} into {@code out}. */
    static void load(Tensor t, int row, double[] out) {
        MemorySegment segment = t.segment();
        boolean f32 = Elements.isF32(t);
        long start = start(t, row, out);
        for (int j = 0; j < out.length; j++) {
            out[j] = Elements.get(segment, f32, start + j);
        }
    }

    /** Writes {@code values} to row i of {@code t}, or adds them to it if {@code add}. */
    static void store(double[] values, Tensor t, int row, boolean add) {
        Elements.store(values, t.segment(), Elements.isF32(t), start(t, row, values), values.length, add);
    }

    private static long start(Tensor t, int row, double[] buffer) {
        return t.offset() + (long) row * buffer.length;
    }
}
