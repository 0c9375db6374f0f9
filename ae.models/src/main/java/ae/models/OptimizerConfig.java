package ae.models;

/**
 * Hyperparameters of the update rule; the formulas are PyTorch's ({@code torch.optim}), so that runs compare. The
 * learning rate given here is the base rate that a {@link LearningRateSchedule} scales.
 */
public sealed interface OptimizerConfig {
    double learningRate();

    /**
     * Stochastic gradient descent, with heavy-ball momentum when {@code momentum > 0} (Nesterov's variant if
     * {@code nesterov}) and L2 weight decay folded into the gradient.
     */
    record Sgd(double learningRate, double momentum, boolean nesterov, double weightDecay) implements OptimizerConfig {
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
        public Adam {
            requireRate(learningRate);
            requireBetas(beta1, beta2, epsilon);
            requireDecay(weightDecay);
        }
    }

    /** AdamW (Loshchilov and Hutter): Adam with decoupled weight decay, as {@code torch.optim.AdamW}. */
    record AdamW(double learningRate, double beta1, double beta2, double epsilon, double weightDecay)
            implements OptimizerConfig {
        public AdamW {
            requireRate(learningRate);
            requireBetas(beta1, beta2, epsilon);
            requireDecay(weightDecay);
        }
    }

    static Sgd sgd(double learningRate) {
        return new Sgd(learningRate, 0, false, 0);
    }

    static Sgd momentum(double learningRate, double momentum) {
        return new Sgd(learningRate, momentum, false, 0);
    }

    static Sgd nesterov(double learningRate, double momentum) {
        return new Sgd(learningRate, momentum, true, 0);
    }

    /** Adam with betas (0.9, 0.999) and epsilon 1e-8: the reference workloads' optimizer at lr 1e-3. */
    static Adam adam(double learningRate) {
        return new Adam(learningRate, 0.9, 0.999, 1e-8, 0);
    }

    static AdamW adamW(double learningRate, double weightDecay) {
        return new AdamW(learningRate, 0.9, 0.999, 1e-8, weightDecay);
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
