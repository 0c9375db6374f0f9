package ae.autodiff.internal;

import ae.autodiff.Activation;
import ae.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/** Row-major loops over contiguous 2-D tensors that the layer operations are built from. */
public final class ElementwiseKernels {
    private ElementwiseKernels() {
    }

    /** {@code target[i, j] = act(target[i, j] + bias[j])}; bias may be null. */
    public static void biasActivation(Tensor target, Tensor bias, Activation act) {
        MemorySegment t = target.segment();
        boolean f32 = Elements.isF32(target);
        long to = target.offset();
        int rows = target.rows();
        int cols = target.cols();
        MemorySegment b = bias == null ? null : bias.segment();
        long bo = bias == null ? 0 : bias.offset();
        for (int i = 0; i < rows; i++) {
            long row = to + (long) i * cols;
            for (int j = 0; j < cols; j++) {
                double a = Elements.get(t, f32, row + j) + (b == null ? 0 : Elements.get(b, f32, bo + j));
                Elements.set(t, f32, row + j, act.apply(a));
            }
        }
    }

    /** {@code out = (accumulate ? out : 0) + upstream * act'(from h)}, elementwise over equal shapes. */
    public static void multiplyByDerivative(Tensor upstream, Tensor h, Activation act, Tensor out, boolean accumulate) {
        MemorySegment u = upstream.segment();
        MemorySegment hs = h.segment();
        MemorySegment o = out.segment();
        boolean f32 = Elements.isF32(out);
        long uo = upstream.offset();
        long ho = h.offset();
        long oo = out.offset();
        long n = out.size();
        for (long i = 0; i < n; i++) {
            double g = Elements.get(u, f32, uo + i) * act.derivativeFromOutput(Elements.get(hs, f32, ho + i));
            if (accumulate) {
                g += Elements.get(o, f32, oo + i);
            }
            Elements.set(o, f32, oo + i, g);
        }
    }

    /** {@code sums[j] += sum_i m[i, j]}. */
    public static void accumulateColumnSums(Tensor m, Tensor sums) {
        MemorySegment s = m.segment();
        MemorySegment d = sums.segment();
        boolean f32 = Elements.isF32(m);
        long mo = m.offset();
        long so = sums.offset();
        int rows = m.rows();
        int cols = m.cols();
        for (int j = 0; j < cols; j++) {
            double acc = 0;
            for (int i = 0; i < rows; i++) {
                acc += Elements.get(s, f32, mo + (long) i * cols + j);
            }
            Elements.add(d, f32, so + j, acc);
        }
    }
}
