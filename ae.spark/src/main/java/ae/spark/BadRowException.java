package ae.spark;

/** A row whose vector the model cannot take (null, of the wrong length, or not finite), named by column and key. */
public final class BadRowException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public BadRowException(String message) {
        super(message);
    }
}
