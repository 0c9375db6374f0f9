package ae.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.tensor.Activation;
import ae.tensor.ComputePool;
import ae.tensor.DType;
import ae.tensor.Kernels;
import ae.tensor.GemmKernels;
import ae.tensor.OptimizerKernels;
import ae.tensor.Tensor;
import ae.tensor.TensorOps;
import ae.tensor.TensorScope;
import ae.tensor.VectorKernels;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A steady-state training step (forward, backward, Adam) of each reference workload's shape, scaled down, allocates at
 * most 1 KiB on the heap, counted on the calling thread and the compute pool's workers. The input is wide enough that
 * the elementwise kernels split over the pool.
 *
 * <p>The graphs compute with the scalar reference kernels, which allocate nothing, so that what is measured is the
 * engine: its replay loops, noise draws and kernel calls. (The SIMD providers' own steady-state allocation is a
 * property of those providers, tested with them.)
 */
class TrainingStepAllocationTest {
    private static final int BATCH = 32;
    private static final int INPUT = 1100;
    private static final int HIDDEN = 8;
    private static final long BUDGET_BYTES_PER_STEP = 1024;

    /** The parameters of a 1-hidden-layer autoencoder and their Adam moments. */
    private static final class Model implements AutoCloseable {
        final ParameterStore store = ParameterStore.open("model", DType.F32);
        final TensorScope moments = TensorScope.open("adam");
        final List<Tensor[]> state = new ArrayList<>();

        Parameter create(String name, SplittableRandom random, int... shape) {
            Parameter p = store.create(name, shape);
            double bound = 1 / Math.sqrt(shape[shape.length - 1]);
            Fixtures.uniform(p.value(), random, -bound, bound);
            state.add(new Tensor[] {moments.allocate(DType.F32, shape), moments.allocate(DType.F32, shape)});
            return p;
        }

        void adam(TensorOps ops, long step) {
            List<Parameter> params = store.parameters();
            for (int i = 0; i < params.size(); i++) {
                Parameter p = params.get(i);
                ops.adam(p.value(), p.grad(), state.get(i)[0], state.get(i)[1], 1e-3, 0.9, 0.999, 1e-8, 0, step);
            }
        }

        @Override
        public void close() {
            store.close();
            moments.close();
        }
    }

    private static long allocatedBytes(List<Long> threadIds) {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long id : threadIds) {
            long bytes = bean.getThreadAllocatedBytes(id);
            total += Math.max(bytes, 0);
        }
        return total;
    }

    private static List<Long> computeThreads() {
        List<Long> ids = new ArrayList<>();
        ids.add(Thread.currentThread().threadId());
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("ae-compute-")) {
                ids.add(t.threadId());
            }
        }
        return ids;
    }

    /** The loss of one workload over the input x, creating any extra parameters it needs. */
    @FunctionalInterface
    interface Workload {
        Node loss(GraphBuilder b, Model m, Node x, SplittableRandom random);
    }

    private static void assertStepAllocationFree(String workload, Workload lossBuilder) {
        ComputePool pool = ComputePool.common();
        TensorOps ops = TensorOps.create(pool, Kernels.scalar());
        SplittableRandom random = new SplittableRandom(17);
        try (Model model = new Model()) {
            GraphBuilder b = Graph.builder(workload, DType.F32, pool).seed(3)
                    .kernels(Kernels.scalar());
            Node x = b.input("x", BATCH, INPUT);
            Fixtures.uniform(x.value(), random, 0, 1);
            model.create("W1", random, HIDDEN, INPUT);
            model.create("b1", random, HIDDEN);
            model.create("W2", random, INPUT, HIDDEN);
            model.create("b2", random, INPUT);
            Node loss = lossBuilder.loss(b, model, x, random);
            try (Graph g = b.build()) {
                long step = 0;
                for (int i = 0; i < 120; i++) {
                    g.forward();
                    g.backward(loss);
                    model.adam(ops, ++step);
                }
                List<Long> threads = computeThreads();
                int measured = 30;
                long before = allocatedBytes(threads);
                for (int i = 0; i < measured; i++) {
                    g.forward();
                    g.backward(loss);
                    model.adam(ops, ++step);
                }
                long perStep = (allocatedBytes(threads) - before) / measured;
                assertTrue(Double.isFinite(g.scalar(loss)), workload + " loss " + g.scalar(loss));
                assertTrue(perStep <= BUDGET_BYTES_PER_STEP, workload + ": " + perStep + " heap bytes per step");
            }
        }
    }

    private static Node encode(GraphBuilder b, Model m, Node x) {
        return b.linear(x, m.store.get("W1"), m.store.get("b1"), Activation.SIGMOID);
    }

    private static Node decodeLogits(GraphBuilder b, Model m, Node h) {
        return b.linear(h, m.store.get("W2"), m.store.get("b2"), Activation.IDENTITY);
    }

    @Test
    void undercompleteR1() {
        assertStepAllocationFree("R1", (b, m, x, random) ->
                b.binaryCrossEntropyWithLogits(decodeLogits(b, m, encode(b, m, x)), x));
    }

    @Test
    void contractiveR3() {
        assertStepAllocationFree("R3", (b, m, x, random) -> {
            Node h = encode(b, m, x);
            return b.add(b.binaryCrossEntropyWithLogits(decodeLogits(b, m, h), x),
                    b.scale(b.contractivePenalty(h), 0.1));
        });
    }

    @Test
    void denoisingR4() {
        assertStepAllocationFree("R4", (b, m, x, random) ->
                b.binaryCrossEntropyWithLogits(decodeLogits(b, m, encode(b, m, b.maskingNoise(x, 0.3))), x));
    }

    @Test
    void sparseR5() {
        assertStepAllocationFree("R5", (b, m, x, random) -> {
            Node h = encode(b, m, x);
            return b.add(b.binaryCrossEntropyWithLogits(decodeLogits(b, m, h), x), b.scale(b.klSparsity(h, 0.05), 3));
        });
    }

    @Test
    void variationalR6WithSplitHeads() {
        assertStepAllocationFree("R6", (b, m, x, random) -> {
            Parameter heads = m.create("Wheads", random, 8, HIDDEN);
            Parameter decoderIn = m.create("Wz", random, HIDDEN, 4);
            Node h = b.linear(x, m.store.get("W1"), m.store.get("b1"), Activation.RELU);
            List<Node> muAndLogVariance = b.split(b.linear(h, heads, null, Activation.IDENTITY), 1, 4, 4);
            Node z = b.reparameterize(muAndLogVariance.get(0), muAndLogVariance.get(1));
            Node logits = decodeLogits(b, m, b.linear(z, decoderIn, null, Activation.RELU));
            return b.add(b.binaryCrossEntropyWithLogits(logits, x),
                    b.gaussianKl(muAndLogVariance.get(0), muAndLogVariance.get(1)));
        });
    }

    @Test
    void tiedHigherOrderContractive() {
        assertStepAllocationFree("CAE+H tied", (b, m, x, random) -> {
            Node h = encode(b, m, x);
            Node logits = b.tiedLinear(h, m.store.get("W1"), m.store.get("b2"), Activation.IDENTITY);
            Node penalties = b.add(b.contractivePenalty(h), b.higherOrderContractivePenalty(h, 0.1, 2));
            return b.add(b.binaryCrossEntropyWithLogits(logits, x), b.scale(penalties, 0.1));
        });
    }

    @Test
    void contractivePenaltySplitOverTwoThreads() {
        SplittableRandom random = new SplittableRandom(5);
        try (ComputePool pool = ComputePool.create(2); ParameterStore store = ParameterStore.open("split", DType.F32)) {
            GraphBuilder b = Graph.builder("split penalty", DType.F32, pool)
                    .kernels(Kernels.scalar());
            Node x = b.input("x", 64, 16);
            Fixtures.uniform(x.value(), random, 0, 1);
            Parameter w = Fixtures.parameter(store, "W", random, -0.3, 0.3, 512, 16);
            Parameter bias = Fixtures.parameter(store, "b", random, -0.3, 0.3, 512);
            Node penalty = b.contractivePenalty(b.linear(x, w, bias, Activation.TANH));
            try (Graph g = b.build()) {
                for (int i = 0; i < 300; i++) {
                    g.forward();
                    g.backward(penalty);
                }
                List<Long> threads = computeThreads();
                int measured = 100;
                long before = allocatedBytes(threads);
                for (int i = 0; i < measured; i++) {
                    g.forward();
                    g.backward(penalty);
                }
                long perStep = (allocatedBytes(threads) - before) / measured;
                assertTrue(perStep <= BUDGET_BYTES_PER_STEP, perStep + " heap bytes per step");
            }
        }
    }
}
