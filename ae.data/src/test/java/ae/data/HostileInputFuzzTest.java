package ae.data;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated valid files (truncated at every header byte and at random points, bytes flipped, header counts inflated,
 * in raw and gzip form) must give either a valid dataset or a {@link MalformedDataException}: never an
 * {@link OutOfMemoryError}, another exception type, or a hang.
 */
class HostileInputFuzzTest {
    /** A hang guard, not a speed limit: every case reads a file of a few hundred bytes. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);
    private static final int EXAMPLES = 300;
    /** Values a corrupt or hostile header count may hold: zero, edges of int and uint32, and large counts. */
    private static final int[] HOSTILE_COUNTS = {0, 1, 2, 255, 256, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF,
        0x0001_0000, 0x0100_0000, 1_000_000, 60_000, 0x4000_0000};

    @TempDir
    Path dir;

    private static final byte[] IDX_IMAGES = TestFiles.idx(3, 4, 4);
    private static final byte[] IDX_LABELS = TestFiles.idxLabels(1, 2, 3);
    private static final int IDX_IMAGE_HEADER = 16;
    private static final byte[] NPY = TestFiles.npyFloat32(3, 4);
    private static final byte[] CSV = "a,b,label\n1.5,-2,3\n\"4\",5e-1,0\n7,8,1\n".getBytes(StandardCharsets.UTF_8);

    @FunctionalInterface
    private interface Reader {
        Dataset read(Path file) throws IOException;
    }

    /**
     * Heap a read may take beyond what the file delivers: stream buffers, one payload chunk allocated before a
     * short file is noticed ({@link DecodedStream#CHUNK_BYTES}), exception messages.
     */
    private static final long HEAP_ALLOWANCE = DecodedStream.CHUNK_BYTES + (2L << 20);
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * Reads {@code bytes} as a file; any outcome but a dataset or our exception fails, naming the case, and so does
     * a read that allocates more than the file delivers: off-heap, at most 4 bytes (a float) per decoded byte of
     * this file and of the valid companion file ({@code companionBytes}) the reader also reads; on the heap, a
     * fixed allowance plus 64 bytes per decoded byte (CSV cells become strings).
     */
    private void check(String what, byte[] bytes, long companionBytes, Reader reader) {
        Path file = dir.resolve("case");
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long delivered = decodedLength(bytes) + companionBytes;
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            long thread = Thread.currentThread().threadId();
            long heapBefore = THREADS.getThreadAllocatedBytes(thread);
            long offHeapBefore = FeatureAllocation.bytesRequested();
            try (Dataset d = reader.read(file)) {
                if (d.size() < 1 || d.dimension() < 1) {
                    fail(what + ": empty dataset " + d);
                }
            } catch (MalformedDataException expected) {
                if (!expected.getMessage().contains(file.toString())) {
                    fail(what + ": message does not name the file: " + expected.getMessage());
                }
            } catch (Throwable other) {
                fail(what + ": " + other + " is neither a dataset nor MalformedDataException", other);
            }
            long offHeap = FeatureAllocation.bytesRequested() - offHeapBefore;
            long heap = THREADS.getThreadAllocatedBytes(thread) - heapBefore;
            if (offHeap > 4 * delivered) {
                fail(what + ": allocated " + offHeap + " off-heap bytes for a file delivering " + delivered);
            }
            if (heap > HEAP_ALLOWANCE + 64 * delivered) {
                fail(what + ": allocated " + heap + " heap bytes for a file delivering " + delivered);
            }
        }, what + " hung");
    }

    private void check(String what, byte[] bytes, Reader reader) {
        long companion = reader == idxImagesWithLabels ? IDX_LABELS.length
                : reader == idxLabelsWithImages ? IDX_IMAGES.length : 0;
        check(what, bytes, companion, reader);
    }

    /** Bytes the file decodes to: its length, or for gzip what inflates before the end or the first error. */
    static long decodedLength(byte[] bytes) {
        if (bytes.length < 2 || (bytes[0] & 0xFF) != 0x1f || (bytes[1] & 0xFF) != 0x8b) {
            return bytes.length;
        }
        long total = 0;
        byte[] buffer = new byte[1 << 16];
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
            }
        } catch (IOException e) {
            // What inflated before the error is all the reader can have seen.
        }
        return total;
    }

    private final Reader idxImagesWithLabels = file -> {
        Path labels = dir.resolve("labels");
        Files.write(labels, IDX_LABELS);
        return IdxFiles.read(file, labels, "fuzz");
    };

    private final Reader idxLabelsWithImages = file -> {
        Path images = dir.resolve("images");
        Files.write(images, IDX_IMAGES);
        return IdxFiles.read(images, file, "fuzz");
    };

    private final Reader npy = file -> NpyFiles.read(file, "fuzz");

    private final Reader csv = file -> CsvFiles.read(file, CsvOptions.defaults().withLabelColumn("label"), "fuzz");

    @Test
    void truncationAtEveryOffsetOfSmallFiles() {
        byte[][] files = {IDX_IMAGES, TestFiles.gzip(IDX_IMAGES), NPY, TestFiles.gzip(NPY), CSV};
        Reader[] readers = {idxImagesWithLabels, idxImagesWithLabels, npy, npy, csv};
        for (int f = 0; f < files.length; f++) {
            for (int cut = 0; cut <= files[f].length; cut++) {
                check("file " + f + " cut at " + cut, Arrays.copyOf(files[f], cut), readers[f]);
            }
        }
        for (int cut = 0; cut <= IDX_LABELS.length; cut++) {
            check("labels cut at " + cut, Arrays.copyOf(IDX_LABELS, cut), idxLabelsWithImages);
        }
    }

    @Test
    void inflatedIdxCountsInEveryHeaderField() {
        for (int field = 4; field < IDX_IMAGE_HEADER; field += 4) {
            for (int count : HOSTILE_COUNTS) {
                byte[] images = IDX_IMAGES.clone();
                ByteBuffer.wrap(images).putInt(field, count);
                check("image header field " + field + " = " + Integer.toUnsignedString(count), images,
                        idxImagesWithLabels);
                check("gzip image header field " + field + " = " + Integer.toUnsignedString(count),
                        TestFiles.gzip(images), idxImagesWithLabels);
            }
        }
        for (int count : HOSTILE_COUNTS) {
            byte[] labels = IDX_LABELS.clone();
            ByteBuffer.wrap(labels).putInt(4, count);
            check("label count = " + Integer.toUnsignedString(count), labels, idxLabelsWithImages);
            check("gzip label count = " + Integer.toUnsignedString(count), TestFiles.gzip(labels),
                    idxLabelsWithImages);
        }
        for (int rank = 0; rank < 256; rank += 17) {
            byte[] images = IDX_IMAGES.clone();
            images[3] = (byte) rank;
            check("rank " + rank, images, idxImagesWithLabels);
        }
    }

    @Test
    void inflatedNpyShapes() {
        String[] shapes = {"(4294967296, 4294967296)", "(2147483647, 2147483647)", "(99999999999,)", "(3, 4, 0)",
            "(1, 65536, 65536)", "(1000000000, 4)", "(3, 4, 1, 1, 1, 1)", "(0,)", "()", "(3, -4)", "(3,4", "3, 4)",
            "(12,)", "(4, 3)", "(2147483648, 1)", "(9" + "9".repeat(40) + ",)"};
        byte[] payload = Arrays.copyOfRange(NPY, NPY.length - 48, NPY.length);
        for (String shape : shapes) {
            byte[] file = TestFiles.npy("<f4", shape, payload, false);
            check("npy shape " + shape, file, npy);
            check("gzip npy shape " + shape, TestFiles.gzip(file), npy);
        }
        for (int length : HOSTILE_COUNTS) {
            byte[] file = NPY.clone();
            file[8] = (byte) length;
            file[9] = (byte) (length >>> 8);
            check("npy header length " + length, file, npy);
            byte[] v2 = new byte[NPY.length + 2];
            System.arraycopy(NPY, 0, v2, 0, 8);
            v2[6] = 2;
            ByteBuffer.wrap(v2).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(8, length);
            System.arraycopy(NPY, 10, v2, 12, NPY.length - 10);
            check("npy v2 header length " + Integer.toUnsignedString(length), v2, npy);
        }
    }

    /** One random mutation of {@code valid}: a truncation, some byte flips, an overwritten int, or inserted bytes. */
    private static byte[] mutate(byte[] valid, SplittableRandom random, byte[] alphabet) {
        byte[] b = valid.clone();
        int rounds = 1 + random.nextInt(3);
        for (int r = 0; r < rounds && b.length > 0; r++) {
            switch (random.nextInt(4)) {
                case 0 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
                case 1 -> {
                    int flips = 1 + random.nextInt(4);
                    for (int i = 0; i < flips; i++) {
                        b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
                    }
                }
                case 2 -> {
                    if (b.length >= 4) {
                        int at = random.nextInt(Math.min(b.length - 3, 24));
                        ByteBuffer.wrap(b).putInt(at, HOSTILE_COUNTS[random.nextInt(HOSTILE_COUNTS.length)]);
                    }
                }
                default -> {
                    int at = random.nextInt(b.length + 1);
                    int n = 1 + random.nextInt(3);
                    byte[] grown = new byte[b.length + n];
                    System.arraycopy(b, 0, grown, 0, at);
                    for (int i = 0; i < n; i++) {
                        grown[at + i] = alphabet[random.nextInt(alphabet.length)];
                    }
                    System.arraycopy(b, at, grown, at + n, b.length - at);
                    b = grown;
                }
            }
        }
        return b;
    }

    private static final byte[] BINARY_ALPHABET = {0, 1, (byte) 0xFF, (byte) 0x80, 0x7F, 8, 3};
    private static final byte[] CSV_ALPHABET = ",\"\n\r .e-+9NaI\0\u00ff".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void randomMutationsOfIdxFiles() {
        qt().withExamples(EXAMPLES).forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom random = new SplittableRandom(seed);
            byte[] images = mutate(IDX_IMAGES, random, BINARY_ALPHABET);
            check("idx mutation " + seed, images, idxImagesWithLabels);
            check("gzip of idx mutation " + seed, TestFiles.gzip(images), idxImagesWithLabels);
            check("mutated gzip idx " + seed, mutate(TestFiles.gzip(IDX_IMAGES), random, BINARY_ALPHABET),
                    idxImagesWithLabels);
            check("idx label mutation " + seed, mutate(IDX_LABELS, random, BINARY_ALPHABET), idxLabelsWithImages);
        });
    }

    @Test
    void randomMutationsOfNpyFiles() {
        qt().withExamples(EXAMPLES).forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom random = new SplittableRandom(seed);
            byte[] file = mutate(NPY, random, BINARY_ALPHABET);
            check("npy mutation " + seed, file, npy);
            check("mutated gzip npy " + seed, mutate(TestFiles.gzip(NPY), random, BINARY_ALPHABET), npy);
        });
    }

    @Test
    void randomMutationsOfCsvFiles() {
        qt().withExamples(EXAMPLES).forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom random = new SplittableRandom(seed);
            check("csv mutation " + seed, mutate(CSV, random, CSV_ALPHABET), csv);
            check("unlabelled csv mutation " + seed, mutate(CSV, random, CSV_ALPHABET),
                    file -> CsvFiles.read(file, CsvOptions.defaults().withHeader(random.nextBoolean()), "fuzz"));
        });
    }
}
