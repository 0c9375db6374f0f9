package ae.bench;

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
 * What the contractive penalty costs: one training step (forward, backward, Adam) of R1 against R3 (docs/workloads.md),
 * batch 128, 784 -> 256 sigmoid -> 784 sigmoid, float32, on a compute pool of {@code threads}, with each set of
 * {@link KernelChoice}. R3 adds 0.1 * the closed-form ||dh/dx||_F^2; its target is at most 1.15x R1's time. On a shared
 * machine the two are best compared side by side in one process: {@link ContractiveStepRatio}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// A whole step runs Vector API code that takes 10 to 20 s to be compiled (seconds per op before that), so each
// warm-up iteration is long enough that even -wi 3 reaches steady state.
@Warmup(iterations = 3, time = 10, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ContractiveStepBenchmark {
    /** Both workloads over shared parameters. */
    @State(Scope.Benchmark)
    public static class Workloads {
        @Param({"simd", "scalar", "openblas"})
        public String kernels;

        @Param({"1"})
        public int threads;

        ContractiveWorkloads workloads;

        @Setup(Level.Trial)
        public void build() {
            workloads = new ContractiveWorkloads(kernels, threads);
        }

        @TearDown(Level.Trial)
        public void free() {
            workloads.close();
        }
    }

    @Benchmark
    public double r1Step(Workloads w) {
        return w.workloads.r1Step();
    }

    @Benchmark
    public double r3Step(Workloads w) {
        return w.workloads.r3Step();
    }
}
