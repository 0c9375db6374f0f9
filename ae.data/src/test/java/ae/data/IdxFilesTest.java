package ae.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFilesTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void readsRawAndGzipImagesAsPixelsOverTwoFiftyFive() throws IOException {
        byte[] raw = TestFiles.idx(3, 2, 4);
        for (Path images : new Path[] {write("img", raw), write("img.gz", TestFiles.gzip(raw))}) {
            Path labels = write("lab", TestFiles.idxLabels(4, 0, 9));
            try (Dataset d = IdxFiles.read(images, labels, "tiny")) {
                assertEquals(3, d.size());
                assertEquals(8, d.dimension());
                assertArrayEquals(new int[] {4, 0, 9}, d.labels());
                for (int i = 0; i < 24; i++) {
                    assertEquals(((i * 7 + 3) & 0xFF) / 255f, d.get(i / 8, i % 8), "element " + i);
                }
            }
        }
    }

    @Test
    void everyByteValueMapsToItsCorrectlyRoundedQuotient() throws IOException {
        byte[] raw = new byte[12 + 256];
        ByteBuffer.wrap(raw).put((byte) 0).put((byte) 0).put((byte) 8).put((byte) 2).putInt(1).putInt(256);
        for (int v = 0; v < 256; v++) {
            raw[12 + v] = (byte) v;
        }
        try (Dataset d = IdxFiles.readImages(write("all", raw), "all")) {
            for (int v = 0; v < 256; v++) {
                assertEquals((float) ((double) v / 255), d.get(0, v));
            }
            assertEquals(0f, d.get(0, 0));
            assertEquals(1f, d.get(0, 255));
        }
    }

    @Test
    void labelsAloneAndMultiChunkPayload() throws IOException {
        int n = DecodedStream.CHUNK_BYTES / 100 + 3;
        byte[] raw = TestFiles.idx(n, 10, 10);
        try (Dataset d = IdxFiles.readImages(write("big.gz", TestFiles.gzip(raw)), "big")) {
            assertEquals(n, d.size());
            long last = (long) n * 100 - 1;
            assertEquals(((last * 7 + 3) & 0xFF) / 255f, d.get(n - 1, 99));
        }
        assertArrayEquals(new int[] {1, 2, 255}, IdxFiles.readLabels(write("l", TestFiles.idxLabels(1, 2, 255))));
    }

    private MalformedDataException malformed(byte[] images, byte[] labels) throws IOException {
        Path i = write("images-under-test", images);
        Path l = write("labels-under-test", labels);
        return assertThrows(MalformedDataException.class, () -> IdxFiles.read(i, l, "bad").close());
    }

    private static void assertNames(MalformedDataException e, String file, String field, long offset) {
        assertTrue(e.getMessage().contains(file), e.getMessage());
        assertTrue(e.field().contains(field), e.field() + " / " + e.getMessage());
        assertEquals(offset, e.position(), e.getMessage());
        assertEquals(MalformedDataException.PositionKind.BYTE_OFFSET, e.positionKind());
    }

    @Test
    void wrongMagicNumberIsNamed() throws IOException {
        byte[] images = TestFiles.idx(2, 2, 2);
        images[1] = 0x42;
        assertNames(malformed(images, TestFiles.idxLabels(1, 2)), "images-under-test", "magic number", 0);
        byte[] wrongType = TestFiles.idx(2, 2, 2);
        wrongType[2] = 0x0D;
        assertNames(malformed(wrongType, TestFiles.idxLabels(1, 2)), "images-under-test", "data type", 2);
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        MalformedDataException e = malformed(TestFiles.idx(3, 2, 2), TestFiles.idxLabels(1, 2));
        assertNames(e, "labels-under-test", "label count", 4);
        assertTrue(e.getMessage().contains("images-under-test") && e.getMessage().contains("3 images"), e.getMessage());
    }

    @Test
    void countsThatExceedTheFileAreRejectedBeforeAllocating() throws IOException {
        byte[] images = TestFiles.idx(2, 2, 2);
        ByteBuffer.wrap(images).putInt(4, 1_000_000_000);
        byte[] labels = TestFiles.idxLabels(new int[2]);
        ByteBuffer.wrap(labels).putInt(4, 1_000_000_000);
        assertNames(malformed(images, labels), "images-under-test", "pixel data", 16);
        assertNames(malformed(TestFiles.gzip(images), TestFiles.gzip(labels)), "images-under-test", "pixel data", 16);
    }

    @Test
    void dimensionsWhoseProductOverflowsAreRejected() throws IOException {
        byte[] images = TestFiles.idx(1, 1, 1);
        ByteBuffer.wrap(images).putInt(8, 0x10000).putInt(12, 0x10000);
        MalformedDataException e = malformed(images, TestFiles.idxLabels(0));
        assertNames(e, "images-under-test", "dimension 2", 12);
        assertTrue(e.getMessage().contains("overflow"), e.getMessage());
        byte[] huge = TestFiles.idx(1, 1, 1);
        ByteBuffer.wrap(huge).putInt(8, -1);
        assertNames(malformed(huge, TestFiles.idxLabels(0)), "images-under-test", "dimension 1 (rows)", 8);
    }

    @Test
    void truncatedRawAndGzipFilesAreRejected() throws IOException {
        byte[] images = TestFiles.idx(2, 3, 3);
        byte[] cut = Arrays.copyOf(images, images.length - 1);
        assertTrue(malformed(cut, TestFiles.idxLabels(1, 2)).getMessage().contains("truncated"));
        byte[] gz = TestFiles.gzip(images);
        MalformedDataException e = malformed(Arrays.copyOf(gz, gz.length - 12), TestFiles.idxLabels(1, 2));
        assertTrue(e.getMessage().contains("images-under-test"), e.getMessage());
        byte[] headerOnly = Arrays.copyOf(images, 10);
        assertNames(malformed(headerOnly, TestFiles.idxLabels(1, 2)), "images-under-test", "dimension count", 3);
        MalformedDataException gzipHeaderCut = malformed(TestFiles.gzip(headerOnly), TestFiles.idxLabels(1, 2));
        assertNames(gzipHeaderCut, "images-under-test", "dimension 1", 8);
        assertTrue(gzipHeaderCut.getMessage().contains("truncated"), gzipHeaderCut.getMessage());
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        byte[] images = Arrays.copyOf(TestFiles.idx(2, 2, 2), 16 + 8 + 1);
        assertTrue(malformed(images, TestFiles.idxLabels(1, 2)).getMessage().contains("trailing"));
        MalformedDataException e = malformed(TestFiles.gzip(images), TestFiles.idxLabels(1, 2));
        assertTrue(e.getMessage().contains("continues past"), e.getMessage());
    }

    @Test
    void corruptGzipCrcIsRejected() throws IOException {
        byte[] gz = TestFiles.gzip(TestFiles.idx(2, 2, 2));
        gz[gz.length - 6] ^= 1;
        MalformedDataException e = malformed(gz, TestFiles.idxLabels(1, 2));
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void labelFileGivenAsImagesIsExplained() throws IOException {
        MalformedDataException e = malformed(TestFiles.idxLabels(1, 2), TestFiles.idxLabels(1, 2));
        assertNames(e, "images-under-test", "dimension count", 3);
        assertTrue(e.getMessage().contains("label file"), e.getMessage());
    }

    @Test
    void countsBeyondTheElementLimitAreRejected() throws IOException {
        byte[] images = TestFiles.idx(2, 2, 2);
        ByteBuffer.wrap(images).putInt(4, 2_000_000_000);
        MalformedDataException e = malformed(images, TestFiles.idxLabels(1, 2));
        assertNames(e, "images-under-test", "image count", 4);
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
    }

    @Test
    void zeroCountIsRejected() throws IOException {
        byte[] images = TestFiles.idx(1, 2, 2);
        ByteBuffer.wrap(images).putInt(4, 0);
        assertNames(malformed(Arrays.copyOf(images, 16), TestFiles.idxLabels()), "images-under-test", "image count", 4);
    }
}
