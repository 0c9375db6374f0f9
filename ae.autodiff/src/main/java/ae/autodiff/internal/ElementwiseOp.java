package ae.autodiff.internal;

import ae.autodiff.Node;
import java.lang.foreign.MemorySegment;

/** {@code a + b}, {@code a - b} or {@code a * b} (Hadamard) on equal shapes. */
public final class ElementwiseOp extends Op {
    /** Which elementwise combination. */
    public enum Kind { ADD, SUBTRACT, MULTIPLY }

    private final Kind kind;
    private final Node a;
    private final Node b;

    public ElementwiseOp(Kind kind, Node a, Node b, Node output) {
        super(kind.name().toLowerCase(java.util.Locale.ROOT), output, a, b);
        this.kind = kind;
        this.a = a;
        this.b = b;
    }

    @Override
    public void forward() {
        MemorySegment as = a.value().segment();
        MemorySegment bs = b.value().segment();
        MemorySegment ys = output.value().segment();
        boolean f32 = Elements.isF32(output.value());
        long ao = a.value().offset();
        long bo = b.value().offset();
        long yo = output.value().offset();
        long n = output.value().size();
        for (long i = 0; i < n; i++) {
            double x = Elements.get(as, f32, ao + i);
            double y = Elements.get(bs, f32, bo + i);
            double r = switch (kind) {
                case ADD -> x + y;
                case SUBTRACT -> x - y;
                case MULTIPLY -> x * y;
            };
            Elements.set(ys, f32, yo + i, r);
        }
    }

    @Override
    public void backward() {
        MemorySegment gs = output.grad().segment();
        boolean f32 = Elements.isF32(output.value());
        long go = output.grad().offset();
        long n = output.value().size();
        if (a.gradOrNull() != null) {
            MemorySegment das = a.grad().segment();
            long dao = a.grad().offset();
            MemorySegment bs = b.value().segment();
            long bo = b.value().offset();
            for (long i = 0; i < n; i++) {
                double g = Elements.get(gs, f32, go + i);
                Elements.add(das, f32, dao + i, kind == Kind.MULTIPLY ? g * Elements.get(bs, f32, bo + i) : g);
            }
        }
        if (b.gradOrNull() != null) {
            MemorySegment dbs = b.grad().segment();
            long dbo = b.grad().offset();
            MemorySegment as = a.value().segment();
            long ao = a.value().offset();
            for (long i = 0; i < n; i++) {
                double g = Elements.get(gs, f32, go + i);
                double d = switch (kind) {
                    case ADD -> g;
                    case SUBTRACT -> -g;
                    case MULTIPLY -> g * Elements.get(as, f32, ao + i);
                };
                Elements.add(dbs, f32, dbo + i, d);
            }
        }
    }
}
