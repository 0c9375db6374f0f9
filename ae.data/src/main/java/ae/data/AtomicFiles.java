package ae.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see either the old file or the complete new one, never half of it: the bytes go
 * to a temporary file in the same folder, are forced to disk, and the temporary file is renamed over the target.
 * Every file ae writes (datasets, checkpoints, pictures, tables) goes through here.
 */
public final class AtomicFiles {
    /** Writes the content of the file; an exception leaves the previous file, if any, untouched. */
    @FunctionalInterface
    public interface Body {
        /**
         * Writes the whole content to {@code out} (the temporary file); an exception abandons the write.
         *
         * @throws IOException if writing fails; it propagates to {@link AtomicFiles#write}'s caller
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes the content of the file through its channel, for writers that manage their own buffers. */
    @FunctionalInterface
    public interface ChannelBody {
        /**
         * Writes the whole content to {@code channel} (the temporary file's, positioned at 0); an exception abandons
         * the write.
         *
         * @throws IOException if writing fails; it propagates to {@link AtomicFiles#writeChannel}'s caller
         */
        void writeTo(FileChannel channel) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} atomically, creating its folder if needed.
     *
     * @throws IOException if the folder cannot be created or the file cannot be written or renamed; the target is
     *         then unchanged
     */
    public static void write(Path target, Body body) throws IOException {
        writeChannel(target, channel -> {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            body.writeTo(out);
            out.flush();
        });
    }

    /**
     * Writes {@code target} atomically through a channel, creating its folder if needed; as {@link #write}.
     *
     * @throws IOException if the folder cannot be created or the file cannot be written or renamed; the target is
     *         then unchanged
     */
    public static void writeChannel(Path target, ChannelBody body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        Files.createDirectories(folder);
        Path temp = null;
        FileChannel channel = null;
        // Not Files.createTempFile: its files are private (0600) and the rename would keep that, while what ae
        // writes is meant to be read like any file the user creates (the umask decides).
        while (channel == null) {
            temp = folder.resolve("." + absolute.getFileName() + "."
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
            } catch (FileAlreadyExistsException taken) {
                channel = null;
            }
        }
        boolean moved = false;
        try {
            try (FileChannel open = channel) {
                body.writeTo(open);
                open.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }
}
