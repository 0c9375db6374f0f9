package ae.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ComputePoolTest {
    @Test
    void everyChunkRunsExactlyOnceAcrossManyRounds() {
        for (boolean rowAffinity : new boolean[] {false, true}) {
            try (ComputePool pool = ComputePool.create(3, rowAffinity)) {
                for (int round = 0; round < 2000; round++) {
                    int chunks = 1 + round % 17;
                    AtomicIntegerArray hits = new AtomicIntegerArray(chunks);
                    pool.run(chunks, hits::incrementAndGet);
                    for (int c = 0; c < chunks; c++) {
                        assertEquals(1, hits.get(c), "round " + round + " chunk " + c + ", row affinity " + rowAffinity);
                    }
                }
            }
        }
    }

    /**
     * Many short submissions in a row from one thread, of uneven chunks, some failing: every chunk of every
     * submission runs exactly once and is done when run returns (a late worker runs nothing of a later submission
     * and nothing twice), and a failing chunk's exception reaches the caller with the pool usable afterwards.
     */
    @Test
    void manyShortSubmissionsRunEachChunkOnceAndFinishBeforeReturning() {
        qt().withExamples(12).forAll(integers().between(2, 4), integers().between(1, 1_000_000))
                .checkAssert((threads, seed) -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    int submissions = 400;
                    int maxChunks = 9;
                    AtomicIntegerArray hits = new AtomicIntegerArray(submissions * maxChunks);
                    // Workers of a pool that keeps rows with threads claim from the back, the caller from the front.
                    try (ComputePool pool = ComputePool.create(threads, random.nextBoolean())) {
                        for (int s = 0; s < submissions; s++) {
                            int submission = s;
                            int chunks = 2 + random.nextInt(maxChunks - 1);
                            int failing = random.nextInt(4) == 0 ? random.nextInt(chunks) : -1;
                            int work = random.nextInt(3) == 0 ? 0 : random.nextInt(20_000);
                            ComputePool.Task task = c -> {
                                hits.incrementAndGet(submission * maxChunks + c);
                                spin(work * (c + 1));
                                if (c == failing) {
                                    throw new IllegalStateException("submission " + submission);
                                }
                            };
                            if (failing >= 0) {
                                IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(chunks, task));
                                assertEquals("submission " + submission, e.getMessage());
                            } else {
                                pool.run(chunks, task);
                            }
                            for (int c = 0; c < maxChunks; c++) {
                                assertEquals(c < chunks ? 1 : 0, hits.get(submission * maxChunks + c),
                                        "submission " + submission + " chunk " + c + " of " + chunks + " when run returned");
                            }
                        }
                    }
                    for (int i = 0; i < hits.length(); i++) {
                        assertEquals(true, hits.get(i) <= 1, "entry " + i + " ran again after its submission returned");
                    }
                });
    }

    @Test
    void aPoolKeepsRowsWithThreadsOnlyWhenAsked() {
        try (ComputePool plain = ComputePool.create(2, false); ComputePool rows = ComputePool.create(2, true)) {
            assertFalse(plain.rowAffinity());
            assertEquals(true, rows.rowAffinity());
            // The claim counts are 16 bits wide: a larger submission is refused before anything runs.
            AtomicIntegerArray hits = new AtomicIntegerArray(1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> rows.run(40_000, c -> hits.incrementAndGet(0)));
            assertEquals("at most 32767 chunks per submission, got 40000", e.getMessage());
            assertEquals(0, hits.get(0));
            rows.run(32_767, c -> hits.incrementAndGet(0));
            assertEquals(32_767, hits.get(0));
        }
    }

    @Test
    void anErrorOfAChunkReachesTheCallerToo() {
        try (ComputePool pool = ComputePool.create(2)) {
            StackOverflowError thrown = new StackOverflowError("chunk one");
            StackOverflowError e = assertThrows(StackOverflowError.class, () -> pool.run(2, c -> {
                if (c == 1) {
                    throw thrown;
                }
            }));
            assertSame(thrown, e);
            AtomicIntegerArray hits = new AtomicIntegerArray(3);
            pool.run(3, hits::incrementAndGet);
            assertEquals("[1, 1, 1]", hits.toString());
        }
    }

    @Test
    void closeStopsTheWorkersAndRefusesLaterSubmissions() throws InterruptedException {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        ComputePool pool = ComputePool.create(3);
        List<Thread> started = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(t) && t.getName().startsWith("ae-compute-")) {
                started.add(t);
            }
        }
        assertEquals(2, started.size());
        pool.run(4, c -> { });
        pool.close();
        for (Thread t : started) {
            t.join(10_000);
            assertFalse(t.isAlive(), t.getName() + " still runs after close");
        }
        assertThrows(IllegalStateException.class, () -> pool.run(2, c -> { }));
    }

    private static void spin(int iterations) {
        long x = 0;
        for (int i = 0; i < iterations; i++) {
            x += i * 31L ^ x;
        }
        if (x == 42) {
            Thread.onSpinWait();
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
