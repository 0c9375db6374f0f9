package ae.cli.output;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import javax.imageio.ImageIO;

/**
 * Files the commands write themselves (pictures, CSV): the bytes go to a temporary file beside the target, are
 * forced to disk and renamed over it, so a reader, or a run that fails midway, never sees half a file.
 */
public final class OutputFiles {
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private OutputFiles() {
    }

    public static void write(Path target, Body body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        Files.createDirectories(folder);
        Path temp = null;
        FileChannel channel = null;
        // Not Files.createTempFile: its files are private (0600) and the rename would keep that, while pictures
        // and tables are meant to be read like any file the user creates (the umask decides).
        while (channel == null) {
            temp = folder.resolve("." + absolute.getFileName() + "." + Long.toUnsignedString(
                    java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                channel = null;
            }
        }
        boolean moved = false;
        try {
            try (FileChannel open = channel) {
                OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(open), 1 << 16);
                body.writeTo(out);
                out.flush();
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

    public static void writePng(Path target, BufferedImage image) throws IOException {
        write(target, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer in this JDK");
            }
        });
    }

    /** UTF-8 text, written through {@code body}. */
    public static void writeText(Path target, TextBody body) throws IOException {
        write(target, out -> {
            Writer writer = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
            body.writeTo(writer);
            writer.flush();
        });
    }

    @FunctionalInterface
    public interface TextBody {
        void writeTo(Writer out) throws IOException;
    }
}
