package ae.models;

import ae.autodiff.Node;
import ae.autodiff.Primitive;
import ae.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * {@code weight * sum_{i != j} C_ij^2}, with {@code C} the covariance of the code units over the batch,
 * {@code C_ij = mean_a (h_ai - m_i)(h_aj - m_j)}: pushes the code units apart so that they carry different
 * information. Semantic hashing needs it: bits that copy each other waste code length, and PCA-ITQ, whose bits are
 * decorrelated by construction, ranks better than correlated codes of the same length.
 */
public record DecorrelationPenalty(double weight) implements Penalty {
    public static final PartKind<DecorrelationPenalty> KIND = PartKind.of(DecorrelationPenalty.class,
            "decorrelation", "the squared off-diagonal covariances of the code units over the batch, sum_{i != j}"
                    + " C_ij^2: code units that carry different information",
            List.of(Setting.real("weight", 10.0, "--decorrelation", "weight of the penalty on the covariances"
                    + " between code units over the batch", DecorrelationPenalty::weight)),
            v -> new DecorrelationPenalty(v.real("weight")));

    /** Checks the weight; throws {@link IllegalArgumentException} if it is negative or not finite. */
    public DecorrelationPenalty {
        Penalty.requireWeight("decorrelation", weight);
    }

    @Override
    public PartKind<DecorrelationPenalty> kind() {
        return KIND;
    }

    @Override
    public Node term(PenaltySite site) {
        Node code = site.code();
        return site.builder().apply(new OffDiagonalCovariance(code.rows(), code.cols()), 1, 1, code);
    }

    /**
     * The term on an n x k input. Its gradient is {@code dP/dh_ai = (4/n) sum_{j != i} C_ij (h_aj - m_j)}: the
     * centring adds nothing, as the centred columns sum to 0. The centred input and the covariances of the last
     * forward are kept for the backward, in arrays sized once when the graph is recorded.
     */
    static final class OffDiagonalCovariance implements Primitive {
        private final int rows;
        private final int units;
        private final double[] centred;
        private final double[] covariance;

        OffDiagonalCovariance(int rows, int units) {
            this.rows = rows;
            this.units = units;
            this.centred = new double[rows * units];
            this.covariance = new double[units * units];
        }

        @Override
        public String name() {
            return "offDiagonalCovariance";
        }

        @Override
        public void forward(Tensor[] inputs, Tensor output) {
            Tensor h = inputs[0];
            for (int j = 0; j < units; j++) {
                double sum = 0;
                for (int a = 0; a < rows; a++) {
                    double v = h.get(a, j);
                    centred[a * units + j] = v;
                    sum += v;
                }
                double mean = sum / rows;
                for (int a = 0; a < rows; a++) {
                    centred[a * units + j] -= mean;
                }
            }
            Arrays.fill(covariance, 0);
            for (int a = 0; a < rows; a++) {
                int row = a * units;
                for (int i = 0; i < units; i++) {
                    double ci = centred[row + i] / rows;
                    int out = i * units;
                    for (int j = i + 1; j < units; j++) {
                        covariance[out + j] += ci * centred[row + j];
                    }
                }
            }
            double total = 0;
            for (int i = 0; i < units; i++) {
                for (int j = i + 1; j < units; j++) {
                    double c = covariance[i * units + j];
                    covariance[j * units + i] = c;
                    total += 2 * c * c;
                }
            }
            output.set(0, 0, total);
        }

        @Override
        public void backward(Tensor[] inputs, Tensor output, Tensor outputGradient, Tensor[] inputGradients) {
            Tensor dh = inputGradients[0];
            if (dh == null) {
                return;
            }
            double factor = 4 * outputGradient.get(0, 0) / rows;
            for (int a = 0; a < rows; a++) {
                int row = a * units;
                for (int i = 0; i < units; i++) {
                    int cov = i * units;
                    double sum = 0;
                    for (int j = 0; j < units; j++) {
                        if (j != i) {
                            sum += covariance[cov + j] * centred[row + j];
                        }
                    }
                    dh.set(a, i, dh.get(a, i) + factor * sum);
                }
            }
        }
    }
}
