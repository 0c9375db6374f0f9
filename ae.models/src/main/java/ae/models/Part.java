package ae.models;

/**
 * A piece of a model that describes itself: an encoder, a reconstruction likelihood, a penalty, a corruption process
 * or a training procedure. Its {@link PartKind} gives its stable name, its settings with their defaults and one line of
 * help; from these the checkpoint's configuration text, the command line's options and help, {@code ae inspect} and
 * the description lines are derived, so nothing outside a part needs to know its type.
 */
public interface Part {
    /** What kind of part this is, with its settings. */
    PartKind<?> kind();

    /** One short line for people, e.g. {@code contractive (weight 0.1)}: the kind and its settings. */
    default String describe() {
        return PartKind.describeAny(this);
    }
}
