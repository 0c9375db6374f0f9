package ae.bench;

import ae.autodiff.Graph;
import ae.autodiff.GraphBuilder;
import ae.autodiff.Node;
import ae.autodiff.Parameter;
import ae.autodiff.ParameterStore;
import ae.tensor.Activation;
import ae.tensor.ComputePool;
import ae.tensor.DType;
import ae.tensor.Kernels;
import ae.tensor.Tensor;
import ae.tensor.TensorOps;
import ae.tensor.TensorScope;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * R1 and R3 of docs/workloads.md as two graphs over one set of parameters (batch 128, 784 -> 256 sigmoid -> 784, float32,
 * fan-in uniform initialization, Adam lr 1e-3), on random pixels: a step's cost does not depend on the data.
 */
final class ContractiveWorkloads implements AutoCloseable {
    static final int BATCH = 128;
    static final int INPUT = 784;
    static final int HIDDEN = 256;

    private final ComputePool pool;
    private final TensorOps ops;
    private final ParameterStore store;
    private final TensorScope moments;
    private final List<Tensor[]> adamState = new ArrayList<>();
    private final Graph r1;
    private final Node r1Loss;
    private final Graph r3;
    private final Node r3Loss;
    private long step;

    ContractiveWorkloads(String kernelName, int threads) {
        Kernels kernels = KernelChoice.named(kernelName, threads).kernels();
        pool = ComputePool.create(threads);
        ops = TensorOps.create(pool, kernels);
        store = ParameterStore.open("R1/R3", DType.F32);
        moments = TensorScope.open("adam moments");
        SplittableRandom random = new SplittableRandom(1);
        fanInUniform(store.create("W1", HIDDEN, INPUT), INPUT, random);
        fanInUniform(store.create("b1", HIDDEN), INPUT, random);
        fanInUniform(store.create("W2", INPUT, HIDDEN), HIDDEN, random);
        fanInUniform(store.create("b2", INPUT), HIDDEN, random);
        for (Parameter p : store) {
            adamState.add(new Tensor[] {moments.allocate(DType.F32, p.shape()), moments.allocate(DType.F32,
                    p.shape())});
        }
        float[] pixels = new float[BATCH * INPUT];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble();
        }
        GraphBuilder b1 = Graph.builder("R1", DType.F32, pool).kernels(kernels);
        Node x1 = b1.input("x", BATCH, INPUT);
        x1.value().copyFrom(pixels);
        Node h1 = b1.linear(x1, store.get("W1"), store.get("b1"), Activation.SIGMOID);
        r1Loss = b1.binaryCrossEntropyWithLogits(b1.linear(h1, store.get("W2"), store.get("b2"),
                Activation.IDENTITY), x1);
        r1 = b1.build();
        GraphBuilder b3 = Graph.builder("R3", DType.F32, pool).kernels(kernels);
        Node x3 = b3.input("x", BATCH, INPUT);
        x3.value().copyFrom(pixels);
        Node h3 = b3.linear(x3, store.get("W1"), store.get("b1"), Activation.SIGMOID);
        Node reconstruction = b3.binaryCrossEntropyWithLogits(
                b3.linear(h3, store.get("W2"), store.get("b2"), Activation.IDENTITY), x3);
        r3Loss = b3.add(reconstruction, b3.scale(b3.contractivePenalty(h3), 0.1));
        r3 = b3.build();
    }

    private static void fanInUniform(Parameter p, int fanIn, SplittableRandom random) {
        double bound = 1 / Math.sqrt(fanIn);
        float[] values = new float[(int) p.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-bound, bound);
        }
        p.value().copyFrom(values);
    }

    /** One R1 training step; returns its loss. */
    double r1Step() {
        r1.forward();
        r1.backward(r1Loss);
        adam();
        return r1.scalar(r1Loss);
    }

    /** One R3 training step; returns its loss. */
    double r3Step() {
        r3.forward();
        r3.backward(r3Loss);
        adam();
        return r3.scalar(r3Loss);
    }

    private void adam() {
        step++;
        List<Parameter> params = store.parameters();
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            ops.adam(p.value(), p.grad(), adamState.get(i)[0], adamState.get(i)[1], 1e-3, 0.9, 0.999, 1e-8, 0, step);
        }
    }

    @Override
    public void close() {
        r1.close();
        r3.close();
        store.close();
        moments.close();
        pool.close();
    }
}
