package ae.examples.customop;

import ae.autodiff.Primitive;
import ae.tensor.Tensor;

/**
 * {@code y = log(1 + h^2)} elementwise: the negative log-density of a Student-t (Cauchy) prior on each code unit, up to
 * a constant. A {@link Primitive} runs on every replay of a recorded graph, in float32 while training and in float64
 * under the gradient checker, so it reads and writes through {@link Tensor#get}/{@link Tensor#set} (either type) and
 * allocates nothing.
 */
public final class LogOnePlusSquare implements Primitive {
    /** The one instance: the op has no state. */
    public static final LogOnePlusSquare INSTANCE = new LogOnePlusSquare();

    private LogOnePlusSquare() {
    }

    @Override
    public String name() {
        return "logOnePlusSquare";
    }

    @Override
    public void forward(Tensor[] inputs, Tensor output) {
        Tensor h = inputs[0];
        for (int i = 0; i < h.rows(); i++) {
            for (int j = 0; j < h.cols(); j++) {
                double v = h.get(i, j);
                output.set(i, j, Math.log1p(v * v));
            }
        }
    }

    /** Adds {@code dy * 2h / (1 + h^2)} to the gradient of h: a backward accumulates, it never overwrites. */
    @Override
    public void backward(Tensor[] inputs, Tensor output, Tensor outputGradient, Tensor[] inputGradients) {
        Tensor h = inputs[0];
        Tensor dh = inputGradients[0];
        if (dh == null) {
            return;   // h needs no gradient in this graph
        }
        for (int i = 0; i < h.rows(); i++) {
            for (int j = 0; j < h.cols(); j++) {
                double v = h.get(i, j);
                dh.set(i, j, dh.get(i, j) + outputGradient.get(i, j) * 2 * v / (1 + v * v));
            }
        }
    }
}
