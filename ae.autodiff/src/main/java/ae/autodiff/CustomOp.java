package ae.autodiff;

import ae.tensor.Tensor;

/** A caller-defined {@link Primitive} on the tape; its argument arrays are reused across replays. */
final class CustomOp extends Op {
    private final Primitive primitive;
    private final Node[] args;
    private final Tensor[] values;
    private final Tensor[] grads;

    public CustomOp(Primitive primitive, Node[] args, Node output) {
        super(primitive.name(), output, args);
        this.primitive = primitive;
        this.args = args.clone();
        this.values = new Tensor[args.length];
        this.grads = new Tensor[args.length];
    }

    @Override
    public void forward() {
        for (int i = 0; i < args.length; i++) {
            values[i] = args[i].value();
        }
        primitive.forward(values, output.value());
    }

    @Override
    public void backward() {
        for (int i = 0; i < args.length; i++) {
            values[i] = args[i].value();
            grads[i] = args[i].resolvePendingGradient();
        }
        primitive.backward(values, output.value(), output.resolvePendingGradient(), grads);
    }
}
