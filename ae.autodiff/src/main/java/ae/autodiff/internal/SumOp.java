package ae.autodiff.internal;

import ae.autodiff.Node;
import java.lang.foreign.MemorySegment;

/**
 * {@code scale * sum(x)} or {@code scale * sum(x^2)} into a 1 x 1 node: sum and mean are {@code scale} 1 and
 * 1/size, weight decay and Jacobian norms the squared form.
 */
public final class SumOp extends Op {
    private final Node x;
    private final double scale;
    private final boolean squares;

    public SumOp(String name, Node x, double scale, boolean squares, Node output) {
        super(name, output, x);
        this.x = x;
        this.scale = scale;
        this.squares = squares;
    }

    @Override
    public void forward() {
        MemorySegment s = x.value().segment();
        boolean f32 = Elements.isF32(x.value());
        long o = x.value().offset();
        long n = x.value().size();
        double acc = 0;
        for (long i = 0; i < n; i++) {
            double v = Elements.get(s, f32, o + i);
            acc += squares ? v * v : v;
        }
        Elements.setScalar(output.value(), scale * acc);
    }

    @Override
    public void backward() {
        if (x.gradOrNull() == null) {
            return;
        }
        double g = scale * Elements.scalar(output.grad());
        MemorySegment d = x.grad().segment();
        MemorySegment s = x.value().segment();
        boolean f32 = Elements.isF32(x.value());
        long dOff = x.grad().offset();
        long o = x.value().offset();
        long n = x.value().size();
        for (long i = 0; i < n; i++) {
            Elements.add(d, f32, dOff + i, squares ? 2 * g * Elements.get(s, f32, o + i) : g);
        }
    }
}
