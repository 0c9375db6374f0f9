package ae.models;

import ae.autodiff.Node;
import ae.autodiff.Primitive;
import ae.tensor.Rng;
import ae.tensor.Tensor;
import ae.tensor.TensorOps;
import java.util.List;

/**
 * A Gaussian p(x|h) with mean the decoder's output and a learned variance per feature, {@code exp(s_j)} with
 * {@code s} the parameter {@code decoder.log-variance} (starting at 0): the loss is the exact negative
 * log-likelihood {@code 1/2 sum_j ((x_j - r_j)^2 exp(-s_j) + s_j + log(2 pi))}. For real-valued data of any range.
 */
public final class GaussianLikelihood implements Likelihood {
    static final GaussianLikelihood INSTANCE = new GaussianLikelihood();
    static final String LOG_VARIANCE = "decoder.log-variance";
    /** The part kind {@code gaussian}, without settings. */
    public static final PartKind<GaussianLikelihood> KIND = PartKind.of(GaussianLikelihood.class, "gaussian",
            "Gaussian p(x|h) with a learned variance per feature: the exact negative log-likelihood", List.of(),
            v -> INSTANCE);
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private GaussianLikelihood() {
    }

    @Override
    public PartKind<GaussianLikelihood> kind() {
        return KIND;
    }

    @Override
    public String lossName() {
        return "gaussian";
    }

    @Override
    public String lossDescription() {
        return "Gaussian negative log-likelihood";
    }

    @Override
    public boolean readsLogits() {
        return false;
    }

    @Override
    public void declare(ParameterPlan plan, int inputDimension) {
        plan.constant(LOG_VARIANCE, 0, inputDimension);
    }

    @Override
    public Node loss(GraphContext context, Node output, Node target) {
        Node logVariance = context.node(LOG_VARIANCE);
        return context.builder().apply(NegativeLogLikelihood.INSTANCE, 1, 1, output, logVariance, target);
    }

    @Override
    public void rowLosses(FittedAutoencoder model, TensorOps ops, Tensor output, Tensor target, Tensor rowLoss) {
        Tensor s = model.parameter(LOG_VARIANCE).value();
        int n = output.rows();
        int d = output.cols();
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < d; j++) {
                double lv = s.getFlat(j);
                double r = target.get(i, j) - output.get(i, j);
                sum += r * r * Math.exp(-lv) + lv + LOG_2PI;
            }
            rowLoss.setFlat(i, 0.5 * sum);
        }
    }

    @Override
    public void mean(TensorOps ops, Tensor output, Tensor into) {
        into.copyFrom(output);
    }

    @Override
    public void sample(FittedAutoencoder model, TensorOps ops, Tensor output, Rng rng, Tensor into) {
        Tensor s = model.parameter(LOG_VARIANCE).value();
        rng.fillNormal(into, 0, 1);
        for (int i = 0; i < into.rows(); i++) {
            for (int j = 0; j < into.cols(); j++) {
                into.set(i, j, output.get(i, j) + Math.exp(0.5 * s.getFlat(j)) * into.get(i, j));
            }
        }
    }

    @Override
    public Likelihood forLayerPretraining() {
        return SquaredErrorLikelihood.INSTANCE;
    }

    @Override
    public String toString() {
        return "GaussianLikelihood";
    }

    /** The mean over rows of the per-row negative log-likelihood; inputs: mean [n, d], log-variance [d], target. */
    static final class NegativeLogLikelihood implements Primitive {
        static final NegativeLogLikelihood INSTANCE = new NegativeLogLikelihood();

        @Override
        public String name() {
            return "gaussianNegativeLogLikelihood";
        }

        @Override
        public void forward(Tensor[] inputs, Tensor output) {
            Tensor mean = inputs[0];
            Tensor logVariance = inputs[1];
            Tensor target = inputs[2];
            int n = mean.rows();
            int d = mean.cols();
            double sum = 0;
            for (int j = 0; j < d; j++) {
                double lv = logVariance.getFlat(j);
                double precision = Math.exp(-lv);
                double squares = 0;
                for (int i = 0; i < n; i++) {
                    double r = target.get(i, j) - mean.get(i, j);
                    squares += r * r;
                }
                sum += squares * precision + n * (lv + LOG_2PI);
            }
            output.setFlat(0, 0.5 * sum / n);
        }

        @Override
        public void backward(Tensor[] inputs, Tensor output, Tensor outputGradient, Tensor[] inputGradients) {
            Tensor mean = inputs[0];
            Tensor logVariance = inputs[1];
            Tensor target = inputs[2];
            int n = mean.rows();
            int d = mean.cols();
            double g = outputGradient.getFlat(0) / n;
            Tensor dMean = inputGradients[0];
            Tensor dLogVariance = inputGradients[1];
            for (int j = 0; j < d; j++) {
                double precision = Math.exp(-logVariance.getFlat(j));
                double squares = 0;
                for (int i = 0; i < n; i++) {
                    double r = mean.get(i, j) - target.get(i, j);
                    squares += r * r;
                    if (dMean != null) {
                        dMean.set(i, j, dMean.get(i, j) + g * r * precision);
                    }
                }
                if (dLogVariance != null) {
                    dLogVariance.setFlat(j, dLogVariance.getFlat(j) + g * 0.5 * (n - squares * precision));
                }
            }
        }
    }
}
