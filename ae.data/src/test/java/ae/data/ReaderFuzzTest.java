package ae.data;

import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzz targets (Jazzer) for every reader of untrusted bytes in ae.data. In the normal test run each
 * target replays its committed corpus ({@code src/test/resources/ae/data/ReaderFuzzTestInputs/<target>/}); under
 * {@code ./verify --fuzz} each is fuzzed for a bounded time (docs/fuzzing.md).
 *
 * <p>The only outcomes allowed: a non-empty dataset, or a {@link MalformedDataException} whose message names the
 * file; never another exception type, an {@link OutOfMemoryError}, or off-heap allocation beyond 4 bytes (one float)
 * per byte the file decodes to, and heap beyond a fixed allowance plus 64 bytes per decoded byte.
 */
class ReaderFuzzTest {
    /** Valid companions for the IDX targets, which fuzz one file of an image/label pair. */
    private static final byte[] IDX_IMAGES = TestFiles.idx(3, 4, 4);
    private static final byte[] IDX_LABELS = TestFiles.idxLabels(1, 2, 3);
    private static final long HEAP_ALLOWANCE = DecodedStream.CHUNK_BYTES + (2L << 20);
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    private static final Path DIR = temporaryFolder();

    static {
        // The first read of each kind loads and initializes classes, megabytes of heap that no input is to blame for.
        ReaderFuzzTest warm = new ReaderFuzzTest();
        try {
            warm.imagesWithLabels(write(TestFiles.gzip(IDX_IMAGES))).close();
            warm.labelsWithImages(write(IDX_LABELS)).close();
            NpyFiles.read(write(TestFiles.npyFloat32(3, 4)), "warm-up").close();
            CsvFiles.read(write("a,label\n1,2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    CsvOptions.defaults().withLabelColumn("label"), "warm-up").close();
            write(new byte[0]);
            NpyFiles.read(DIR.resolve("case"), "warm-up");
        } catch (MalformedDataException expected) {
            // The empty file, to load the exception's classes.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface Reader {
        Dataset read(Path file) throws IOException;
    }

    @FuzzTest
    void idxImages(byte[] input) {
        check(input, IDX_LABELS.length, this::imagesWithLabels);
    }

    /** The fuzzer's bytes as the decompressed content of a gzip IDX file. */
    @FuzzTest
    void idxImagesGzip(byte[] input) {
        check(TestFiles.gzip(input), IDX_LABELS.length, this::imagesWithLabels);
    }

    @FuzzTest
    void idxLabels(byte[] input) {
        check(input, IDX_IMAGES.length, this::labelsWithImages);
    }

    @FuzzTest
    void idxLabelsGzip(byte[] input) {
        check(TestFiles.gzip(input), IDX_IMAGES.length, this::labelsWithImages);
    }

    @FuzzTest
    void npy(byte[] input) {
        check(input, 0, file -> NpyFiles.read(file, "fuzz"));
    }

    @FuzzTest
    void csv(byte[] input) {
        // The first byte chooses the options, so that labelled, unlabelled and header-less files are all reached.
        int options = input.length == 0 ? 0 : input[0] & 3;
        byte[] text = input.length == 0 ? input : java.util.Arrays.copyOfRange(input, 1, input.length);
        CsvOptions csv = switch (options) {
            case 0 -> CsvOptions.defaults().withLabelColumn("label");
            case 1 -> CsvOptions.defaults().withHeader(false);
            default -> CsvOptions.defaults();
        };
        check(text, 0, file -> CsvFiles.read(file, csv, "fuzz"));
    }

    private Dataset imagesWithLabels(Path images) throws IOException {
        Path labels = DIR.resolve("labels");
        Files.write(labels, IDX_LABELS);
        return IdxFiles.read(images, labels, "fuzz");
    }

    private Dataset labelsWithImages(Path labels) throws IOException {
        Path images = DIR.resolve("images");
        Files.write(images, IDX_IMAGES);
        return IdxFiles.read(images, labels, "fuzz");
    }

    /**
     * Reads {@code bytes} as a file and fails on any outcome but a dataset or our exception naming the file, or on an
     * allocation out of proportion to what the file (and its valid companion of {@code companionBytes}) delivers.
     */
    private static void check(byte[] bytes, long companionBytes, Reader reader) {
        Path file = write(bytes);
        long delivered = HostileInputFuzzTest.decodedLength(bytes) + companionBytes;
        long thread = Thread.currentThread().threadId();
        long heapBefore = THREADS.getThreadAllocatedBytes(thread);
        long offHeapBefore = FeatureAllocation.bytesRequested();
        try (Dataset d = reader.read(file)) {
            if (d.size() < 1 || d.dimension() < 1) {
                fail("empty dataset " + d);
            }
        } catch (MalformedDataException expected) {
            if (!expected.getMessage().contains(file.toString())) {
                fail("message does not name the file: " + expected.getMessage());
            }
        } catch (IOException | RuntimeException | Error other) {
            throw new AssertionError(other + " is neither a dataset nor a MalformedDataException", other);
        }
        long offHeap = FeatureAllocation.bytesRequested() - offHeapBefore;
        long heap = THREADS.getThreadAllocatedBytes(thread) - heapBefore;
        if (offHeap > 4 * delivered) {
            fail("allocated " + offHeap + " off-heap bytes for a file delivering " + delivered);
        }
        if (heap > HEAP_ALLOWANCE + 64 * delivered) {
            fail("allocated " + heap + " heap bytes for a file delivering " + delivered);
        }
    }

    private static Path write(byte[] bytes) {
        Path file = DIR.resolve("case");
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static Path temporaryFolder() {
        try {
            Path dir = Files.createTempDirectory("ae-reader-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
