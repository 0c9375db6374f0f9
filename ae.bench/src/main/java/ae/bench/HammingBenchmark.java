package ae.bench;

import ae.models.retrieval.BinaryCodes;
import ae.models.retrieval.HammingIndex;
import ae.tensor.HammingKernels;
import ae.tensor.Kernels;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Exhaustive Hamming ranking on one thread: a scan of {@code codes} random codes with top-100 selection, the SIMD
 * kernel against the scalar {@link Long#bitCount} loop, and the distances alone (no selection). Codes per second =
 * codes / (the time of one operation); for 64-bit codes and 1,000,000 codes, 1e9 codes/s is 1 ms per scan, and the
 * scan reads 8 MB, so 8 GB/s of memory bandwidth.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// The SIMD scan runs interpreted (about a second per scan) until C2 compiles it: warm up long enough.
@Warmup(iterations = 8, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class HammingBenchmark {
    @State(Scope.Benchmark)
    public static class Database {
        @Param({"simd", "scalar"})
        public String impl;

        @Param({"64"})
        public int bits;

        @Param({"1000000"})
        public int codes;

        @Param({"100"})
        public int k;

        HammingIndex index;
        HammingIndex.Searcher searcher;
        long[][] queries;
        int[] distances;
        int next;

        @Setup(Level.Trial)
        public void build() {
            SplittableRandom random = new SplittableRandom(1);
            int words = BinaryCodes.wordsFor(bits);
            long spare = bits % 64 == 0 ? 0 : -1L << (bits % 64);
            long[] packed = new long[codes * words];
            for (int i = 0; i < packed.length; i++) {
                packed[i] = random.nextLong() & (i % words == words - 1 ? ~spare : -1L);
            }
            HammingKernels kernels = (impl.equals("simd") ? Kernels.simd() : Kernels.scalar()).hamming();
            long[] ids = new long[codes];
            java.util.Arrays.setAll(ids, i -> i);
            index = new HammingIndex(new BinaryCodes(codes, bits, packed), ids, null, kernels);
            searcher = index.searcher(k);
            queries = new long[64][words];
            for (long[] q : queries) {
                for (int w = 0; w < words; w++) {
                    q[w] = random.nextLong() & (w == words - 1 ? ~spare : -1L);
                }
            }
            distances = new int[codes];
        }

        long[] query() {
            next = (next + 1) & 63;
            return queries[next];
        }
    }

    /** One query: scan every code, keep the k nearest; returns the k-th distance. */
    @Benchmark
    public int scanTopK(Database db) {
        db.searcher.search(db.query());
        return db.searcher.distance(db.searcher.found() - 1);
    }

    /** One query: the distance to every code, no selection. */
    @Benchmark
    public int distances(Database db) {
        db.index.distances(db.query(), db.distances);
        return db.distances[db.next];
    }
}
