package ae.autodiff;

import ae.tensor.Tensor;
import java.util.SplittableRandom;

/** Random values and reductions shared by the gradient tests. */
final class Fixtures {
    private Fixtures() {
    }

    static void uniform(Tensor t, SplittableRandom random, double low, double high) {
        long n = t.size();
        for (long i = 0; i < n; i++) {
            t.setFlat(i, random.nextDouble(low, high));
        }
    }

    /** Magnitudes in [low, high] with random signs: keeps finite differences off the kinks of |x| and ReLU. */
    static void awayFromZero(Tensor t, SplittableRandom random, double low, double high) {
        long n = t.size();
        for (long i = 0; i < n; i++) {
            double v = random.nextDouble(low, high);
            t.setFlat(i, random.nextBoolean() ? v : -v);
        }
    }

    /**
     * {@code sum(out * R)} with R fixed and random: a scalar whose gradient to {@code out} is R, so every element of a
     * primitive's output gets its own weight in the check instead of all ones.
     */
    static Node weightedSum(GraphBuilder b, Node out, SplittableRandom random) {
        Node weights = b.input("reductionWeights#" + out.name(), out.rows(), out.cols());
        uniform(weights.value(), random, -1.5, 1.5);
        return b.sum(b.multiply(out, weights));
    }

    /** A float64 parameter filled uniformly in [low, high). */
    static Parameter parameter(ParameterStore store, String name, SplittableRandom random, double low, double high,
                               int... shape) {
        Parameter p = store.create(name, shape);
        uniform(p.value(), random, low, high);
        return p;
    }
}
