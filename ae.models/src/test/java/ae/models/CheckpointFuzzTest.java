package ae.models;

import static org.junit.jupiter.api.Assertions.fail;

import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Coverage-guided fuzz targets (Jazzer) for the checkpoint reader. {@link #checkpoint} appends the right CRC32C to
 * the fuzzer's bytes, so that mutations reach the configuration and tensor records behind the checksum;
 * {@link #checkpointBytes} takes the bytes as they are. The committed corpus
 * ({@code src/test/resources/ae/models/CheckpointFuzzTestInputs/}) replays in the normal run; {@code ./verify --fuzz}
 * fuzzes (docs/fuzzing.md).
 *
 * <p>Allowed outcomes: a model that loads and encodes a row, or a {@link CheckpointFormatException} naming the file;
 * never another exception, an {@link OutOfMemoryError}, or tensors of more than {@value #BYTES_PER_FILE_BYTE} bytes
 * per byte of the file (value and gradient, two optimizer moments and the best epoch's copy of each float stored).
 */
class CheckpointFuzzTest {
    private static final int BYTES_PER_FILE_BYTE = 8;
    /** Fixed scratch of an encode of one row, apart from the parameters. */
    private static final long ENCODE_ALLOWANCE = 1 << 20;
    private static final Path DIR = temporaryFolder();

    @FuzzTest
    void checkpoint(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        byte[] file = ByteBuffer.allocate(body.length + 4).order(ByteOrder.LITTLE_ENDIAN).put(body)
                .putInt((int) crc.getValue()).array();
        check(file);
    }

    @FuzzTest
    void checkpointBytes(byte[] file) {
        check(file);
    }

    private static void check(byte[] bytes) {
        Path file = DIR.resolve("model.ckpt");
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long before = TensorScope.totalBytesRequested();
        try (FittedAutoencoder model = FittedAutoencoder.load(file);
             TensorScope scope = TensorScope.open("fuzz row")) {
            Tensor row = scope.allocateFloat(1, model.config().inputDimension());
            model.encode(row, scope);
        } catch (CheckpointFormatException expected) {
            if (!expected.getMessage().contains(file.toString())) {
                fail("message does not name the file: " + expected.getMessage());
            }
        } catch (IOException | RuntimeException | Error other) {
            throw new AssertionError(other + " is neither a model nor a CheckpointFormatException", other);
        }
        long allocated = TensorScope.totalBytesRequested() - before;
        if (allocated > (long) BYTES_PER_FILE_BYTE * bytes.length + ENCODE_ALLOWANCE) {
            fail("allocated " + allocated + " off-heap bytes for a checkpoint of " + bytes.length);
        }
    }

    private static Path temporaryFolder() {
        try {
            Path dir = Files.createTempDirectory("ae-checkpoint-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
