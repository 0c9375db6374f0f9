package ae.models;

import ae.autodiff.Parameter;
import ae.tensor.Activation;
import ae.tensor.Gemm;
import ae.tensor.SymmetricEigendecomposition;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.List;

/**
 * Principal component analysis as a model: a linear encoder {@code h = V^T (x - mu)} and decoder
 * {@code r = V h + mu}, where the columns of V are the k leading eigenvectors of the training data's covariance, which
 * minimizes the mean squared reconstruction error over every rank-k affine map (14.1). The fit is exact, not
 * iterative: one pass over the data accumulates the sum and {@code X^T X} in float64 (by the engine's GEMM), then
 * the covariance is decomposed ({@link SymmetricEigendecomposition}). The model keeps the variance along each
 * component and the total variance as {@code principal-components.variance} and
 * {@code principal-components.total-variance}. One phase, {@code fit}, of one epoch whatever the epochs asked.
 */
public final class PrincipalComponents implements TrainingProcedure {
    static final PrincipalComponents INSTANCE = new PrincipalComponents();
    /** The part kind {@code principal-components}, without settings. */
    public static final PartKind<PrincipalComponents> KIND = PartKind.of(PrincipalComponents.class,
            "principal-components", "the exact principal components of the training data's covariance (PCA) for a"
                    + " linear encoder and decoder", List.of(), v -> INSTANCE);
    static final String VARIANCE = "principal-components.variance";
    static final String TOTAL_VARIANCE = "principal-components.total-variance";

    private PrincipalComponents() {
    }

    @Override
    public PartKind<PrincipalComponents> kind() {
        return KIND;
    }

    @Override
    public void check(String model, Encoder encoder, Decoder decoder) {
        if (!(encoder instanceof DeterministicEncoder) || encoder.depth() != 1
                || encoder.codeActivation() != Activation.IDENTITY) {
            throw new IllegalArgumentException("model '" + model + "': principal components need one linear encoder"
                    + " layer (a dense encoder of one identity layer)");
        }
        if (decoder.layers().size() != 1 || decoder.outputActivation() != Activation.IDENTITY) {
            throw new IllegalArgumentException("model '" + model + "': principal components need one linear decoder"
                    + " layer (identity output)");
        }
        int d = decoder.layers().getFirst().units();
        if (encoder.codeSize() > d) {
            throw new IllegalArgumentException("model '" + model + "': " + encoder.codeSize() + " principal components"
                    + " of " + d + " features; at most " + d);
        }
    }

    @Override
    public List<PhasePlan> plan(ModelConfig model, int endToEndEpochs) {
        if (!(model.likelihood() instanceof SquaredErrorLikelihood)) {
            throw new IllegalArgumentException("model '" + model.name() + "': principal components minimize the"
                    + " squared error, not " + model.likelihood().kind().name());
        }
        if (!model.penalties().isEmpty() || !(model.corruption() instanceof NoCorruption)) {
            throw new IllegalArgumentException("model '" + model.name() + "': principal components take no penalty"
                    + " and no corruption");
        }
        return List.of(new PhasePlan("fit", 1, true));
    }

    @Override
    public void declare(ParameterPlan plan, ModelConfig model) {
        plan.constant(VARIANCE, 0, model.encoder().codeSize());
        plan.constant(TOTAL_VARIANCE, 0, 1);
    }

    @Override
    public List<Parameter> parameters(int phase, FittedAutoencoder model) {
        return model.params.all();
    }

    @Override
    public PhaseStep openStep(int phase, FittedAutoencoder model, int rows, long noiseSeed) {
        throw new UnsupportedOperationException("principal components are fitted from whole epochs, not by steps");
    }

    @Override
    public EpochFit openEpochFit(int phase, FittedAutoencoder model) {
        return new Fit(model);
    }

    /**
     * The variance of the data along each principal component (the covariance's leading eigenvalues), largest first,
     * and as the last element the total variance (its trace), of the rows the model was fitted on.
     */
    public static double[] variances(FittedAutoencoder model) {
        if (!(model.config().procedure() instanceof PrincipalComponents)) {
            throw new IllegalArgumentException("model '" + model.config().name() + "' is not fitted by principal"
                    + " components");
        }
        double[] component = model.parameter(VARIANCE).value().toDoubleArray();
        double[] out = java.util.Arrays.copyOf(component, component.length + 1);
        out[component.length] = model.parameter(TOTAL_VARIANCE).value().getFlat(0);
        return out;
    }

    /** The fraction of the total variance along each principal component, largest first. */
    public static double[] explainedVarianceRatio(FittedAutoencoder model) {
        double[] v = variances(model);
        double total = v[v.length - 1];
        double[] out = new double[v.length - 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = total > 0 ? v[i] / total : 0;
        }
        return out;
    }

    @Override
    public String toString() {
        return "PrincipalComponents";
    }

    /** One pass: the float64 sum and Gram matrix of the rows, then the eigendecomposition of the covariance. */
    private static final class Fit implements EpochFit {
        private final FittedAutoencoder model;
        private final int d;
        private final TensorScope scope;
        private final Tensor gram;
        private final double[] sum;
        private Tensor rows64;
        private long count;

        Fit(FittedAutoencoder model) {
            this.model = model;
            this.d = model.config().inputDimension();
            this.scope = TensorScope.open("principal components of " + model.config().name());
            this.gram = scope.allocateDouble(d, d);
            this.sum = new double[d];
        }

        @Override
        public void startEpoch() {
            gram.fill(0);
            java.util.Arrays.fill(sum, 0);
            count = 0;
        }

        @Override
        public void read(Tensor batch) {
            int rows = batch.rows();
            if (rows64 == null || rows64.rows() < rows) {
                rows64 = scope.allocateDouble(rows, d);
            }
            Tensor x = rows64.rows(0, rows);
            x.copyFrom(batch);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < d; j++) {
                    sum[j] += x.get(r, j);
                }
            }
            Gemm.multiply(model.pool, 1, x, true, x, false, 1, gram);
            count += rows;
        }

        @Override
        public double finishEpoch() {
            if (count == 0) {
                throw new IllegalStateException("principal components of " + model.config().name() + ": no rows");
            }
            double[] mean = new double[d];
            for (int j = 0; j < d; j++) {
                mean[j] = sum[j] / count;
            }
            double[] covariance = new double[d * d];
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                    double c = gram.get(i, j) / count - mean[i] * mean[j];
                    covariance[i * d + j] = c;
                    covariance[j * d + i] = c;
                }
            }
            double total = 0;
            for (int i = 0; i < d; i++) {
                total += covariance[i * d + i];
            }
            SymmetricEigendecomposition eigen = SymmetricEigendecomposition.of(covariance, d);
            int k = model.config().encoder().codeSize();
            Tensor encoderWeight = model.parameter("encoder.0.weight").value();
            Tensor encoderBias = model.parameter("encoder.0.bias").value();
            Tensor decoderBias = model.parameter("decoder.0.bias").value();
            Tensor variance = model.parameter(VARIANCE).value();
            boolean tied = model.config().decoder().tied();
            Tensor decoderWeight = tied ? null : model.parameter("decoder.0.weight").value();
            double kept = 0;
            for (int c = 0; c < k; c++) {
                double[] v = eigen.eigenvector(c);
                // The sign of an eigenvector is arbitrary: fix it so that its largest entry is positive.
                int largest = 0;
                for (int i = 1; i < d; i++) {
                    if (Math.abs(v[i]) > Math.abs(v[largest])) {
                        largest = i;
                    }
                }
                double sign = v[largest] < 0 ? -1 : 1;
                double projectedMean = 0;
                for (int i = 0; i < d; i++) {
                    double vi = sign * v[i];
                    encoderWeight.set(c, i, vi);
                    if (decoderWeight != null) {
                        decoderWeight.set(i, c, vi);
                    }
                    projectedMean += vi * mean[i];
                }
                encoderBias.setFlat(c, -projectedMean);
                double lambda = Math.max(0, eigen.eigenvalue(c));
                variance.setFlat(c, lambda);
                kept += lambda;
            }
            for (int i = 0; i < d; i++) {
                decoderBias.setFlat(i, mean[i]);
            }
            model.parameter(TOTAL_VARIANCE).value().setFlat(0, total);
            // The mean squared error per row of the rank-k reconstruction: the variance left out.
            return Math.max(0, total - kept);
        }

        @Override
        public void close() {
            scope.close();
        }
    }
}
