package ae.cli.output;

import ae.cli.Option;
import ae.cli.UsageException;
import ae.data.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Files the commands write themselves (pictures, CSV): the bytes go to a temporary file beside the target, are
 * forced to disk and renamed over it, so a reader, or a run that fails midway, never sees half a file.
 */
public final class OutputFiles {
    private OutputFiles() {
    }

    /**
     * True if {@code target}, the value of {@code option}, ends in {@code first}, false if in {@code second} (either
     * case); a {@link UsageException} naming the option otherwise.
     */
    public static boolean endsInFirst(Option option, Path target, String first, String second) {
        String name = target.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean isFirst = name.endsWith(first);
        if (!isFirst && !name.endsWith(second)) {
            throw new UsageException(option.name() + " must end in " + first + " or " + second + ", got " + target);
        }
        return isFirst;
    }

    /** Writes {@code target} atomically (see {@link AtomicFiles}). */
    public static void write(Path target, AtomicFiles.Body body) throws IOException {
        AtomicFiles.write(target, body);
    }

    /** {@code image} as a PNG file (8-bit RGB, RGBA when it has alpha), written atomically. */
    public static void writePng(Path target, BufferedImage image) throws IOException {
        write(target, out -> PngEncoder.write(image, out));
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
