package ae.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The SIMD Hamming kernels against a plain reference (bit by bit), on ranges that start and end anywhere relative to
 * the vector lanes and the four-block unrolling, for 1 to 3 words per code.
 */
class HammingKernelsTest {
    /** Codes in word planes with a stride larger than the count; random bits with few set, so distances vary. */
    private static long[] codes(SplittableRandom r, int n, int stride, int words) {
        long[] c = new long[stride * words];
        for (int w = 0; w < words; w++) {
            for (int i = 0; i < n; i++) {
                long v = r.nextLong();
                c[w * stride + i] = r.nextInt(3) == 0 ? v & r.nextLong() & r.nextLong() : v;
            }
        }
        return c;
    }

    private static int reference(long[] codes, int stride, int words, long[] query, int i) {
        int d = 0;
        for (int w = 0; w < words; w++) {
            for (int b = 0; b < 64; b++) {
                d += (int) ((codes[w * stride + i] >>> b ^ query[w] >>> b) & 1);
            }
        }
        return d;
    }

    @Test
    void distancesMatchTheReferenceAcrossLaneBoundaries() {
        qt().forAll(integers().between(0, 150), integers().between(0, 150), integers().between(1, 3),
                longs().all()).checkAssert((a, b, words, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            int n = 160;
            int stride = n + 3;
            long[] codes = codes(r, n, stride, words);
            long[] query = codes(r, 1, 1, words);
            int from = Math.min(a, b);
            int to = Math.max(a, b);
            int[] expected = new int[to - from + 2];
            for (int i = from; i < to; i++) {
                expected[i - from + 1] = reference(codes, stride, words, query, i);
            }
            for (HammingKernels k : List.of(Kernels.simd().hamming(), Kernels.scalar().hamming())) {
                int[] out = new int[to - from + 2];
                k.distances(codes, stride, words, query, from, to, out, 1);
                assertArrayEquals(expected, out, k.name() + " from " + from + " to " + to + ", " + words + " words");
            }
        });
    }

    /** A sink whose bound falls as it is offered codes, like a top-k heap's: after three offers, the last + 1. */
    private static final class FallingBound implements HammingKernels.Candidates {
        final List<int[]> offered = new ArrayList<>();
        int bound;

        FallingBound(int bound) {
            this.bound = bound;
        }

        @Override
        public int offer(int index, int distance) {
            offered.add(new int[] {index, distance});
            if (offered.size() >= 3) {
                bound = Math.min(bound, distance + 1);
            }
            return bound;
        }
    }

    @Test
    void scanOffersExactlyTheCodesBelowTheRunningBoundInOrder() {
        qt().forAll(integers().between(0, 300), integers().between(0, 300), integers().between(1, 3),
                longs().all()).checkAssert((a, b, words, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            int n = 310;
            long[] codes = codes(r, n, n, words);
            long[] query = codes(r, 1, 1, words);
            int from = Math.min(a, b);
            int to = Math.max(a, b);
            int startBound = r.nextInt(0, 64 * words + 2);
            FallingBound expected = new FallingBound(startBound);
            for (int i = from; i < to; i++) {
                int d = reference(codes, n, words, query, i);
                if (d < expected.bound) {
                    expected.offer(i, d);
                }
            }
            for (HammingKernels k : List.of(Kernels.simd().hamming(), Kernels.scalar().hamming())) {
                FallingBound sink = new FallingBound(startBound);
                int last = k.scan(codes, n, words, query, from, to, startBound, sink);
                assertEquals(expected.offered.size(), sink.offered.size(), k.name());
                for (int j = 0; j < expected.offered.size(); j++) {
                    assertArrayEquals(expected.offered.get(j), sink.offered.get(j), k.name() + " offer " + j);
                }
                assertEquals(expected.bound, last, k.name());
            }
        });
    }
}
