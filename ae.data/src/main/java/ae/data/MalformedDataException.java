package ae.data;

import java.io.IOException;
import java.util.Objects;

/**
 * A data file whose contents break its format: a wrong magic number, a header that does not fit the file, a
 * truncated or corrupt gzip stream, a ragged or non-numeric CSV row, a NaN or an infinity.
 *
 * <p>It is an {@link IOException} so that a caller handling "could not load the data" catches one type. The message
 * always names the file, where in it the problem is (a byte offset, or a line for text formats) and the field, so
 * that a user can open the file and look. For gzip files the byte offset counts decompressed bytes.
 */
public final class MalformedDataException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Whether {@link #position()} is a byte offset or a 1-based line number. */
    public enum PositionKind {
        /** A position counted in bytes from the start of the (decompressed) stream. */
        BYTE_OFFSET("byte offset"),
        /** A position counted in lines, from 1. */
        LINE("line");

        private final String label;

        PositionKind(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** The file or resource at fault. */
    private final String source;
    /** Whether {@link #position} counts bytes or lines. */
    private final PositionKind positionKind;
    /** The byte offset or line of the fault. */
    private final long position;
    /** The field at fault, e.g. {@code magic number} or {@code column 3}. */
    private final String field;

    private MalformedDataException(String source, PositionKind positionKind, long position, String field,
            String problem, Throwable cause) {
        super(source + ": " + positionKind + " " + position + ", " + field + ": " + problem, cause);
        this.source = Objects.requireNonNull(source, "source");
        this.positionKind = positionKind;
        this.position = position;
        this.field = Objects.requireNonNull(field, "field");
    }

    /** A problem in a binary file, {@code offset} bytes from its start (decompressed bytes for gzip). */
    public static MalformedDataException atOffset(String source, long offset, String field, String problem) {
        return new MalformedDataException(source, PositionKind.BYTE_OFFSET, offset, field, problem, null);
    }

    /** As {@link #atOffset(String, long, String, String)}, keeping the lower-level exception that revealed it. */
    public static MalformedDataException atOffset(String source, long offset, String field, String problem,
            Throwable cause) {
        return new MalformedDataException(source, PositionKind.BYTE_OFFSET, offset, field, problem, cause);
    }

    /** A problem in a text file at 1-based {@code line}. */
    public static MalformedDataException atLine(String source, long line, String field, String problem) {
        return new MalformedDataException(source, PositionKind.LINE, line, field, problem, null);
    }

    /** The file (or resource) the problem is in. */
    public String source() {
        return source;
    }

    /** Whether {@link #position()} is a byte offset or a line number. */
    public PositionKind positionKind() {
        return positionKind;
    }

    /** The byte offset or the 1-based line number, as {@link #positionKind()} says. */
    public long position() {
        return position;
    }

    /** The header field, data section or CSV column the problem is in. */
    public String field() {
        return field;
    }
}
