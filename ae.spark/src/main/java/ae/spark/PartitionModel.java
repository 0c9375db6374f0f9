package ae.spark;

import ae.models.FittedAutoencoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a model from checkpoint bytes (as broadcast to an executor); the model owns its off-heap memory. */
final class PartitionModel {
    private PartitionModel() {
    }

    static FittedAutoencoder open(byte[] checkpoint, int threads) {
        Path file = null;
        try {
            file = Files.createTempFile("ae-spark-", ".ckpt");
            Files.write(file, checkpoint);
            return FittedAutoencoder.load(file, threads);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the broadcast checkpoint", e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // A leftover temporary file is harmless; the model is already in memory.
                }
            }
        }
    }
}
