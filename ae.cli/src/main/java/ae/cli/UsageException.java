package ae.cli;

/** The command line itself is wrong: an unknown command or option, a missing or malformed value. Exit code 2. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
