package ae.models;

import ae.autodiff.GraphBuilder;
import ae.autodiff.Node;
import java.util.List;

/** The encoder reads x as it is. */
public final class NoCorruption implements Corruption {
    static final NoCorruption INSTANCE = new NoCorruption();
    /** The part kind {@code none}, without settings. */
    public static final PartKind<NoCorruption> KIND = PartKind.of(NoCorruption.class, "none",
            "no corruption: the encoder reads x as it is", List.of(), v -> INSTANCE);

    private NoCorruption() {
    }

    @Override
    public PartKind<NoCorruption> kind() {
        return KIND;
    }

    @Override
    public Node apply(GraphBuilder builder, Node x) {
        return x;
    }

    @Override
    public String toString() {
        return "NoCorruption";
    }
}
