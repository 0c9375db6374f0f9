package ae.bench;

import ae.autodiff.Graph;
import ae.autodiff.GraphBuilder;
import ae.autodiff.Node;
import ae.autodiff.Parameter;
import ae.autodiff.ParameterStore;
import ae.tensor.Activation;
import ae.tensor.ComputePool;
import ae.tensor.DType;
import ae.tensor.GemmKernels;
import ae.tensor.OptimizerKernels;
import ae.tensor.Tensor;
import ae.tensor.TensorOps;
import ae.tensor.TensorScope;
import ae.tensor.VectorKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the contractive penalty costs: one training step (forward, backward, Adam) of R1 against R3 (WORKLOADS.md),
 * batch 128, 784 -> 256 sigmoid -> 784 sigmoid, float32, on a compute pool of {@code threads}. R3 adds
 * 0.1 * the closed-form ||dh/dx||_F^2; its target is at most 1.15x R1's time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ContractiveStepBenchmark {
    static final int BATCH = 128;
    static final int INPUT = 784;
    static final int HIDDEN = 256;

    /** R1 and R3 graphs over one set of parameters, with Adam's moments. */
    @State(Scope.Benchmark)
    public static class Workloads {
        @Param({"simd", "scalar"})
        public String kernels;

        @Param({"1"})
        public int threads;

        ComputePool pool;
        TensorOps ops;
        ParameterStore store;
        TensorScope moments;
        final List<Tensor[]> adamState = new ArrayList<>();
        Graph r1;
        Node r1Loss;
        Graph r3;
        Node r3Loss;
        long step;

        @Setup(Level.Trial)
        public void build() {
            boolean simd = kernels.equals("simd");
            pool = ComputePool.create(threads);
            ops = TensorOps.create(pool, simd ? VectorKernels.simd() : VectorKernels.scalar(),
                    simd ? OptimizerKernels.simd() : OptimizerKernels.scalar());
            store = ParameterStore.open("R1/R3", DType.F32);
            moments = TensorScope.open("adam moments");
            SplittableRandom random = new SplittableRandom(1);
            fanInUniform(store.create("W1", HIDDEN, INPUT), INPUT, random);
            fanInUniform(store.create("b1", HIDDEN), INPUT, random);
            fanInUniform(store.create("W2", INPUT, HIDDEN), HIDDEN, random);
            fanInUniform(store.create("b2", INPUT), HIDDEN, random);
            for (Parameter p : store) {
                adamState.add(new Tensor[] {moments.allocate(DType.F32, p.shape()), moments.allocate(DType.F32, p.shape())});
            }
            float[] pixels = new float[BATCH * INPUT];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) random.nextDouble();
            }
            GraphBuilder b1 = builder("R1", simd);
            Node x1 = b1.input("x", BATCH, INPUT);
            x1.value().copyFrom(pixels);
            Node h1 = b1.linear(x1, store.get("W1"), store.get("b1"), Activation.SIGMOID);
            r1Loss = b1.binaryCrossEntropyWithLogits(b1.linear(h1, store.get("W2"), store.get("b2"), Activation.IDENTITY), x1);
            r1 = b1.build();
            GraphBuilder b3 = builder("R3", simd);
            Node x3 = b3.input("x", BATCH, INPUT);
            x3.value().copyFrom(pixels);
            Node h3 = b3.linear(x3, store.get("W1"), store.get("b1"), Activation.SIGMOID);
            Node reconstruction = b3.binaryCrossEntropyWithLogits(
                    b3.linear(h3, store.get("W2"), store.get("b2"), Activation.IDENTITY), x3);
            r3Loss = b3.add(reconstruction, b3.scale(b3.contractivePenalty(h3), 0.1));
            r3 = b3.build();
        }

        private GraphBuilder builder(String name, boolean simd) {
            GraphBuilder b = Graph.builder(name, DType.F32, pool);
            return simd ? b.kernels(GemmKernels.simd(), VectorKernels.simd()) : b.kernels(GemmKernels.scalar(), VectorKernels.scalar());
        }

        private static void fanInUniform(Parameter p, int fanIn, SplittableRandom random) {
            double bound = 1 / Math.sqrt(fanIn);
            float[] values = new float[(int) p.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextDouble(-bound, bound);
            }
            p.value().copyFrom(values);
        }

        /** WORKLOADS.md's optimizer: Adam, lr 1e-3, betas (0.9, 0.999), eps 1e-8. */
        void adam() {
            step++;
            List<Parameter> params = store.parameters();
            for (int i = 0; i < params.size(); i++) {
                Parameter p = params.get(i);
                ops.adam(p.value(), p.grad(), adamState.get(i)[0], adamState.get(i)[1], 1e-3, 0.9, 0.999, 1e-8, 0, step);
            }
        }

        @TearDown(Level.Trial)
        public void free() {
            r1.close();
            r3.close();
            store.close();
            moments.close();
            pool.close();
        }
    }

    @Benchmark
    public double r1Step(Workloads w) {
        w.r1.forward();
        w.r1.backward(w.r1Loss);
        w.adam();
        return w.r1.scalar(w.r1Loss);
    }

    @Benchmark
    public double r3Step(Workloads w) {
        w.r3.forward();
        w.r3.backward(w.r3Loss);
        w.adam();
        return w.r3.scalar(w.r3Loss);
    }
}
