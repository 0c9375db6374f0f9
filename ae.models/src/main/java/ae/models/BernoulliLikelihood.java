package ae.models;

import ae.autodiff.Node;
import ae.tensor.Activation;
import ae.tensor.Rng;
import ae.tensor.Tensor;
import ae.tensor.TensorOps;
import java.util.List;

/**
 * Independent Bernoulli pixels with means {@code sigmoid(logits)}: the loss is binary cross-entropy computed from the
 * logits as {@code max(z,0) - z t + log1p(exp(-|z|))}, so saturated outputs give finite losses and gradients. Targets
 * must lie in [0, 1] (grey levels are read as probabilities); the decoder must end in a sigmoid.
 */
public final class BernoulliLikelihood implements Likelihood {
    static final BernoulliLikelihood INSTANCE = new BernoulliLikelihood();
    /** The part kind {@code bernoulli}, without settings. */
    public static final PartKind<BernoulliLikelihood> KIND = PartKind.of(BernoulliLikelihood.class, "bernoulli",
            "Bernoulli p(x|h): binary cross-entropy from logits, for data in [0, 1]", List.of(), v -> INSTANCE);

    private BernoulliLikelihood() {
    }

    @Override
    public PartKind<BernoulliLikelihood> kind() {
        return KIND;
    }

    @Override
    public String lossName() {
        return "bce";
    }

    @Override
    public String lossDescription() {
        return "binary cross-entropy";
    }

    @Override
    public boolean readsLogits() {
        return true;
    }

    @Override
    public boolean needsUnitInterval() {
        return true;
    }

    @Override
    public void check(String model, Activation outputActivation) {
        if (outputActivation != Activation.SIGMOID) {
            throw new IllegalArgumentException("model '" + model + "': binary cross-entropy needs a sigmoid output,"
                    + " the decoder ends in " + ActivationNames.name(outputActivation));
        }
    }

    @Override
    public Node loss(GraphContext context, Node output, Node target) {
        return context.builder().binaryCrossEntropyWithLogits(output, target);
    }

    @Override
    public void rowLosses(FittedAutoencoder model, TensorOps ops, Tensor output, Tensor target, Tensor rowLoss) {
        ops.bceWithLogits(output, target, 0, null, rowLoss);
    }

    @Override
    public void mean(TensorOps ops, Tensor output, Tensor into) {
        ops.activation(Activation.SIGMOID, output, into);
    }

    @Override
    public void sample(FittedAutoencoder model, TensorOps ops, Tensor output, Rng rng, Tensor into) {
        ops.activation(Activation.SIGMOID, output, into);
        long n = into.size();
        for (long i = 0; i < n; i++) {
            into.setFlat(i, rng.nextDouble() < into.getFlat(i) ? 1 : 0);
        }
    }

    @Override
    public String toString() {
        return "BernoulliLikelihood";
    }
}
