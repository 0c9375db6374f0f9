package ae.models.retrieval;

import java.io.IOException;

/** A file that is not a readable ae index: names the file and what is wrong with it. */
public final class IndexFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A problem with index {@code file}. */
    public IndexFormatException(String file, String problem) {
        super(file + ": " + problem);
    }
}
