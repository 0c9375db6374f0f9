package ae.models.retrieval;

import java.io.IOException;

/**
 * A file that is not a readable ae index: the message names the file, the byte offset where the fault is (from the
 * start of the file) and what is wrong there, as {@code <file>: byte offset <n>, <problem>}.
 */
public final class IndexFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    /** A problem with index {@code file} at {@code offset} bytes from its start. */
    public IndexFormatException(String file, long offset, String problem) {
        super(file + ": byte offset " + offset + ", " + problem);
        this.offset = offset;
    }

    /** Bytes from the start of the file to the field at fault (the file's length for a truncated file). */
    public long offset() {
        return offset;
    }
}
