package ae.bench;

import ae.tensor.ComputePool;
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
 * The cost of a fork and join on {@link ComputePool}: one submission of {@code threads} chunks, each a fixed amount
 * of arithmetic ({@code chunkWork} steps of a dependent chain), after {@code gapWork} steps of the
 * same arithmetic on the calling thread alone, the way a training step alternates forks with short serial parts.
 * {@code inline} runs the same chunks one after another on the calling thread. With two threads, the time of
 * {@code fork} minus half the chunks' time of {@code inline} is what a join costs; the average includes the rare
 * long waits on a thread that was descheduled, so measure on a quiet machine.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ComputePoolBenchmark {
    @State(Scope.Benchmark)
    public static class Pool {
        @Param({"2"})
        public int threads;

        @Param({"0", "3000", "30000"})
        public int chunkWork;

        @Param({"3000"})
        public int gapWork;

        ComputePool pool;
        ComputePool.Task task;
        final long[] results = new long[64];

        @Setup(Level.Trial)
        public void start() {
            pool = ComputePool.create(threads);
            task = c -> results[c * 8] = chain(chunkWork, c);
        }

        @TearDown(Level.Trial)
        public void stop() {
            pool.close();
        }
    }

    /** A serial part, then one fork and join of {@code threads} chunks. */
    @Benchmark
    public long fork(Pool p) {
        long gap = chain(p.gapWork, -1);
        p.pool.run(p.threads, p.task);
        return gap + p.results[0];
    }

    /** The same serial part and chunks, all on the calling thread. */
    @Benchmark
    public long inline(Pool p) {
        long gap = chain(p.gapWork, -1);
        for (int c = 0; c < p.threads; c++) {
            p.task.run(c);
        }
        return gap + p.results[0];
    }

    /**
     * A dependent chain of integer steps (about 1.5 ns each here) that the compiler cannot shorten, and whose time
     * does not depend on the other thread's work.
     */
    static long chain(int steps, long seed) {
        long x = seed;
        for (int i = 0; i < steps; i++) {
            x = (x ^ x >>> 29) * 0xBF58476D1CE4E5B9L + i;
        }
        return x;
    }
}
