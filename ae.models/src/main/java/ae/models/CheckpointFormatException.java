package ae.models;

import java.io.IOException;

/** A checkpoint file that is not one this version can load: names the file and, where known, the offset and field. */
public final class CheckpointFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A problem with checkpoint {@code file} as a whole. */
    public CheckpointFormatException(String file, String problem) {
        super(file + ": " + problem);
    }

    /** A problem with the {@code field} at byte {@code offset} of checkpoint {@code file}. */
    public CheckpointFormatException(String file, long offset, String field, String problem) {
        super(file + " at byte " + offset + " (" + field + "): " + problem);
    }
}
