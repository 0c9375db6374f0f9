package ae.autodiff.internal;

import ae.autodiff.Node;
import java.lang.foreign.MemorySegment;

/**
 * Binary cross-entropy of {@code sigmoid(z)} against targets t in [0, 1], summed over columns and averaged over rows,
 * in the stable form {@code max(z, 0) - z t + log1p(exp(-|z|))}. Gradient: {@code (sigmoid(z) - t) / rows} to z and
 * {@code -z / rows} to t.
 */
public final class BceWithLogitsOp extends Op {
    private final Node logits;
    private final Node target;

    public BceWithLogitsOp(Node logits, Node target, Node output) {
        super("binaryCrossEntropyWithLogits", output, logits, target);
        this.logits = logits;
        this.target = target;
    }

    @Override
    public void forward() {
        MemorySegment zs = logits.value().segment();
        MemorySegment ts = target.value().segment();
        boolean f32 = Elements.isF32(logits.value());
        long zo = logits.value().offset();
        long to = target.value().offset();
        long n = logits.value().size();
        double acc = 0;
        for (long i = 0; i < n; i++) {
            double z = Elements.get(zs, f32, zo + i);
            double t = Elements.get(ts, f32, to + i);
            acc += Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z)));
        }
        Elements.setScalar(output.value(), acc / logits.rows());
    }

    @Override
    public void backward() {
        double g = Elements.scalar(output.grad()) / logits.rows();
        MemorySegment zs = logits.value().segment();
        MemorySegment ts = target.value().segment();
        boolean f32 = Elements.isF32(logits.value());
        long zo = logits.value().offset();
        long to = target.value().offset();
        long n = logits.value().size();
        if (logits.gradOrNull() != null) {
            MemorySegment d = logits.grad().segment();
            long dOff = logits.grad().offset();
            for (long i = 0; i < n; i++) {
                double z = Elements.get(zs, f32, zo + i);
                double t = Elements.get(ts, f32, to + i);
                double sigmoid = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
                Elements.add(d, f32, dOff + i, g * (sigmoid - t));
            }
        }
        if (target.gradOrNull() != null) {
            MemorySegment d = target.grad().segment();
            long dOff = target.grad().offset();
            for (long i = 0; i < n; i++) {
                Elements.add(d, f32, dOff + i, -g * Elements.get(zs, f32, zo + i));
            }
        }
    }
}
