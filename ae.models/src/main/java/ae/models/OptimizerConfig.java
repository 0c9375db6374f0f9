package ae.models;

import java.util.List;
import java.util.function.Function;

/**
 * Hyperparameters of the update rule; the formulas are PyTorch's ({@code torch.optim}), so that runs compare. The
 * learning rate given here is the base rate that a {@link LearningRateSchedule} scales.
 */
public sealed interface OptimizerConfig extends Part {
    /** The base learning rate (a schedule scales it per epoch). */
    double learningRate();

    /**
     * Stochastic gradient descent, with heavy-ball momentum when {@code momentum > 0} (Nesterov's variant if
     * {@code nesterov}) and L2 weight decay folded into the gradient.
     */
    record Sgd(double learningRate, double momentum, boolean nesterov, double weightDecay) implements OptimizerConfig {
        public static final PartKind<Sgd> KIND = PartKind.of(Sgd.class, "sgd",
                "stochastic gradient descent, with optional (Nesterov) momentum and L2 weight decay",
                List.of(Setting.real("learning-rate", 0.01, null, "the base learning rate", Sgd::learningRate),
                        Setting.real("momentum", 0.0, null, "heavy-ball momentum", Sgd::momentum),
                        Setting.bool("nesterov", false, null, "Nesterov's momentum", Sgd::nesterov),
                        Setting.real("weight-decay", 0.0, null, "L2 weight decay folded into the gradient",
                                Sgd::weightDecay)),
                v -> new Sgd(v.real("learning-rate"), v.real("momentum"), v.bool("nesterov"),
                        v.real("weight-decay")));

        @Override
        public PartKind<Sgd> kind() {
            return KIND;
        }

        /**
         * Checks the settings; throws {@link IllegalArgumentException} for a non-positive learning rate, momentum
         * outside [0, 1) or negative decay.
         */
        public Sgd {
            requireRate(learningRate);
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
            }
            if (nesterov && momentum == 0) {
                throw new IllegalArgumentException("Nesterov momentum needs momentum > 0");
            }
            requireDecay(weightDecay);
        }
    }

    /** Adam (Kingma and Ba) with optional L2 weight decay folded into the gradient, as {@code torch.optim.Adam}. */
    record Adam(double learningRate, double beta1, double beta2, double epsilon, double weightDecay)
            implements OptimizerConfig {
        public static final PartKind<Adam> KIND = PartKind.of(Adam.class, "adam",
                "Adam (Kingma and Ba), with optional L2 weight decay folded into the gradient",
                adamSettings(Adam::learningRate, Adam::beta1, Adam::beta2, Adam::epsilon, Adam::weightDecay),
                v -> new Adam(v.real("learning-rate"), v.real("beta1"), v.real("beta2"), v.real("epsilon"),
                        v.real("weight-decay")));

        @Override
        public PartKind<Adam> kind() {
            return KIND;
        }

        /**
         * Checks the settings; throws {@link IllegalArgumentException} for a non-positive learning rate, betas
         * outside [0, 1), a non-positive epsilon or negative decay.
         */
        public Adam {
            requireRate(learningRate);
            requireBetas(beta1, beta2, epsilon);
            requireDecay(weightDecay);
        }
    }

    /** AdamW (Loshchilov and Hutter): Adam with decoupled weight decay, as {@code torch.optim.AdamW}. */
    record AdamW(double learningRate, double beta1, double beta2, double epsilon, double weightDecay)
            implements OptimizerConfig {
        public static final PartKind<AdamW> KIND = PartKind.of(AdamW.class, "adamw",
                "AdamW (Loshchilov and Hutter): Adam with decoupled weight decay",
                adamSettings(AdamW::learningRate, AdamW::beta1, AdamW::beta2, AdamW::epsilon, AdamW::weightDecay),
                v -> new AdamW(v.real("learning-rate"), v.real("beta1"), v.real("beta2"), v.real("epsilon"),
                        v.real("weight-decay")));

        @Override
        public PartKind<AdamW> kind() {
            return KIND;
        }

        /**
         * Checks the settings; throws {@link IllegalArgumentException} for a non-positive learning rate, betas
         * outside [0, 1), a non-positive epsilon or negative decay.
         */
        public AdamW {
            requireRate(learningRate);
            requireBetas(beta1, beta2, epsilon);
            requireDecay(weightDecay);
        }
    }

    /** Plain SGD at {@code learningRate}. */
    static Sgd sgd(double learningRate) {
        return new Sgd(learningRate, 0, false, 0);
    }

    /** SGD with heavy-ball {@code momentum}. */
    static Sgd momentum(double learningRate, double momentum) {
        return new Sgd(learningRate, momentum, false, 0);
    }

    /** SGD with Nesterov's {@code momentum}. */
    static Sgd nesterov(double learningRate, double momentum) {
        return new Sgd(learningRate, momentum, true, 0);
    }

    /** Adam with betas (0.9, 0.999) and epsilon 1e-8: the reference workloads' optimizer at lr 1e-3. */
    static Adam adam(double learningRate) {
        return new Adam(learningRate, 0.9, 0.999, 1e-8, 0);
    }

    /** AdamW (decoupled weight decay {@code weightDecay}) with betas (0.9, 0.999) and epsilon 1e-8. */
    static AdamW adamW(double learningRate, double weightDecay) {
        return new AdamW(learningRate, 0.9, 0.999, 1e-8, weightDecay);
    }

    private static <P extends OptimizerConfig> List<Setting<P>> adamSettings(
            Function<P, Double> learningRate, Function<P, Double> beta1, Function<P, Double> beta2,
            Function<P, Double> epsilon, Function<P, Double> weightDecay) {
        return List.of(Setting.real("learning-rate", 1e-3, null, "the base learning rate", learningRate),
                Setting.real("beta1", 0.9, null, "decay of the first moment", beta1),
                Setting.real("beta2", 0.999, null, "decay of the second moment", beta2),
                Setting.real("epsilon", 1e-8, null, "added to the second moment's square root", epsilon),
                Setting.real("weight-decay", 0.0, null, "weight decay", weightDecay));
    }

    private static void requireRate(double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be finite and > 0, got " + lr);
        }
    }

    private static void requireDecay(double wd) {
        if (!(wd >= 0) || !Double.isFinite(wd)) {
            throw new IllegalArgumentException("weight decay must be finite and >= 0, got " + wd);
        }
    }

    private static void requireBetas(double beta1, double beta2, double eps) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("Adam epsilon must be finite and > 0, got " + eps);
        }
    }
}
