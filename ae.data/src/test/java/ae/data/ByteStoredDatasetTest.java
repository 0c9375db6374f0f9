package ae.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import ae.tensor.ComputePool;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX images held as bytes: every way of reading rows gives b / 255, across the chunk boundaries of the storage. */
class ByteStoredDatasetTest {
    /** 784-byte rows do not divide a chunk, so rows straddle the boundaries between chunks. */
    private static final int COLS = 784;
    private static final int ROWS = DecodedStream.CHUNK_BYTES / COLS + 40;
    private static Path images;
    private static Dataset data;

    @BeforeAll
    static void write(@TempDir Path dir) throws IOException {
        images = dir.resolve("images-idx3-ubyte");
        Files.write(images, TestFiles.idx(ROWS, 28, 28));
        data = IdxFiles.readImages(images, "straddling");
    }

    @AfterAll
    static void close() {
        data.close();
    }

    /** Element i of {@link TestFiles#idx} scaled as the reader scales it. */
    private static float expected(long row, int col) {
        return (int) ((row * COLS + col) * 7 + 3 & 0xFF) / 255f;
    }

    private static void assertRow(long row, Tensor t, int at) {
        for (int c = 0; c < COLS; c++) {
            assertEquals(expected(row, c), t.get(at, c), "row " + row + ", column " + c);
        }
    }

    @Test
    void batchesCopiedOnAPoolAreTheBatchesOfOneThread() {
        assertTrue(data.isStoredAsBytes());
        try (ComputePool pool = ComputePool.create(3);
                Batcher serial = Batcher.create(data, BatchOptions.shuffled(100, 5));
                Batcher parallel = Batcher.create(data, BatchOptions.shuffled(100, 5), pool)) {
            for (int epoch = 0; epoch < 2; epoch++) {
                serial.startEpoch(epoch);
                parallel.startEpoch(epoch);
                while (serial.next()) {
                    assertTrue(parallel.next());
                    assertArrayEquals(serial.features().toFloatArray(), parallel.features().toFloatArray());
                    assertRow(serial.sourceRow(serial.rows() - 1), parallel.features(), parallel.rows() - 1);
                }
                assertFalse(parallel.next());
            }
            assertTrue(data.isStoredAsBytes(), "batching must not convert the whole set");
        }
    }

    @Test
    void rowsInAnyOrderConvertAsTheFileSays() {
        assertTrue(data.isStoredAsBytes());
        qt().withExamples(50).forAll(lists().of(integers().between(0, ROWS - 1)).ofSizeBetween(1, 20))
                .checkAssert(rows -> {
                    int[] order = rows.stream().mapToInt(Integer::intValue).toArray();
                    try (TensorScope scope = TensorScope.open("rows")) {
                        Tensor out = scope.allocateFloat(order.length, COLS);
                        data.copyRows(order, out);
                        for (int i = 0; i < order.length; i++) {
                            assertRow(order[i], out, i);
                            assertEquals(expected(order[i], 5), data.get(order[i], 5));
                        }
                    }
                });
        assertTrue(data.isStoredAsBytes(), "reading rows must not convert the whole set");
    }

    @Test
    void batchesAndSubsetsStayBytesAndAgree() {
        try (Batcher batches = Batcher.create(data, BatchOptions.shuffled(1000, 3));
             TensorScope scope = TensorScope.open("check")) {
            batches.startEpoch(0);
            int seen = 0;
            while (batches.next()) {
                for (int i = 0; i < batches.rows(); i += 97) {
                    assertRow(batches.sourceRow(i), batches.features(), i);
                }
                seen += batches.rows();
            }
            assertEquals(ROWS, seen);
            int[] picked = {ROWS - 1, 0, 5349, 5350, 5351, 5349};
            try (Dataset subset = data.subset("picked", picked)) {
                assertTrue(subset.isStoredAsBytes());
                Tensor range = scope.allocateFloat(3, COLS);
                subset.copyRows(2, 5, range);
                for (int i = 0; i < 3; i++) {
                    assertRow(picked[2 + i], range, i);
                }
                Tensor all = subset.features();
                assertFalse(subset.isStoredAsBytes());
                for (int i = 0; i < picked.length; i++) {
                    assertRow(picked[i], all, i);
                }
            }
        }
        assertTrue(data.isStoredAsBytes());
    }

    @Test
    void aSplitSharesTheBytesOutlivesItsParentAndMatchesTheFloatSplit() throws IOException {
        Dataset parent = IdxFiles.readImages(images, "parent");
        Dataset floats = IdxFiles.readImages(images, "floats");
        floats.features();
        try (floats;
             TrainValidationSplit split = parent.split(0.1, 11);
             TrainValidationSplit floatSplit = floats.split(0.1, 11);
             TensorScope scope = TensorScope.open("rows")) {
            parent.close();
            for (Dataset[] parts : new Dataset[][] {{split.train(), floatSplit.train()},
                    {split.validation(), floatSplit.validation()}}) {
                Dataset bytes = parts[0];
                Dataset reference = parts[1];
                assertTrue(bytes.isStoredAsBytes());
                assertFalse(reference.isStoredAsBytes());
                assertEquals(reference.size(), bytes.size());
                Tensor mine = scope.allocateFloat(bytes.size(), COLS);
                bytes.copyRows(0, bytes.size(), mine);
                assertArrayEquals(reference.features().toFloatArray(), mine.toFloatArray());
                int last = bytes.size() - 1;
                try (Dataset sub = bytes.subset("sub", new int[] {last, 0})) {
                    assertTrue(sub.isStoredAsBytes());
                    assertEquals(reference.get(last, 7), sub.get(0, 7));
                    assertEquals(reference.get(0, 700), sub.features().get(1, 700));
                }
                assertArrayEquals(reference.features().toFloatArray(), bytes.features().toFloatArray());
                assertFalse(bytes.isStoredAsBytes());
            }
        } finally {
            parent.close();
        }
    }

    @Test
    void featuresConvertOnceAndRowsStillRead() throws IOException {
        try (Dataset own = IdxFiles.readImages(images, "converted"); TensorScope scope = TensorScope.open("rows")) {
            Tensor all = own.features();
            assertFalse(own.isStoredAsBytes());
            assertTrue(all == own.features(), "converted once");
            for (int r : List.of(0, 5350, ROWS - 1)) {
                assertRow(r, all, r);
            }
            Tensor two = scope.allocateFloat(2, COLS);
            own.copyRows(new int[] {ROWS - 1, 1}, two);
            assertRow(ROWS - 1, two, 0);
            assertRow(1, two, 1);
            assertThrows(IllegalArgumentException.class, () -> own.copyRows(0, 3, two));
        }
    }
}
