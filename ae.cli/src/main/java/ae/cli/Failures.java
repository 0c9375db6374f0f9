package ae.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * One line for a failure. Files that are missing, unreadable or malformed, and configurations the models reject,
 * are the user's to fix, so their line says only what is wrong; anything else is a fault of ae and names the
 * exception's type, pointing to {@code --verbose} for the trace.
 */
final class Failures {
    private Failures() {
    }

    static boolean isExpected(Throwable e) {
        return e instanceof IOException || e instanceof UncheckedIOException || e instanceof IllegalArgumentException;
    }

    static String describe(Throwable e) {
        return switch (e) {
            case UncheckedIOException unchecked when unchecked.getCause() != null -> {
                String context = firstLine(unchecked.getMessage());
                String cause = describe(unchecked.getCause());
                yield context.isEmpty() || context.equals(unchecked.getCause().toString()) ? cause
                        : context + ": " + cause;
            }
            case NoSuchFileException missing -> "no such file or folder: " + missing.getFile()
                    + reason(missing);
            case AccessDeniedException denied -> "permission denied: " + denied.getFile() + reason(denied);
            case FileAlreadyExistsException exists -> "already exists: " + exists.getFile() + reason(exists);
            case NotDirectoryException notFolder -> "not a folder: " + notFolder.getFile() + reason(notFolder);
            case FileSystemException other -> firstLine(other.getMessage());
            case IOException io when io.getMessage() != null -> firstLine(io.getMessage());
            case IllegalArgumentException wrong when wrong.getMessage() != null -> firstLine(wrong.getMessage());
            default -> {
                String message = e.getMessage();
                yield e.getClass().getSimpleName() + (message == null ? "" : ": " + firstLine(message));
            }
        };
    }

    private static String reason(FileSystemException e) {
        return e.getReason() == null ? "" : " (" + e.getReason() + ")";
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }
}
