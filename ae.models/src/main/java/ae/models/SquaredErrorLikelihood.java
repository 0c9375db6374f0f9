package ae.models;

import ae.autodiff.Node;
import ae.tensor.Rng;
import ae.tensor.Tensor;
import ae.tensor.TensorOps;
import java.util.List;

/**
 * The squared error {@code sum_j (r_j - x_j)^2}: a Gaussian p(x|h) with mean r and fixed variance 1/2, whose
 * negative log-likelihood is the squared error plus {@code (d/2) log(pi)}, left out of the loss.
 */
public final class SquaredErrorLikelihood implements Likelihood {
    static final SquaredErrorLikelihood INSTANCE = new SquaredErrorLikelihood();
    /** The part kind {@code squared-error}, without settings. */
    public static final PartKind<SquaredErrorLikelihood> KIND = PartKind.of(SquaredErrorLikelihood.class,
            "squared-error", "Gaussian p(x|h) of fixed variance 1/2: the squared error sum_j (r_j - x_j)^2",
            List.of(), v -> INSTANCE);
    private static final double STDDEV = Math.sqrt(0.5);

    private SquaredErrorLikelihood() {
    }

    @Override
    public PartKind<SquaredErrorLikelihood> kind() {
        return KIND;
    }

    @Override
    public String lossName() {
        return "squared-error";
    }

    @Override
    public String lossDescription() {
        return "squared error";
    }

    @Override
    public boolean readsLogits() {
        return false;
    }

    @Override
    public Node loss(GraphContext context, Node output, Node target) {
        return context.builder().squaredError(output, target);
    }

    @Override
    public void rowLosses(FittedAutoencoder model, TensorOps ops, Tensor output, Tensor target, Tensor rowLoss) {
        ops.squaredError(output, target, 0, null, rowLoss);
    }

    @Override
    public double logNormalizer(int d) {
        return -0.5 * d * Math.log(Math.PI);
    }

    @Override
    public void mean(TensorOps ops, Tensor output, Tensor into) {
        into.copyFrom(output);
    }

    @Override
    public void sample(FittedAutoencoder model, TensorOps ops, Tensor output, Rng rng, Tensor into) {
        rng.fillNormal(into, 0, STDDEV);
        ops.axpy(1, output, into);
    }

    @Override
    public String toString() {
        return "SquaredErrorLikelihood";
    }
}
