package ae.autodiff.internal;

import ae.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * The two weight-side terms of the contractive penalties, both O(out x in) and read in W's storage order whether the
 * layer is tied or not: the squared norms {@code S_j = sum_k W_eff(j,k)^2} of the rows of the effective weight, and
 * their gradient {@code dW_eff(j,k) += scale * c_j * W_eff(j,k)}.
 */
final class WeightRows {
    private WeightRows() {
    }

    static void squaredNorms(LinearOp layer, Tensor norms) {
        Tensor w = layer.weight().value();
        MemorySegment ws = w.segment();
        MemorySegment ns = norms.segment();
        boolean f32 = Elements.isF32(w);
        long wo = w.offset();
        int rows = w.rows();
        int cols = w.cols();
        Elements.zero(norms);
        for (int r = 0; r < rows; r++) {
            long row = wo + (long) r * cols;
            if (layer.tied()) {
                for (int c = 0; c < cols; c++) {
                    double v = Elements.get(ws, f32, row + c);
                    Elements.add(ns, f32, c, v * v);
                }
            } else {
                double acc = 0;
                for (int c = 0; c < cols; c++) {
                    double v = Elements.get(ws, f32, row + c);
                    acc += v * v;
                }
                Elements.set(ns, f32, r, acc);
            }
        }
    }

    static void accumulateScaledWeights(LinearOp layer, Tensor factors, double scale) {
        Tensor dw = layer.weight().gradOrNull();
        if (dw == null) {
            return;
        }
        Tensor w = layer.weight().value();
        MemorySegment ws = w.segment();
        MemorySegment ds = dw.segment();
        MemorySegment fs = factors.segment();
        boolean f32 = Elements.isF32(w);
        long wo = w.offset();
        long dOff = dw.offset();
        int rows = w.rows();
        int cols = w.cols();
        for (int r = 0; r < rows; r++) {
            long row = (long) r * cols;
            double rowFactor = layer.tied() ? 0 : scale * Elements.get(fs, f32, r);
            for (int c = 0; c < cols; c++) {
                double f = layer.tied() ? scale * Elements.get(fs, f32, c) : rowFactor;
                Elements.add(ds, f32, dOff + row + c, f * Elements.get(ws, f32, wo + row + c));
            }
        }
    }

    /** True if act'' vanishes everywhere it exists, so no gradient reaches the pre-activation through act'. */
    static boolean flatDerivative(ae.autodiff.Activation act) {
        return act == ae.autodiff.Activation.IDENTITY || act == ae.autodiff.Activation.RELU;
    }
}
