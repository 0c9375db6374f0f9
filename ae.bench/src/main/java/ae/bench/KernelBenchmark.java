package ae.bench;

import ae.tensor.Activation;
import ae.tensor.Kernels;
import ae.tensor.OptimizerKernels;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import ae.tensor.VectorKernels;
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
 * The two non-GEMM kernels every training step of R1..R5 runs, SIMD against the scalar reference, on one thread:
 * the fused bias + sigmoid after a layer's GEMM, and the in-place Adam update of a parameter tensor.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// Interpreted Vector API code is slow enough (the SIMD sigmoid took about a second per call at first) that the
// times settle only after 3 to 4 s.
@Warmup(iterations = 10, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class KernelBenchmark {

    /** A layer's pre-activations at batch 128 plus its bias: R1's hidden layer (256) and output layer (784). */
    @State(Scope.Benchmark)
    public static class BiasSigmoid {
        @Param({"simd", "scalar"})
        public String impl;

        @Param({"128x256", "128x784"})
        public String batchByWidth;

        VectorKernels kernels;
        int rows;
        int cols;
        private TensorScope scope;
        Tensor preActivation;
        Tensor bias;
        Tensor output;

        @Setup(Level.Trial)
        public void allocate() {
            kernels = (impl.equals("simd") ? Kernels.simd() : Kernels.scalar()).vector();
            String[] dims = batchByWidth.split("x");
            rows = Integer.parseInt(dims[0]);
            cols = Integer.parseInt(dims[1]);
            scope = TensorScope.open("bias+sigmoid benchmark");
            SplittableRandom random = new SplittableRandom(7);
            // Pre-activations of a freshly initialized layer span a few units around 0, both sigmoid branches.
            preActivation = scope.fromArray(uniform(random, rows * cols, 4), rows, cols);
            bias = scope.fromArray(uniform(random, cols, 0.1), cols);
            output = scope.allocateFloat(rows, cols);
        }

        @TearDown(Level.Trial)
        public void free() {
            scope.close();
        }
    }

    /** One Adam step over a bias vector (256) and R1's encoder weight matrix (784 x 256). */
    @State(Scope.Benchmark)
    public static class Adam {
        @Param({"simd", "scalar"})
        public String impl;

        @Param({"256", "200704"})
        public int parameters;

        OptimizerKernels kernels;
        private TensorScope scope;
        Tensor weights;
        Tensor gradient;
        Tensor firstMoment;
        Tensor secondMoment;
        // The bias corrections of step 10; the kernel's cost does not depend on the step.
        final double biasCorrection1 = 1 - Math.pow(0.9, 10);
        final double biasCorrection2 = 1 - Math.pow(0.999, 10);

        @Setup(Level.Trial)
        public void allocate() {
            kernels = (impl.equals("simd") ? Kernels.simd() : Kernels.scalar()).optimizer();
            scope = TensorScope.open("adam benchmark");
            SplittableRandom random = new SplittableRandom(11);
            weights = scope.fromArray(uniform(random, parameters, 1 / Math.sqrt(784)), parameters);
            gradient = scope.fromArray(uniform(random, parameters, 1e-2), parameters);
            firstMoment = scope.allocateFloat(parameters);
            secondMoment = scope.allocateFloat(parameters);
        }

        @TearDown(Level.Trial)
        public void free() {
            scope.close();
        }
    }

    private static float[] uniform(SplittableRandom random, int count, double bound) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextDouble(-bound, bound);
        }
        return values;
    }

    @Benchmark
    public void biasSigmoid(BiasSigmoid layer) {
        layer.kernels.biasActivationF32(Activation.SIGMOID, layer.rows, layer.cols, layer.preActivation.segment(), 0,
                layer.cols, layer.bias.segment(), 0, layer.output.segment(), 0, layer.cols);
    }

    @Benchmark
    public void adam(Adam step) {
        // docs/workloads.md's optimizer: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay.
        step.kernels.adamF32(step.parameters, step.weights.segment(), 0, step.gradient.segment(), 0,
                step.firstMoment.segment(), 0, step.secondMoment.segment(), 0, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f,
                step.biasCorrection1, step.biasCorrection2);
    }
}
