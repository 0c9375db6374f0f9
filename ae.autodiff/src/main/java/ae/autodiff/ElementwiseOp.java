package ae.autodiff;

import ae.tensor.TensorOps;

/** {@code a + b}, {@code a - b} or {@code a * b} (Hadamard) on equal shapes. */
final class ElementwiseOp extends Op {
    /** Which elementwise combination. */
    public enum Kind { ADD, SUBTRACT, MULTIPLY }

    private final TensorOps ops;
    private final Kind kind;
    private final Node a;
    private final Node b;

    public ElementwiseOp(Workspace ws, Kind kind, Node a, Node b, Node output) {
        super(kind.name().toLowerCase(java.util.Locale.ROOT), output, a, b);
        this.ops = ws.ops();
        this.kind = kind;
        this.a = a;
        this.b = b;
    }

    @Override
    public void forward() {
        switch (kind) {
            case ADD -> ops.add(a.value(), b.value(), output.value());
            case SUBTRACT -> ops.sub(a.value(), b.value(), output.value());
            case MULTIPLY -> ops.mul(a.value(), b.value(), output.value());
        }
    }

    @Override
    public void backward() {
        if (a.resolvePendingGradient() != null) {
            if (kind == Kind.MULTIPLY) {
                ops.addProduct(1, output.resolvePendingGradient(), b.value(), a.resolvePendingGradient());
            } else {
                ops.axpy(1, output.resolvePendingGradient(), a.resolvePendingGradient());
            }
        }
        if (b.resolvePendingGradient() != null) {
            switch (kind) {
                case ADD -> ops.axpy(1, output.resolvePendingGradient(), b.resolvePendingGradient());
                case SUBTRACT -> ops.axpy(-1, output.resolvePendingGradient(), b.resolvePendingGradient());
                case MULTIPLY -> ops.addProduct(1, output.resolvePendingGradient(), a.value(), b.resolvePendingGradient());
            }
        }
    }
}
