package ae.models;

import ae.autodiff.Node;
import ae.tensor.Activation;
import ae.tensor.Rng;
import ae.tensor.Tensor;
import ae.tensor.TensorOps;

/**
 * The decoder's distribution p(x|h), parameterized by the decoder's output: what the reconstruction loss is (the
 * negative log-likelihood, summed over features and averaged over rows), what a reconstruction is (its mean), and how
 * to sample x.
 */
public interface Likelihood extends Part {
    /** The word {@code ae train --loss} picks this likelihood by: {@code bce}, {@code squared-error}, ... */
    String lossName();

    /** The loss in words, for people: {@code binary cross-entropy}, {@code squared error}, ... */
    String lossDescription();

    /** True when the decoder's last layer hands over its pre-activation (a Bernoulli's logits). */
    boolean readsLogits();

    /** True when targets must lie in [0, 1]. */
    default boolean needsUnitInterval() {
        return false;
    }

    /** Refuses a decoder output activation this likelihood cannot read. */
    default void check(String model, Activation outputActivation) {
    }

    /** Declares parameters of its own ({@code decoder.*}), after the decoder's. */
    default void declare(ParameterPlan plan, int inputDimension) {
    }

    /** The loss node: the negative log-likelihood of {@code target} summed over features, averaged over rows. */
    Node loss(GraphContext context, Node output, Node target);

    /** Each row's loss, as {@link #loss} counts it, from the decoder's output values. */
    void rowLosses(FittedAutoencoder model, TensorOps ops, Tensor output, Tensor target, Tensor rowLoss);

    /**
     * What the loss leaves out of {@code -log p(x|h)} per row for {@code d} features: {@code log p(x|h) =
     * -rowLoss + logNormalizer}. 0 when the loss is the exact negative log-likelihood.
     */
    default double logNormalizer(int d) {
        return 0;
    }

    /** The mean of p(x|h), the reconstruction, from the decoder's output. */
    void mean(TensorOps ops, Tensor output, Tensor into);

    /** Draws x ~ p(x|h) from the decoder's output. */
    void sample(FittedAutoencoder model, TensorOps ops, Tensor output, Rng rng, Tensor into);

    /** Bernoulli pixels: binary cross-entropy from logits. */
    static Likelihood bernoulli() {
        return BernoulliLikelihood.INSTANCE;
    }

    /** A Gaussian of fixed variance 1/2: the squared error. */
    static Likelihood squaredError() {
        return SquaredErrorLikelihood.INSTANCE;
    }

    /** A Gaussian with a learned variance per feature. */
    static Likelihood gaussian() {
        return GaussianLikelihood.INSTANCE;
    }

    /** The likelihood greedy pretraining uses for the first layer (without parameters of its own). */
    default Likelihood forLayerPretraining() {
        return this;
    }
}
