package ae.cli.output;

import ae.data.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Files the commands write themselves (pictures, CSV): the bytes go to a temporary file beside the target, are
 * forced to disk and renamed over it, so a reader, or a run that fails midway, never sees half a file.
 */
public final class OutputFiles {
    private OutputFiles() {
    }

    /** Writes {@code target} atomically (see {@link AtomicFiles}). */
    public static void write(Path target, AtomicFiles.Body body) throws IOException {
        AtomicFiles.write(target, body);
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
