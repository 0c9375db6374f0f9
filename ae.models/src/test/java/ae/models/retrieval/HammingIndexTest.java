package ae.models.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import ae.tensor.HammingKernels;
import ae.tensor.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index against brute force: sort everything by (distance, row id), filter by radius; and its file. */
class HammingIndexTest {
    private static final int[] BITS = {16, 32, 64, 70, 128};

    /** Codes with only a few bits free, so that many share distances (ties) and some are equal. */
    static BinaryCodes codes(SplittableRandom r, int n, int bits) {
        int words = BinaryCodes.wordsFor(bits);
        long[] base = new long[words];
        long[] free = new long[words];
        for (int w = 0; w < words; w++) {
            base[w] = r.nextLong();
            free[w] = r.nextLong() & r.nextLong() & r.nextLong();
        }
        long[] out = new long[n * words];
        for (int i = 0; i < n; i++) {
            for (int w = 0; w < words; w++) {
                long v = base[w] ^ (r.nextLong() & free[w]);
                if (w == words - 1) {
                    v &= ~BinaryCodes.spareMask(bits);
                }
                out[i * words + w] = v;
            }
        }
        return new BinaryCodes(n, bits, out);
    }

    /** Row ids ascending with gaps, so positions and row ids differ. */
    static long[] ids(SplittableRandom r, int n) {
        long[] ids = new long[n];
        long id = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            ids[i] = id;
            id += 1 + r.nextInt(3);
        }
        return ids;
    }

    private static Integer[] bruteForce(BinaryCodes codes, BinaryCodes queries, int q, long[] ids) {
        Integer[] order = IntStream.range(0, codes.count()).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingInt(p -> codes.distance(p, queries, q))
                .thenComparingLong(p -> ids[p]));
        return order;
    }

    @Test
    void nearestIsTheBruteForceRankingWithTiesByRowId() {
        qt().forAll(integers().between(0, 200), integers().between(1, 40), integers().between(0, BITS.length - 1),
                longs().all()).checkAssert((n, k, b, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            int bits = BITS[b];
            BinaryCodes codes = codes(r, n, bits);
            BinaryCodes queries = codes(r, 3, bits);
            long[] ids = ids(r, n);
            int[] labels = r.ints(n, 0, 5).toArray();
            for (HammingKernels kernels : List.of(Kernels.simd().hamming(), Kernels.scalar().hamming())) {
                HammingIndex index = new HammingIndex(codes, ids, labels, kernels);
                HammingIndex.Searcher searcher = index.searcher(k);
                for (int q = 0; q < queries.count(); q++) {
                    long[] query = new long[queries.wordsPerCode()];
                    queries.copyCode(q, query, 0);
                    Integer[] expected = bruteForce(codes, queries, q, ids);
                    searcher.search(query);
                    Neighbours found = index.nearest(query, k);
                    assertEquals(Math.min(k, n), searcher.found());
                    assertEquals(Math.min(k, n), found.size());
                    for (int i = 0; i < found.size(); i++) {
                        int p = expected[i];
                        assertEquals(p, searcher.position(i), kernels.name() + " rank " + i);
                        assertEquals(p, found.positions()[i]);
                        assertEquals(ids[p], found.rowIds()[i]);
                        assertEquals(labels[p], found.labels()[i]);
                        assertEquals(codes.distance(p, queries, q), found.distances()[i]);
                    }
                    int[] all = new int[n];
                    index.distances(query, all);
                    for (int p = 0; p < n; p++) {
                        assertEquals(codes.distance(p, queries, q), all[p]);
                    }
                }
            }
        });
    }

    @Test
    void radiusLookupFindsExactlyTheCodesWithinTheRadius() {
        qt().forAll(integers().between(0, 150), integers().between(0, 3), integers().between(0, BITS.length - 1),
                longs().all()).checkAssert((n, radius, b, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            int bits = BITS[b];
            BinaryCodes codes = codes(r, n, bits);
            // Queries: stored codes with a bit or two flipped, so the ball is rarely empty.
            long[] ids = ids(r, n);
            HammingIndex index = new HammingIndex(codes, ids, null);
            for (int q = 0; q < 3 && n > 0; q++) {
                long[] query = new long[codes.wordsPerCode()];
                codes.copyCode(r.nextInt(n), query, 0);
                for (int f = r.nextInt(3); f > 0; f--) {
                    int bit = r.nextInt(bits);
                    query[bit >>> 6] ^= 1L << (bit & 63);
                }
                BinaryCodes one = new BinaryCodes(1, bits, query.clone());
                Integer[] expected = Arrays.stream(bruteForce(codes, one, 0, ids))
                        .filter(p -> codes.distance(p, one, 0) <= radius).toArray(Integer[]::new);
                Neighbours found = index.within(query, radius);
                assertEquals(expected.length, found.size(), "radius " + radius + ", " + bits + " bits");
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], found.positions()[i]);
                    assertEquals(codes.distance(expected[i], one, 0), found.distances()[i]);
                }
                assertEquals(null, found.labels());
            }
        });
    }

    @Test
    void queriesOfTheWrongWidthAndRadiiAboveThreeAreRefused() {
        HammingIndex index = HammingIndex.of(codes(new SplittableRandom(1), 10, 32), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> index.nearest(new long[2], 5));
        assertTrue(e.getMessage().contains("32 bits"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> index.nearest(new long[] {1L << 40}, 5));
        assertThrows(IllegalArgumentException.class, () -> index.within(new long[1], 4));
        assertThrows(IllegalArgumentException.class, () -> new HammingIndex(codes(new SplittableRandom(1), 3, 8),
                new long[] {0, 2, 2}, null));
    }

    @Test
    void filesRoundTrip(@TempDir Path dir) throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        for (int bits : BITS) {
            for (boolean labels : new boolean[] {true, false}) {
                BinaryCodes codes = codes(r, 77, bits);
                long[] ids = ids(r, 77);
                int[] l = labels ? r.ints(77, -3, 10).toArray() : null;
                Path file = dir.resolve("i" + bits + labels + ".aeh");
                IndexFiles.write(file, new HammingIndex(codes, ids, l));
                assertEquals(IndexFiles.fileSize(77, codes.wordsPerCode(), labels), Files.size(file));
                HammingIndex back = IndexFiles.read(file);
                assertEquals(codes, back.codes());
                assertEquals(labels, back.hasLabels());
                for (int i = 0; i < 77; i++) {
                    assertEquals(ids[i], back.rowId(i));
                    if (labels) {
                        assertEquals(l[i], back.label(i));
                    }
                }
            }
        }
    }

    @Test
    void everyCorruptOrTruncatedFileIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        SplittableRandom r = new SplittableRandom(9);
        Path file = dir.resolve("index.aeh");
        IndexFiles.write(file, new HammingIndex(codes(r, 20, 70), ids(r, 20), r.ints(20, 0, 3).toArray()));
        byte[] good = Files.readAllBytes(file);
        Path bad = dir.resolve("bad.aeh");
        // Every single flipped bit, and every truncation, is caught (CRC32C detects all 1-bit errors).
        for (int i = 0; i < good.length; i++) {
            byte[] b = good.clone();
            b[i] ^= (byte) (1 << r.nextInt(8));
            Files.write(bad, b);
            IndexFormatException e = assertThrows(IndexFormatException.class, () -> IndexFiles.read(bad), "byte " + i);
            assertTrue(e.getMessage().startsWith(bad + ": byte offset " + e.offset() + ", "), e.getMessage());
            assertTrue(e.offset() >= 0 && e.offset() <= good.length, "byte " + i + " reported at " + e.offset());
            assertFalse(e.getMessage().contains("\n"));
        }
        for (int length = 0; length < good.length; length += 7) {
            Files.write(bad, Arrays.copyOf(good, length));
            IndexFormatException e = assertThrows(IndexFormatException.class, () -> IndexFiles.read(bad));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            assertEquals(length, e.offset(), e.getMessage());
        }
        assertArrayEquals(good, Files.readAllBytes(file));
    }
}
