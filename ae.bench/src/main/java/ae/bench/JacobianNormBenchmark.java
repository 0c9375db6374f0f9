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
 * The mean over a batch of ||dh/dx||_F^2 for h = sigmoid(x W^T + b) at 784 -> 256, batch 128, float32, two ways:
 * the closed form {@code sum_j act'(a_j)^2 ||W_j||^2} (value, and value with its gradient to W, b), against the
 * Jacobian built row by row with the reverse tape (one vector-Jacobian product per hidden unit, each a GEMM), which
 * gives the value only.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// A whole step runs Vector API code that takes 10 to 20 s to be compiled (seconds per op before that), so each
// warm-up iteration is long enough that even -wi 3 reaches steady state.
@Warmup(iterations = 3, time = 10, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class JacobianNormBenchmark {
    static final int BATCH = 128;
    static final int INPUT = 784;
    static final int HIDDEN = 256;

    /** The encoder layer as two graphs: with the fused penalty, and frozen with x differentiable for the tape route. */
    @State(Scope.Benchmark)
    public static class Encoder {
        @Param({"simd", "scalar", "openblas"})
        public String kernels;

        @Param({"1"})
        public int threads;

        ComputePool pool;
        TensorOps ops;
        ParameterStore store;
        TensorScope seeds;
        Graph closedForm;
        Node penalty;
        Graph tape;
        Node tapeInput;
        Node tapeOutput;
        Tensor[] columnSeeds;

        @Setup(Level.Trial)
        public void build() {
            Kernels chosen = KernelChoice.named(kernels, threads).kernels();
            pool = ComputePool.create(threads);
            ops = TensorOps.create(pool, chosen);
            store = ParameterStore.open("encoder", DType.F32);
            SplittableRandom random = new SplittableRandom(2);
            Parameter w = store.create("W", HIDDEN, INPUT);
            Parameter bias = store.create("b", HIDDEN);
            fill(w.value(), random, 1 / Math.sqrt(INPUT));
            fill(bias.value(), random, 1 / Math.sqrt(INPUT));
            float[] pixels = new float[BATCH * INPUT];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) random.nextDouble();
            }
            GraphBuilder fused = builder("closed form", chosen);
            Node x = fused.input("x", BATCH, INPUT);
            x.value().copyFrom(pixels);
            penalty = fused.contractivePenalty(fused.linear(x, w, bias, Activation.SIGMOID));
            closedForm = fused.build();

            GraphBuilder rows = builder("row by row", chosen);
            tapeInput = rows.inputWithGradient("x", BATCH, INPUT);
            tapeInput.value().copyFrom(pixels);
            tapeOutput = rows.linear(tapeInput, rows.frozen(w), rows.frozen(bias), Activation.SIGMOID);
            tape = rows.build();
            seeds = TensorScope.open("seeds");
            columnSeeds = new Tensor[HIDDEN];
            for (int j = 0; j < HIDDEN; j++) {
                columnSeeds[j] = seeds.allocate(DType.F32, BATCH, HIDDEN);
                for (int i = 0; i < BATCH; i++) {
                    columnSeeds[j].set(i, j, 1);
                }
            }
        }

        private GraphBuilder builder(String name, Kernels chosen) {
            return Graph.builder(name, DType.F32, pool).kernels(chosen);
        }

        private static void fill(Tensor t, SplittableRandom random, double bound) {
            float[] values = new float[(int) t.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextDouble(-bound, bound);
            }
            t.copyFrom(values);
        }

        @TearDown(Level.Trial)
        public void free() {
            closedForm.close();
            tape.close();
            seeds.close();
            store.close();
            pool.close();
        }
    }

    @Benchmark
    public double closedFormValue(Encoder e) {
        e.closedForm.forward();
        return e.closedForm.scalar(e.penalty);
    }

    @Benchmark
    public double closedFormValueAndGradient(Encoder e) {
        e.closedForm.forward();
        e.closedForm.backward(e.penalty);
        return e.closedForm.scalar(e.penalty);
    }

    /** Row j of every sample's Jacobian is x's gradient after back-propagating ones in column j. */
    @Benchmark
    public double rowByRowValue(Encoder e) {
        e.tape.forward();
        double total = 0;
        for (int j = 0; j < HIDDEN; j++) {
            e.tape.backward(e.tapeOutput, e.columnSeeds[j]);
            total += e.ops.sumOfSquares(e.tapeInput.grad());
        }
        return total / BATCH;
    }
}
