package ae.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ae.tensor.Activation;
import ae.tensor.ComputePool;
import ae.tensor.DType;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A float32 autoencoder of the reference workloads' size (a batch of 128 x 784, a hidden layer of 256, an untied
 * and a tied decoder), whose products, elementwise passes and weight gradients are all big enough to be split over
 * the pool: its loss and every gradient are the same bits on 1, 2 and 3 threads, on pools that split products by
 * columns or keep rows with threads ({@link ComputePool#rowAffinity()}), over several passes of one graph.
 */
class ThreadCountBitsTest {
    private static final int BATCH = 128;
    private static final int INPUT = 784;
    private static final int HIDDEN = 256;

    private static float[] lossAndGradients(int threads, boolean rowAffinity, boolean tied) {
        SplittableRandom random = new SplittableRandom(31);
        try (ComputePool pool = ComputePool.create(threads, rowAffinity);
             ParameterStore store = ParameterStore.open("bits", DType.F32)) {
            GraphBuilder b = Graph.builder("bits " + threads, DType.F32, pool);
            Node x = b.input("x", BATCH, INPUT);
            Fixtures.uniform(x.value(), random, 0, 1);
            double bound = 1 / Math.sqrt(INPUT);
            Parameter w1 = Fixtures.parameter(store, "W1", random, -bound, bound, HIDDEN, INPUT);
            Parameter b1 = Fixtures.parameter(store, "b1", random, -bound, bound, HIDDEN);
            Parameter b2 = Fixtures.parameter(store, "b2", random, -bound, bound, INPUT);
            Node h = b.linear(x, w1, b1, Activation.SIGMOID);
            Node logits;
            Parameter w2 = null;
            if (tied) {
                logits = b.tiedLinear(h, w1, b2, Activation.IDENTITY);
            } else {
                w2 = Fixtures.parameter(store, "W2", random, -bound, bound, INPUT, HIDDEN);
                logits = b.linear(h, w2, b2, Activation.IDENTITY);
            }
            Node loss = b.binaryCrossEntropyWithLogits(logits, x);
            try (Graph g = b.build()) {
                float[] first = null;
                for (int pass = 0; pass < 3; pass++) {
                    g.forward();
                    g.backward(loss);
                    float[][] parts = {new float[] {(float) g.scalar(loss)}, w1.grad().toFloatArray(),
                            b1.grad().toFloatArray(), b2.grad().toFloatArray(),
                            w2 == null ? new float[0] : w2.grad().toFloatArray()};
                    int length = 0;
                    for (float[] part : parts) {
                        length += part.length;
                    }
                    float[] all = new float[length];
                    int at = 0;
                    for (float[] part : parts) {
                        System.arraycopy(part, 0, all, at, part.length);
                        at += part.length;
                    }
                    if (first == null) {
                        first = all;
                    } else {
                        assertArrayEquals(first, all, "pass " + pass + " on " + threads + " threads");
                    }
                }
                return first;
            }
        }
    }

    @Test
    void lossAndGradientsAreTheSameBitsOnOneTwoAndThreeThreads() {
        for (boolean tied : new boolean[] {false, true}) {
            float[] single = lossAndGradients(1, false, tied);
            for (int threads = 2; threads <= 3; threads++) {
                for (boolean rowAffinity : new boolean[] {false, true}) {
                    assertArrayEquals(single, lossAndGradients(threads, rowAffinity, tied), (tied ? "tied, " : "untied, ")
                            + threads + " threads" + (rowAffinity ? " keeping rows with threads" : "") + " against 1");
                }
            }
        }
    }
}
