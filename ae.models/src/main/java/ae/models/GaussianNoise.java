package ae.models;

import ae.autodiff.GraphBuilder;
import ae.autodiff.Node;
import java.util.List;

/** {@code x + N(0, stddev^2)} elementwise. */
public record GaussianNoise(double stddev) implements Corruption {
    public static final PartKind<GaussianNoise> KIND = PartKind.of(GaussianNoise.class, "gaussian",
            "additive Gaussian noise N(0, stddev^2) on every input element",
            List.of(Setting.real("stddev", 0.1, "--corruption", "the corruption level: the masking or"
                    + " salt-and-pepper probability, or the Gaussian noise's standard deviation",
                    GaussianNoise::stddev)),
            v -> new GaussianNoise(v.real("stddev")));

    /** Checks the setting; throws {@link IllegalArgumentException} for a negative or non-finite standard deviation. */
    public GaussianNoise {
        if (!(stddev >= 0) || !Double.isFinite(stddev)) {
            throw new IllegalArgumentException("gaussian corruption needs a finite stddev >= 0, got " + stddev);
        }
    }

    @Override
    public PartKind<GaussianNoise> kind() {
        return KIND;
    }

    @Override
    public Node apply(GraphBuilder builder, Node x) {
        return builder.gaussianNoise(x, stddev);
    }
}
