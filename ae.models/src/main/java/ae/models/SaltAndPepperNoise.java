package ae.models;

import ae.autodiff.GraphBuilder;
import ae.autodiff.Node;
import java.util.List;

/** Each element replaced with probability {@code probability} by 0 or 1, with equal chance. */
public record SaltAndPepperNoise(double probability) implements Corruption {
    public static final PartKind<SaltAndPepperNoise> KIND = PartKind.of(SaltAndPepperNoise.class, "salt-and-pepper",
            "salt-and-pepper noise: each input element replaced by 0 or 1 with a probability",
            List.of(Setting.real("probability", 0.1, "--corruption", "the corruption level: the masking or"
                    + " salt-and-pepper probability, or the Gaussian noise's standard deviation",
                    SaltAndPepperNoise::probability)),
            v -> new SaltAndPepperNoise(v.real("probability")));

    /** Checks the probability; throws {@link IllegalArgumentException} if it is outside [0, 1]. */
    public SaltAndPepperNoise {
        Corruption.requireProbability("salt-and-pepper", probability);
    }

    @Override
    public PartKind<SaltAndPepperNoise> kind() {
        return KIND;
    }

    @Override
    public Node apply(GraphBuilder builder, Node x) {
        return builder.saltAndPepperNoise(x, probability);
    }
}
