package ae.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyFilesTest {
    @TempDir
    Path dir;

    @Test
    void float32AndFloat64TensorsRoundTrip() {
        // Few examples: every write forces the file to disk, which costs tens of milliseconds.
        qt().withExamples(20).forAll(integers().between(1, 40), integers().between(1, 40)).checkAssert((rows, cols) -> {
            try (TensorScope scope = TensorScope.open("npy")) {
                Tensor f = scope.allocateFloat(rows, cols);
                Tensor g = scope.allocateDouble(rows, cols);
                for (int i = 0; i < rows * cols; i++) {
                    f.setFlat(i, Math.sin(i) * 1e3);
                    g.setFlat(i, Math.cos(i));
                }
                Path pf = dir.resolve("f.npy");
                Path pg = dir.resolve("g.npy");
                NpyFiles.write(pf, f);
                NpyFiles.write(pg, g);
                assertEquals(0, (Files.size(pf) - 4L * rows * cols) % 64, "data starts on a 64-byte boundary");
                try (Dataset df = NpyFiles.read(pf, "f"); Dataset dg = NpyFiles.read(pg, "g")) {
                    assertArrayEquals(f.toFloatArray(), df.features().toFloatArray());
                    assertArrayEquals(g.toFloatArray(), dg.features().toFloatArray());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void transposedViewsAreWrittenInRowMajorOrder() throws IOException {
        try (TensorScope scope = TensorScope.open("npy")) {
            Tensor t = scope.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).transpose();
            Path p = dir.resolve("t.npy");
            NpyFiles.write(p, t);
            try (Dataset d = NpyFiles.read(p, "t")) {
                assertEquals(3, d.size());
                assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, d.features().toFloatArray());
            }
        }
    }

    @Test
    void headerIsWhatNumpyWrites() {
        byte[] h = NpyArray.header("<f4", new int[] {3, 4});
        String text = new String(h, 10, h.length - 10, StandardCharsets.US_ASCII);
        assertTrue(text.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }"), text);
        assertTrue(text.endsWith(" \n"), text);
        assertEquals(0, h.length % 64);
        String vector = new String(NpyArray.header("<i4", new int[] {7}), StandardCharsets.US_ASCII);
        assertTrue(vector.contains("'shape': (7,)"), vector);
    }

    @Test
    void readsUint8BigEndianAndHigherRankArrays() throws IOException {
        Path u8 = dir.resolve("u8.npy");
        Files.write(u8, TestFiles.npy("|u1", "(2, 3)", new byte[] {0, 1, 2, (byte) 253, (byte) 254, (byte) 255}, false));
        try (Dataset d = NpyFiles.read(u8, "u8")) {
            assertArrayEquals(new float[] {0, 1, 2, 253, 254, 255}, d.features().toFloatArray());
        }
        ByteBuffer big = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putDouble(1.25).putDouble(-3);
        Path f8 = dir.resolve("f8.npy");
        Files.write(f8, TestFiles.npy(">f8", "(2,)", big.array(), false));
        try (Dataset d = NpyFiles.read(f8, "f8")) {
            assertEquals(2, d.size());
            assertEquals(1, d.dimension());
            assertArrayEquals(new float[] {1.25f, -3}, d.features().toFloatArray());
        }
        Path cube = dir.resolve("cube.npy");
        Files.write(cube, TestFiles.npy("|u1", "(2, 2, 2)", new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, false));
        try (Dataset d = NpyFiles.read(cube, "cube")) {
            assertEquals(4, d.dimension());
            assertEquals(5f, d.get(1, 0));
        }
    }

    private MalformedDataException malformed(byte[] bytes) throws IOException {
        Path p = dir.resolve("bad.npy");
        Files.write(p, bytes);
        return assertThrows(MalformedDataException.class, () -> NpyFiles.read(p, "bad").close());
    }

    private static void assertNames(MalformedDataException e, String field, String problem) {
        assertTrue(e.getMessage().contains("bad.npy"), e.getMessage());
        assertTrue(e.field().contains(field), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void badHeadersAreNamed() throws IOException {
        byte[] good = TestFiles.npy("<f4", "(1, 1)", new byte[4], false);
        byte[] magic = good.clone();
        magic[1] = 'X';
        assertNames(malformed(magic), "magic string", "not an NPY file");
        byte[] version = good.clone();
        version[6] = 9;
        assertNames(malformed(version), "format version", "9");
        byte[] length = good.clone();
        length[8] = (byte) 0xFF;
        length[9] = (byte) 0x7F;
        assertNames(malformed(length), "header length", "past the end");
        assertNames(malformed(TestFiles.npy("<i8", "(1,)", new byte[8], false)), "descr", "'<i8' is not supported");
        assertNames(malformed(TestFiles.npy("<f4", "(1, 1)", new byte[4], true)), "fortran_order", "Fortran");
        assertNames(malformed(TestFiles.npy("<f4", "()", new byte[4], false)), "shape", "scalar");
        assertNames(malformed(TestFiles.npy("<f4", "(3, 0)", new byte[0], false)), "shape", "is 0");
        assertNames(malformed(TestFiles.npy("<f4", "(1, 65536, 65536)", new byte[4], false)), "shape", "overflow");
        assertNames(malformed(TestFiles.npy("<f4", "(4000000, 100)", new byte[4], false)), "data", "needs 1600000000 bytes");
        assertNames(malformed(TestFiles.npy("<f4", "(1, 2)", new byte[12], false)), "data", "holds 12");
        assertNames(malformed(TestFiles.npy("<f4", "(1, x)", new byte[4], false)), "header", "integer");
    }

    @Test
    void nanInfinityAndOutOfRangeValuesNameTheElement() throws IOException {
        ByteBuffer f4 = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(2).putFloat(Float.NaN);
        MalformedDataException e = malformed(TestFiles.npy("<f4", "(1, 3)", f4.array(), false));
        assertNames(e, "data[0, 2]", "NaN");
        assertEquals(128 + 8, e.position());
        ByteBuffer f8 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1).putDouble(1e300);
        assertNames(malformed(TestFiles.npy("<f8", "(2, 1)", f8.array(), false)), "data[1, 0]", "float32's range");
        ByteBuffer inf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(Double.NEGATIVE_INFINITY);
        assertNames(malformed(TestFiles.npy("<f8", "(1,)", inf.array(), false)), "data[0, 0]", "infinities");
    }

    @Test
    void npzHoldsOneNpyEntryPerArray() throws IOException {
        for (boolean compressed : new boolean[] {false, true}) {
            try (Dataset d = Dataset.copyOf("small", new float[] {1, 2, 3, 4, 5, 6}, 3, 2, new int[] {7, 8, 9})) {
                Path p = dir.resolve("d" + compressed + ".npz");
                NpzWriter.write(p, d, compressed);
                try (ZipFile zip = new ZipFile(p.toFile())) {
                    List<String> names = zip.stream().map(ZipEntry::getName).toList();
                    assertEquals(List.of("features.npy", "labels.npy"), names);
                    assertEquals(compressed ? ZipEntry.DEFLATED : ZipEntry.STORED,
                            zip.getEntry("features.npy").getMethod());
                    Path features = dir.resolve("features.npy");
                    Files.write(features, zip.getInputStream(zip.getEntry("features.npy")).readAllBytes());
                    try (Dataset back = NpyFiles.read(features, "back")) {
                        assertArrayEquals(d.features().toFloatArray(), back.features().toFloatArray());
                    }
                    byte[] labels = zip.getInputStream(zip.getEntry("labels.npy")).readAllBytes();
                    int headerLength = (labels[8] & 0xFF) | (labels[9] & 0xFF) << 8;
                    String header = new String(labels, 10, headerLength, StandardCharsets.US_ASCII);
                    assertTrue(header.contains("'<i4'") && header.contains("(3,)"), header);
                    ByteBuffer values = ByteBuffer.wrap(labels, 10 + headerLength, 12).order(ByteOrder.LITTLE_ENDIAN);
                    assertArrayEquals(new int[] {7, 8, 9}, new int[] {values.getInt(), values.getInt(), values.getInt()});
                }
            }
        }
    }

    @Test
    void writersLeaveNoTemporaryFilesAndReplaceAtomically() throws IOException {
        Path p = dir.resolve("x.npy");
        try (TensorScope scope = TensorScope.open("npy")) {
            NpyFiles.write(p, scope.fromArray(new float[] {1}, 1, 1));
            NpyFiles.write(p, scope.fromArray(new float[] {2, 3}, 1, 2));
        }
        assertEquals(List.of("x.npy"), Arrays.asList(dir.toFile().list()));
        try (Dataset d = NpyFiles.read(p, "x")) {
            assertArrayEquals(new float[] {2, 3}, d.features().toFloatArray());
        }
        // The second array's memory is gone by the time the writer reaches it: the write fails half-way.
        TensorScope kept = TensorScope.open("kept");
        TensorScope freed = TensorScope.open("freed");
        NpzWriter writer = new NpzWriter().add("a", kept.fromArray(new float[] {1, 2}, 2))
                .add("b", freed.fromArray(new float[] {3}, 1));
        freed.close();
        assertThrows(IllegalStateException.class, () -> writer.write(dir.resolve("y.npz"), false));
        kept.close();
        assertEquals(List.of("x.npy"), Arrays.asList(dir.toFile().list()), "a failed write leaves nothing behind");
    }
}
