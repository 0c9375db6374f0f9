package ae.bench;

import ae.tensor.ComputePool;
import ae.tensor.GemmKernels;
import ae.tensor.Kernels;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
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
 * SGEMM {@code C = op(A) * op(B)} on the workload shapes: our kernels against OpenBLAS on the same off-heap memory.
 *
 * <p>Each benchmark method is one implementation; JMH forks a fresh JVM per method, shape and thread count, so
 * only the measured implementation's threads exist in that JVM. Run through {@code ./ae bench gemm}, which clears
 * OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for the forks and turns the times into GFLOP/s.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// The Vector API is very slow until C2 has compiled the kernel (over half a second per product at first), so a
// run needs about 2 s of warm-up before its times settle, and more on a busy machine, where C2 compiles later.
@Warmup(iterations = 10, time = 400, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class GemmBenchmark {

    /** The operands: A and B filled with seeded uniform values in [-1, 1), C written by every call. */
    @State(Scope.Benchmark)
    public static class Problem {
        @Param({"128x784x256", "128x256x784", "784x128x256 AT", "128x784x512", "128x512x256", "1024x1024x1024"})
        public String shape;

        @Param({"1", "2"})
        public int threads;

        GemmShape dims;
        /** Set by the measured implementation's state; the scalar reference is not checked against itself. */
        String checkedImplementation;
        private TensorScope scope;
        Tensor a;
        Tensor b;
        Tensor c;

        @Setup(Level.Trial)
        public void allocate() {
            dims = GemmShape.parse(shape);
            scope = TensorScope.open("gemm benchmark " + shape);
            SplittableRandom random = new SplittableRandom(42);
            a = scope.fromArray(uniform(random, dims.aRows() * dims.aCols()), dims.aRows(), dims.aCols());
            b = scope.fromArray(uniform(random, dims.bRows() * dims.bCols()), dims.bRows(), dims.bCols());
            c = scope.allocateFloat(dims.m(), dims.n());
        }

        /** JMH may tear the states down in any order, so the check runs here, before the operands are freed. */
        @TearDown(Level.Trial)
        public void checkAndFree() {
            try {
                if (checkedImplementation != null) {
                    checkAgainstReference(checkedImplementation);
                }
            } finally {
                scope.close();
            }
        }

        void multiply(GemmKernels kernels, ComputePool pool, int rows, MemorySegment target) {
            kernels.sgemm(pool, dims.transA(), dims.transB(), rows, dims.n(), dims.k(), 1f,
                    a.segment(), 0, dims.aCols(), b.segment(), 0, dims.bCols(), 0f, target, 0, dims.n());
        }

        /**
         * Compares the first rows of C, as the timed calls left them, with the scalar reference, so that every
         * implementation is known to compute the same product. It runs after the measurement: checking before
         * would run our kernel once while it is still interpreted, which takes seconds on the large shapes.
         */
        void checkAgainstReference(String implementation) {
            int rows = Math.min(8, dims.m());
            try (TensorScope check = TensorScope.open("gemm reference rows");
                 ComputePool single = ComputePool.create(1)) {
                Tensor expected = check.allocateFloat(rows, dims.n());
                multiply(Kernels.scalar().gemm(), single, rows, expected.segment());
                // Each element sums K products of values in [-1, 1): rounding error grows like sqrt(K).
                double tolerance = 1e-5 * dims.k();
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < dims.n(); j++) {
                        float want = expected.segment().getAtIndex(ValueLayout.JAVA_FLOAT, (long) i * dims.n() + j);
                        float got = c.segment().getAtIndex(ValueLayout.JAVA_FLOAT, (long) i * dims.n() + j);
                        if (!(Math.abs(want - got) <= tolerance)) {
                            throw new IllegalStateException(implementation + " computes a different product for " + shape
                                    + ": C[" + i + "][" + j + "] = " + got + ", the scalar reference gives " + want);
                        }
                    }
                }
            }
        }

        private static float[] uniform(SplittableRandom random, int count) {
            float[] values = new float[count];
            for (int i = 0; i < count; i++) {
                values[i] = (float) random.nextDouble(-1, 1);
            }
            return values;
        }
    }

    /** Our compute pool sized by the thread-count parameter. */
    @State(Scope.Benchmark)
    public static class OurPool {
        ComputePool pool;

        @Setup(Level.Trial)
        public void start(Problem problem) {
            pool = ComputePool.create(problem.threads);
        }

        @TearDown(Level.Trial)
        public void stop() {
            pool.close();
        }
    }

    /** Our SIMD kernel; what the timed calls computed is checked against the scalar reference afterwards. */
    @State(Scope.Benchmark)
    public static class OurSimdKernel {
        GemmKernels kernels;

        @Setup(Level.Trial)
        public void select(Problem problem) {
            kernels = Kernels.simd().gemm();
            problem.checkedImplementation = "ae (" + kernels.name() + ")";
        }
    }

    /** OpenBLAS with the thread-count parameter, looking at the same memory as our kernels. */
    @State(Scope.Benchmark)
    public static class OpenBlasOperands {
        FloatPointer a;
        FloatPointer b;
        FloatPointer c;

        @Setup(Level.Trial)
        public void start(Problem problem) {
            OpenBlas.setThreads(problem.threads);
            a = OpenBlas.view(problem.a.segment());
            b = OpenBlas.view(problem.b.segment());
            c = OpenBlas.view(problem.c.segment());
            // A marker line that ./ae bench gemm reads from JMH's output to report the kernel actually used.
            System.out.println("ae-bench openblas core: " + OpenBlas.coreName() + " | " + OpenBlas.config()
                    + " | " + OpenBlas.mappedLibrary());
            for (String variable : OpenBlas.OVERRIDING_VARIABLES) {
                String value = System.getenv(variable);
                if (value != null) {
                    System.out.println("ae-bench warning: " + variable + "=" + value + " is set, so OpenBLAS may not run"
                            + " its best kernel for this CPU; unset it before starting JMH (./ae bench gemm does)");
                }
            }
            problem.checkedImplementation = "openblas";
        }
    }

    @Benchmark
    public void ae(Problem problem, OurPool ours, OurSimdKernel simd) {
        problem.multiply(simd.kernels, ours.pool, problem.dims.m(), problem.c.segment());
    }

    @Benchmark
    public void scalar(Problem problem, OurPool ours) {
        problem.multiply(Kernels.scalar().gemm(), ours.pool, problem.dims.m(), problem.c.segment());
    }

    @Benchmark
    public void openblas(Problem problem, OpenBlasOperands openBlas) {
        OpenBlas.sgemm(problem.dims, openBlas.a, openBlas.b, openBlas.c);
    }
}
