package ae.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import ae.tensor.ComputePool;
import ae.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatcherTest {
    /** Row i holds (i, -i, ...) and label i, so a batch row tells which dataset row it came from. */
    private static Dataset indexed(int n, int d) {
        float[] values = new float[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i;
            for (int j = 0; j < d; j++) {
                values[i * d + j] = j % 2 == 0 ? i : -i;
            }
        }
        return Dataset.copyOf("indexed", values, n, d, labels);
    }

    /** The dataset rows of each batch of one epoch, checking that features, labels and sourceRow agree. */
    private static List<int[]> epoch(Batcher batches, long epoch, int d) {
        List<int[]> out = new ArrayList<>();
        batches.startEpoch(epoch);
        while (batches.next()) {
            Tensor x = batches.features();
            assertEquals(batches.rows(), x.rows());
            int[] rows = new int[batches.rows()];
            for (int r = 0; r < rows.length; r++) {
                rows[r] = batches.labels()[r];
                assertEquals(rows[r], batches.sourceRow(r));
                for (int j = 0; j < d; j++) {
                    assertEquals(j % 2 == 0 ? rows[r] : -rows[r], x.get(r, j), 0);
                }
            }
            out.add(rows);
        }
        return out;
    }

    @Test
    void everyEpochVisitsEveryRowOnceUnlessDropped() {
        qt().forAll(integers().between(1, 60), integers().between(1, 20), booleans().all(), longs().all())
                .checkAssert((n, batchSize, dropLast, seed) -> {
                    if (dropLast && n < batchSize) {
                        return;
                    }
                    try (Dataset data = indexed(n, 3);
                            Batcher batches = Batcher.create(data, BatchOptions.shuffled(batchSize, seed)
                                    .withDropLast(dropLast))) {
                        List<int[]> batchRows = epoch(batches, 0, 3);
                        assertEquals(batches.batchesPerEpoch(), batchRows.size());
                        int seen = 0;
                        boolean[] visited = new boolean[n];
                        for (int b = 0; b < batchRows.size() - 1; b++) {
                            assertEquals(batchSize, batchRows.get(b).length, "only the last batch may be short");
                        }
                        for (int[] rows : batchRows) {
                            for (int r : rows) {
                                assertFalse(visited[r], "row " + r + " twice in one epoch");
                                visited[r] = true;
                                seen++;
                            }
                        }
                        assertEquals(dropLast ? n / batchSize * batchSize : n, seen);
                    }
                });
    }

    @Test
    void shuffleDependsOnSeedAndEpochOnly() {
        try (Dataset data = indexed(100, 2);
                Batcher a = Batcher.create(data, BatchOptions.shuffled(16, 42));
                Batcher b = Batcher.create(data, BatchOptions.shuffled(16, 42));
                Batcher other = Batcher.create(data, BatchOptions.shuffled(16, 43))) {
            List<int[]> a0 = epoch(a, 0, 2);
            List<int[]> a1 = epoch(a, 1, 2);
            epoch(b, 5, 2);
            List<int[]> b1 = epoch(b, 1, 2);
            List<int[]> b0 = epoch(b, 0, 2);
            assertTrue(deepEquals(a0, b0), "resuming at an epoch reproduces it");
            assertTrue(deepEquals(a1, b1));
            assertFalse(deepEquals(a0, a1), "epochs are shuffled differently");
            assertFalse(deepEquals(a0, epoch(other, 0, 2)), "seeds are shuffled differently");
        }
    }

    private static boolean deepEquals(List<int[]> x, List<int[]> y) {
        return x.size() == y.size() && java.util.stream.IntStream.range(0, x.size())
                .allMatch(i -> Arrays.equals(x.get(i), y.get(i)));
    }

    @Test
    void inOrderBatchesFollowTheDataset() {
        try (Dataset data = indexed(10, 1); Batcher batches = Batcher.create(data, BatchOptions.inOrder(4))) {
            List<int[]> rows = epoch(batches, 7, 1);
            assertArrayEquals(new int[] {0, 1, 2, 3}, rows.get(0));
            assertArrayEquals(new int[] {8, 9}, rows.get(2));
            assertEquals(3, batches.batchesPerEpoch());
        }
    }

    @Test
    void shortLastBatchAndDropLast() {
        try (Dataset data = indexed(10, 2);
                Batcher keep = Batcher.create(data, BatchOptions.shuffled(4, 1));
                Batcher drop = Batcher.create(data, BatchOptions.shuffled(4, 1).withDropLast(true))) {
            keep.startEpoch(0);
            keep.next();
            Tensor full = keep.features();
            keep.next();
            assertSame(full, keep.features(), "full batches reuse one tensor");
            keep.next();
            assertEquals(2, keep.rows());
            assertEquals(2, keep.features().rows());
            assertFalse(keep.next());
            assertThrows(IllegalStateException.class, keep::features);
            assertEquals(2, drop.batchesPerEpoch());
            assertEquals(2, epoch(drop, 0, 2).size());
        }
        try (Dataset tiny = indexed(3, 1)) {
            assertThrows(IllegalArgumentException.class,
                    () -> Batcher.create(tiny, BatchOptions.shuffled(4, 1).withDropLast(true)));
            try (Batcher small = Batcher.create(tiny, BatchOptions.shuffled(4, 1))) {
                assertEquals(1, epoch(small, 0, 1).size());
            }
        }
    }

    @Test
    void closingTheBatcherFreesTheBufferButNotTheDataset() {
        try (Dataset data = indexed(8, 2)) {
            Batcher batches = Batcher.create(data, BatchOptions.inOrder(4));
            batches.startEpoch(0);
            batches.next();
            Tensor x = batches.features();
            batches.close();
            assertThrows(IllegalStateException.class, () -> x.get(0, 0));
            assertThrows(IllegalStateException.class, () -> batches.startEpoch(1));
            assertEquals(7f, data.get(7, 0));
        }
    }

    @Test
    void unlabelledDatasetsHaveNoBatchLabels() {
        try (Dataset data = Dataset.copyOf("u", new float[] {1, 2}, 2, 1, null);
                Batcher batches = Batcher.create(data, BatchOptions.inOrder(2))) {
            batches.startEpoch(0);
            assertTrue(batches.next());
            assertThrows(IllegalStateException.class, batches::labels);
        }
    }

    @Test
    void steadyStateBatchingAllocatesNothing() {
        try (Dataset data = indexed(1000, 784);
                Batcher batches = Batcher.create(data, BatchOptions.shuffled(128, 9))) {
            assertBatchingAllocatesNothing(batches);
        }
    }

    @Test
    void batchesCopiedOnAPoolAreTheSameAndAllocateNothing() {
        try (Dataset data = indexed(1000, 784); ComputePool pool = ComputePool.create(2);
                Batcher serial = Batcher.create(data, BatchOptions.shuffled(128, 9));
                Batcher parallel = Batcher.create(data, BatchOptions.shuffled(128, 9), pool)) {
            serial.startEpoch(3);
            parallel.startEpoch(3);
            while (serial.next()) {
                assertTrue(parallel.next());
                assertArrayEquals(serial.features().toFloatArray(), parallel.features().toFloatArray());
                assertArrayEquals(serial.labels(), parallel.labels());
            }
            assertBatchingAllocatesNothing(parallel);
        }
    }

    private static void assertBatchingAllocatesNothing(Batcher batches) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        long checksum = drain(batches, 0, 20);
        long tid = Thread.currentThread().threadId();
        // Steady state is reached once the JIT has compiled the loop: until then a round may allocate (class
        // loading, deoptimization), so rounds repeat until one is clean, and one clean round must come.
        long fewest = Long.MAX_VALUE;
        for (int round = 0; round < 10 && fewest > 0; round++) {
            long before = threads.getThreadAllocatedBytes(tid);
            checksum += drain(batches, 20 + 20 * round, 40 + 20 * round);
            long after = threads.getThreadAllocatedBytes(tid);
            fewest = Math.min(fewest, after - before);
        }
        assertNotEquals(0, checksum);
        assertEquals(0, fewest, "heap bytes allocated over 160 batches in 20 epochs, in the cleanest round");
    }

    /** Runs epochs [from, to) and returns a checksum so that the work cannot be optimized away. */
    private static long drain(Batcher batches, int from, int to) {
        long sum = 0;
        for (int e = from; e < to; e++) {
            batches.startEpoch(e);
            while (batches.next()) {
                Tensor x = batches.features();
                sum += batches.labels()[0] + (long) x.get(x.rows() - 1, 0) + batches.rows();
            }
        }
        return sum;
    }
}
