package ae.data;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Datasets by name, for the command line and for workloads that name their data:
 * <ul>
 * <li>{@code fashion-mnist}: the full Fashion-MNIST from {@link FashionMnist#defaultFolder()}; training split unless
 * one is given;</li>
 * <li>{@code fashion-mnist-sample}: the 10,000 test images embedded in this module. It is the test split, so asking
 * for its training split is an error rather than a silent reuse of test images; {@link Dataset#split} makes a
 * training and a validation part out of it.</li>
 * </ul>
 */
public final class Datasets {
    private Datasets() {
    }

    /** The names {@link #load} knows. */
    public static List<String> names() {
        return List.of("fashion-mnist", FashionMnist.SAMPLE_NAME);
    }

    /**
     * The dataset's default part: the training split of {@code fashion-mnist}, all of {@code fashion-mnist-sample}.
     *
     * @throws IOException if the dataset's files are missing or malformed ({@link MalformedDataException})
     */
    public static Dataset load(String name) throws IOException {
        return switch (normalize(name)) {
            case "fashion-mnist" -> FashionMnist.load(Split.TRAIN);
            case FashionMnist.SAMPLE_NAME -> FashionMnist.sample();
            default -> throw unknown(name);
        };
    }

    /**
     * A split of a named dataset.
     *
     * @throws IOException if the dataset's files are missing or malformed ({@link MalformedDataException})
     */
    public static Dataset load(String name, Split split) throws IOException {
        return switch (normalize(name)) {
            case "fashion-mnist" -> FashionMnist.load(split);
            case FashionMnist.SAMPLE_NAME -> {
                if (split != Split.TEST) {
                    throw new IllegalArgumentException(FashionMnist.SAMPLE_NAME
                            + " holds only the test split of Fashion-MNIST; load it without a split, or split it with Dataset.split");
                }
                yield FashionMnist.sample();
            }
            default -> throw unknown(name);
        };
    }

    private static String normalize(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("unknown dataset '" + name + "'; known: " + String.join(", ", names()));
    }
}
