package ae.models.retrieval;

import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Coverage-guided fuzz targets (Jazzer) for the index file reader ({@code .aeh}, docs/index-format.md).
 * {@link #index} appends the right CRC32C to the fuzzer's bytes, so that mutations reach the row ids, labels and
 * codes behind the checksum; {@link #indexBytes} takes the bytes as they are. The committed corpus
 * ({@code src/test/resources/ae/models/retrieval/IndexFileFuzzTestInputs/}) replays in the normal run;
 * {@code ./verify --fuzz} fuzzes (docs/fuzzing.md).
 *
 * <p>Allowed outcomes: an index that answers a search, or an {@link IndexFormatException} naming the file and the
 * byte offset at fault; never another exception, an {@link OutOfMemoryError}, or more than
 * {@value #HEAP_BYTES_PER_FILE_BYTE} bytes of heap per byte of the file (the bytes read, the arrays decoded from
 * them, and the index's copies of them) beyond a fixed allowance.
 */
class IndexFileFuzzTest {
    private static final int HEAP_BYTES_PER_FILE_BYTE = 8;
    private static final long HEAP_ALLOWANCE = 1 << 20;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final Path DIR = temporaryFolder();

    static {
        // The first read and search load and initialize classes: heap that no input is to blame for.
        try {
            Path file = DIR.resolve("warm-up.aeh");
            IndexFiles.write(file, new HammingIndex(new BinaryCodes(2, 70, new long[] {1, 2, 3, 0}),
                    new long[] {4, 9}, new int[] {0, 1}));
            search(IndexFiles.read(file));
            Files.write(file, new byte[0]);
            IndexFiles.read(file);
        } catch (IndexFormatException expected) {
            // The empty file, to load the exception's classes.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest
    void index(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        check(ByteBuffer.allocate(body.length + 4).order(ByteOrder.LITTLE_ENDIAN).put(body)
                .putInt((int) crc.getValue()).array());
    }

    @FuzzTest
    void indexBytes(byte[] file) {
        check(file);
    }

    private static void check(byte[] bytes) {
        Path file = DIR.resolve("fuzz.aeh");
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            search(IndexFiles.read(file));
        } catch (IndexFormatException expected) {
            String message = expected.getMessage();
            if (!message.startsWith(file + ": byte offset " + expected.offset() + ", ")
                    || expected.offset() < 0 || expected.offset() > bytes.length) {
                fail("message does not name the file and an offset within it: " + message);
            }
        } catch (IOException | RuntimeException | Error other) {
            throw new AssertionError(other + " is neither an index nor an IndexFormatException", other);
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        if (allocated > (long) HEAP_BYTES_PER_FILE_BYTE * bytes.length + HEAP_ALLOWANCE) {
            fail("allocated " + allocated + " heap bytes to read an index file of " + bytes.length);
        }
    }

    /** The three codes nearest the all-zero code, to use what was read. */
    private static void search(HammingIndex index) {
        index.nearest(new long[index.wordsPerCode()], 3);
    }

    private static Path temporaryFolder() {
        try {
            Path dir = Files.createTempDirectory("ae-index-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
