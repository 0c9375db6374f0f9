package ae.models;

import ae.autodiff.GraphBuilder;
import ae.autodiff.Node;
import java.util.List;

/** Each input element zeroed independently with probability {@code probability}. */
public record MaskingNoise(double probability) implements Corruption {
    public static final PartKind<MaskingNoise> KIND = PartKind.of(MaskingNoise.class, "masking",
            "masking noise: each input element zeroed with a probability",
            List.of(Setting.real("probability", 0.3, "--corruption", "the corruption level: the masking or"
                    + " salt-and-pepper probability, or the Gaussian noise's standard deviation",
                    MaskingNoise::probability)),
            v -> new MaskingNoise(v.real("probability")));

    /** Checks the probability; throws {@link IllegalArgumentException} if it is outside [0, 1]. */
    public MaskingNoise {
        Corruption.requireProbability("masking", probability);
    }

    @Override
    public PartKind<MaskingNoise> kind() {
        return KIND;
    }

    @Override
    public Node apply(GraphBuilder builder, Node x) {
        return builder.maskingNoise(x, probability);
    }
}
