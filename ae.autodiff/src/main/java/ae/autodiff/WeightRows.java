package ae.autodiff;

import ae.tensor.DType;
import ae.tensor.Tensor;
import ae.tensor.VectorKernels;
import java.lang.foreign.MemorySegment;

/**
 * The two weight-side terms of the contractive penalties, O(out x in), walked in W's storage order one stored row at
 * a time with the vector kernels, whether the layer is tied or not: the squared norms
 * {@code S_j = sum_k W_eff(j,k)^2} of the rows of the effective weight, and their gradient
 * {@code dW_eff(j,k) += scale * c_j * W_eff(j,k)}.
 */
final class WeightRows {
    private WeightRows() {
    }

    /** {@code norms[j] = S_j}; norms is a contiguous vector of the layer's output width. */
    static void squaredNorms(VectorKernels kernels, LinearOp layer, Tensor norms) {
        squaredNorms(kernels, layer, norms, 0, layer.weight().rows());
    }

    /**
     * The part of {@link #squaredNorms(VectorKernels, LinearOp, Tensor)} that reads stored rows [from, to) of W. For an
     * untied layer those rows are whole norms; a tied layer's norms sum over all stored rows, so it needs one call.
     */
    static void squaredNorms(VectorKernels kernels, LinearOp layer, Tensor norms, int from, int to) {
        Tensor w = layer.weight().value();
        MemorySegment ws = w.segment();
        MemorySegment ns = norms.segment();
        boolean f32 = w.dtype() == DType.F32;
        long wo = w.offset();
        long no = norms.offset();
        int cols = w.cols();
        if (layer.tied()) {
            Elements.zero(norms);
        }
        for (int r = from; r < to; r++) {
            long row = wo + (long) r * cols;
            if (layer.tied()) {
                if (f32) {
                    kernels.addProductF32(cols, 1f, ws, row, ws, row, ns, no);
                } else {
                    kernels.addProductF64(cols, 1, ws, row, ws, row, ns, no);
                }
            } else {
                double s = f32 ? kernels.sumOfSquaresF32(cols, ws, row) : kernels.sumOfSquaresF64(cols, ws, row);
                Elements.set(ns, f32, no + r, s);
            }
        }
    }

    /** {@code dW_eff(j, k) += scale * factors[j] * W_eff(j, k)}, if the weight takes a gradient. */
    static void accumulateScaledWeights(VectorKernels kernels, LinearOp layer, Tensor factors, double scale) {
        Tensor dw = layer.weight().resolvePendingGradient();
        if (dw != null) {
            accumulateScaledWeights(kernels, layer, dw, factors, scale, 0, layer.weight().rows());
        }
    }

    /**
     * The part of the weight gradient {@code dw} on stored rows [from, to) of W. The caller resolves {@code dw} with
     * {@code Node.resolvePendingGradient()} once, before any thread runs this: that call zeroes a gradient still pending, and two
     * threads doing so would wipe each other's rows.
     */
    static void accumulateScaledWeights(VectorKernels kernels, LinearOp layer, Tensor dw, Tensor factors, double scale,
                                        int from, int to) {
        Tensor w = layer.weight().value();
        MemorySegment ws = w.segment();
        MemorySegment ds = dw.segment();
        MemorySegment fs = factors.segment();
        boolean f32 = w.dtype() == DType.F32;
        long wo = w.offset();
        long dOff = dw.offset();
        long fo = factors.offset();
        int cols = w.cols();
        for (int r = from; r < to; r++) {
            long row = (long) r * cols;
            if (layer.tied()) {
                if (f32) {
                    kernels.addProductF32(cols, (float) scale, fs, fo, ws, wo + row, ds, dOff + row);
                } else {
                    kernels.addProductF64(cols, scale, fs, fo, ws, wo + row, ds, dOff + row);
                }
            } else {
                double alpha = scale * Elements.get(fs, f32, fo + r);
                if (f32) {
                    kernels.axpyF32(cols, (float) alpha, ws, wo + row, ds, dOff + row);
                } else {
                    kernels.axpyF64(cols, alpha, ws, wo + row, ds, dOff + row);
                }
            }
        }
    }
}
