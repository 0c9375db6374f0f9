package ae.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ComputePoolTest {
    @Test
    void everyChunkRunsExactlyOnceAcrossManyRounds() {
        try (ComputePool pool = ComputePool.create(3)) {
            for (int round = 0; round < 2000; round++) {
                int chunks = 1 + round % 17;
                AtomicIntegerArray hits = new AtomicIntegerArray(chunks);
                pool.run(chunks, hits::incrementAndGet);
                for (int c = 0; c < chunks; c++) {
                    assertEquals(1, hits.get(c), "round " + round + " chunk " + c);
                }
            }
        }
    }

    @Test
    void exceptionOfAChunkReachesTheCaller() {
        try (ComputePool pool = ComputePool.create(2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.run(8, c -> {
                if (c == 5) {
                    throw new IllegalArgumentException("chunk five");
                }
            }));
            assertEquals("chunk five", e.getMessage());
            int[] after = new int[4];
            pool.run(4, c -> after[c] = c + 1);
            assertArrayEquals(new int[] {1, 2, 3, 4}, after);
        }
    }

    @Test
    void nestedSubmissionRunsInline() {
        try (ComputePool pool = ComputePool.create(2)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(16);
            pool.run(4, outer -> pool.run(4, inner -> hits.incrementAndGet(outer * 4 + inner)));
            for (int i = 0; i < 16; i++) {
                assertEquals(1, hits.get(i));
            }
        }
    }

    @Test
    void chunksCoverTheRangeOnGranuleBoundaries() {
        qt().forAll(integers().between(0, 5000), integers().between(1, 16), integers().between(1, 64))
                .checkAssert((total, chunks, granule) -> {
                    int previous = 0;
                    for (int c = 0; c < chunks; c++) {
                        int start = ComputePool.chunkStart(total, chunks, c, granule);
                        int end = ComputePool.chunkStart(total, chunks, c + 1, granule);
                        assertEquals(previous, start);
                        assertEquals(true, start == total || start % granule == 0);
                        assertEquals(true, end >= start);
                        previous = end;
                    }
                    assertEquals(total, previous);
                });
    }
}
