package ae.autodiff.internal;

import ae.autodiff.Node;
import java.lang.foreign.MemorySegment;

/** {@code y = c * x} for a constant c: how loss terms are weighted. */
public final class ScaleOp extends Op {
    private final Node x;
    private final double factor;

    public ScaleOp(Node x, double factor, Node output) {
        super("scale[" + factor + "]", output, x);
        this.x = x;
        this.factor = factor;
    }

    @Override
    public void forward() {
        scaleInto(x.value().segment(), x.value().offset(), output.value().segment(), output.value().offset(), false);
    }

    @Override
    public void backward() {
        if (x.gradOrNull() != null) {
            scaleInto(output.grad().segment(), output.grad().offset(), x.grad().segment(), x.grad().offset(), true);
        }
    }

    private void scaleInto(MemorySegment from, long fromOffset, MemorySegment to, long toOffset, boolean accumulate) {
        boolean f32 = Elements.isF32(output.value());
        long n = output.value().size();
        for (long i = 0; i < n; i++) {
            double v = factor * Elements.get(from, f32, fromOffset + i);
            if (accumulate) {
                Elements.add(to, f32, toOffset + i, v);
            } else {
                Elements.set(to, f32, toOffset + i, v);
            }
        }
    }
}
