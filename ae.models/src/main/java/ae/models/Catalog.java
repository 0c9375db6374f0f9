package ae.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The kinds of parts a checkpoint's configuration may name, by family (encoders, decoders, likelihoods, penalties,
 * corruptions, procedures, optimizers, schedules): how a stable name on disk becomes a part again. The built-in
 * catalog knows every part of ae.models; a part of your own is added with {@link #with}.
 */
public final class Catalog {
    private static final Catalog BUILT_IN = new Catalog(List.of(
            DeterministicEncoder.KIND, GaussianEncoder.KIND, NoisyEncoder.KIND, PredictiveEncoder.KIND,
            BinaryCodeEncoder.KIND,
            Decoder.KIND,
            BernoulliLikelihood.KIND, SquaredErrorLikelihood.KIND, GaussianLikelihood.KIND,
            L1Penalty.KIND, KlSparsityPenalty.KIND, ContractivePenalty.KIND, HigherOrderContractivePenalty.KIND,
            ReconstructionContractivePenalty.KIND,
            WeightDecayPenalty.KIND, DecorrelationPenalty.KIND,
            NoCorruption.KIND, MaskingNoise.KIND, GaussianNoise.KIND, SaltAndPepperNoise.KIND,
            Backpropagation.KIND, GreedyLayerWise.KIND, PrincipalComponents.KIND, PredictiveSparseDecomposition.KIND,
            Recirculation.KIND, RbmPretraining.KIND,
            OptimizerConfig.Sgd.KIND, OptimizerConfig.Adam.KIND, OptimizerConfig.AdamW.KIND,
            LearningRateSchedule.Constant.KIND, LearningRateSchedule.StepDecay.KIND,
            LearningRateSchedule.Exponential.KIND, LearningRateSchedule.Cosine.KIND));

    private final List<PartKind<?>> kinds;

    private Catalog(List<PartKind<?>> kinds) {
        this.kinds = List.copyOf(kinds);
    }

    /** Every part kind of ae.models. */
    public static Catalog builtIn() {
        return BUILT_IN;
    }

    /** This catalog and {@code kind}, which must not share a name with a kind of its family. */
    public Catalog with(PartKind<?> kind) {
        Objects.requireNonNull(kind, "kind");
        for (PartKind<?> k : kinds) {
            if (k.name().equals(kind.name()) && familyOf(k) == familyOf(kind)) {
                throw new IllegalArgumentException("the catalog already has a " + familyName(familyOf(k)) + " called '"
                        + kind.name() + "'");
            }
        }
        List<PartKind<?>> more = new ArrayList<>(kinds);
        more.add(kind);
        return new Catalog(more);
    }

    /** The kinds of one family ({@code Penalty.class}, {@code Encoder.class}, ...), in catalog order. */
    public List<PartKind<?>> kinds(Class<? extends Part> family) {
        return kinds.stream().filter(k -> family.isAssignableFrom(k.type())).toList();
    }

    /** Every kind. */
    public List<PartKind<?>> all() {
        return kinds;
    }

    /** The kind of {@code family} called {@code name}; IllegalArgumentException listing the known ones. */
    public PartKind<?> kind(Class<? extends Part> family, String name) {
        for (PartKind<?> k : kinds(family)) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown " + familyName(family) + " '" + name + "' (known: "
                + String.join(", ", kinds(family).stream().map(PartKind::name).toList()) + ")");
    }

    private static final List<Class<? extends Part>> FAMILIES = List.of(Encoder.class, Decoder.class,
            Likelihood.class, Penalty.class, Corruption.class, TrainingProcedure.class, OptimizerConfig.class,
            LearningRateSchedule.class);

    static Class<? extends Part> familyOf(PartKind<?> kind) {
        for (Class<? extends Part> family : FAMILIES) {
            if (family.isAssignableFrom(kind.type())) {
                return family;
            }
        }
        return Part.class;
    }

    /** The family of {@code kind} in words: {@code encoder}, {@code penalty}, {@code training procedure}, ... */
    public static String familyWord(PartKind<?> kind) {
        return familyName(familyOf(kind));
    }

    static String familyName(Class<? extends Part> family) {
        return family == TrainingProcedure.class ? "training procedure"
                : family == OptimizerConfig.class ? "optimizer"
                : family == LearningRateSchedule.class ? "learning-rate schedule"
                : family.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }
}
