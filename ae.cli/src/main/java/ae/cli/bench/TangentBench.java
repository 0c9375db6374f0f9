package ae.cli.bench;

import ae.data.Dataset;
import ae.data.ManifoldSample;
import ae.data.SyntheticData;
import ae.models.Autoencoder;
import ae.models.ContractivePenalty;
import ae.models.Corruption;
import ae.models.FittedAutoencoder;
import ae.models.HigherOrderContractivePenalty;
import ae.models.LearningRateSchedule;
import ae.models.Likelihood;
import ae.models.ModelConfig;
import ae.models.OptimizerConfig;
import ae.models.Penalty;
import ae.models.Presets;
import ae.models.ReconstructionContractivePenalty;
import ae.models.TrainingConfig;
import ae.models.TrainingListener;
import ae.tensor.Activation;
import ae.tensor.Subspaces;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encoder tangents against the true tangent spaces (seed 14.6, 14.7): a one-layer sigmoid autoencoder with a linear
 * output, tied weights (untied, the penalty is dodged by shrinking the encoder and growing the decoder) and squared
 * error, with and without the contractive penalty, trained on a synthetic manifold (standardized: centred and
 * scaled to a total standard deviation of {@code scale}, which leaves tangent spaces as they are); at held-out
 * points, the largest principal angle between the span of the top-k right singular vectors of the encoder's
 * Jacobian (k the manifold's dimension) and the true tangent space at the clean point.
 */
public final class TangentBench {
    /** The sizes, seeds and the penalty's weight of one measurement. */
    public record Settings(int trainRows, int testRows, int epochs, int hidden, double contractive,
                           boolean atReconstruction, double hessian, double hessianSigma, double noise, double scale,
                           boolean atCleanPoints, long seed, int threads) {
        public static Settings defaults() {
            return new Settings(2000, 300, 200, 32, 1, false, 10, 1, SyntheticData.DEFAULT_NOISE, 3, false, 0,
                    1);
        }

        /** These settings with another seed. */
        public Settings withSeed(long newSeed) {
            return new Settings(trainRows, testRows, epochs, hidden, contractive, atReconstruction, hessian,
                    hessianSigma, noise, scale, atCleanPoints, newSeed, threads);
        }
    }

    /** Median and 90th percentile of the largest principal angle, in degrees. */
    public record Row(String data, int dimension, String model, double medianDegrees, double percentile90Degrees) {
    }

    /**
     * The same measurement repeated with seeds {@code seed, seed + 1, ...} (data, rotation and model): the median over
     * seeds of the median angle and of the 90th percentile, and the lowest and highest median, the spread a
     * single-seed comparison would hide.
     */
    public record SeedSummary(Row median, int seeds, double lowestMedianDegrees, double highestMedianDegrees) {
    }

    /** Draws of the higher-order term's corruption per sample (the library's default). */
    static final int HESSIAN_SAMPLES = 4;

    private TangentBench() {
    }

    /** The model of the bench for {@code d} features: the contractive penalty when {@code contractive > 0}. */
    public static ModelConfig model(int d, Settings settings, boolean contractive) {
        List<Penalty> penalties = new ArrayList<>();
        if (contractive) {
            penalties.add(settings.atReconstruction() ? new ReconstructionContractivePenalty(settings.contractive())
                    : new ContractivePenalty(settings.contractive()));
            if (settings.hessian() > 0) {
                penalties.add(new HigherOrderContractivePenalty(settings.hessian(), settings.hessianSigma(),
                        HESSIAN_SAMPLES));
            }
        }
        ModelConfig untied = Presets.mirrored(contractive ? "contractive" : "plain", d,
                new int[] {settings.hidden()}, Activation.SIGMOID, Activation.SIGMOID, Activation.IDENTITY,
                Likelihood.squaredError(), penalties, Corruption.none());
        return untied.withDecoder(untied.decoder().withTied(true));
    }

    /** Trains the model on {@code data} embedded in {@code embed} dimensions (0: natural) and measures the angles. */
    public static Row measure(String data, int embed, boolean contractive, Settings settings) {
        TrainingConfig training = TrainingConfig.defaults().withEpochs(settings.epochs()).withBatchSize(64)
                .withOptimizer(OptimizerConfig.adam(3e-3))
                .withSchedule(new LearningRateSchedule.Cosine(settings.epochs(), 0.01)).withSeed(settings.seed())
                .withThreads(settings.threads()).withValidation(0, 0);
        // One draw split in two: a second seed would embed the held-out points by another rotation.
        int n = settings.trainRows();
        try (SyntheticData all = SyntheticData.generate(data, n + settings.testRows(), settings.noise(),
                     settings.seed(), embed);
             TensorScope scope = TensorScope.open("tangent bench")) {
            Tensor points = all.data().features();
            double[] centre = new double[points.cols()];
            double scale = standardization(points.rows(0, n), centre) / settings.scale();
            Tensor trainPoints = standardized(points.rows(0, n), centre, scale, scope);
            ManifoldSample truth = all.manifold();
            Tensor heldOut = settings.atCleanPoints() ? cleanPoints(truth, n, points.rows(), scope)
                    : points.rows(n, points.rows());
            Tensor testPoints = standardized(heldOut, centre, scale, scope);
            int k = truth.intrinsicDimension();
            try (Dataset trainData = Dataset.wrap(data, trainPoints, null);
                 FittedAutoencoder model = Autoencoder.of(model(trainPoints.cols(), settings, contractive))
                         .fit(trainData, training, TrainingListener.none())) {
                FittedAutoencoder.Tangents tangents = model.tangents(testPoints, k);
                double[] angles = new double[testPoints.rows()];
                for (int i = 0; i < angles.length; i++) {
                    angles[i] = Subspaces.largestAngleDegrees(tangents.directions()[i], truth.tangentBasis(n + i));
                }
                Arrays.sort(angles);
                return new Row(data, trainPoints.cols(), contractive ? "contractive" : "plain",
                        percentile(angles, 0.5), percentile(angles, 0.9));
            }
        }
    }

    /** {@link #measure} at {@code seeds} consecutive seeds from the settings' seed, summarized. */
    public static SeedSummary measureOverSeeds(String data, int embed, boolean contractive, Settings settings,
                                               int seeds) {
        double[] medians = new double[seeds];
        double[] percentiles90 = new double[seeds];
        Row first = null;
        for (int s = 0; s < seeds; s++) {
            Settings at = settings.withSeed(settings.seed() + s);
            Row row = measure(data, embed, contractive, at);
            first = first == null ? row : first;
            medians[s] = row.medianDegrees();
            percentiles90[s] = row.percentile90Degrees();
        }
        Arrays.sort(medians);
        Arrays.sort(percentiles90);
        return new SeedSummary(new Row(first.data(), first.dimension(), first.model(), percentile(medians, 0.5),
                percentile(percentiles90, 0.5)), seeds, medians[0], medians[seeds - 1]);
    }

    static double percentile(double[] sorted, double q) {
        double at = q * (sorted.length - 1);
        int below = (int) Math.floor(at);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (at - below) * (sorted[above] - sorted[below]);
    }

    /** The points {@code from <= i < to} of {@code sample} before noise, as rows. */
    private static Tensor cleanPoints(ManifoldSample sample, int from, int to, TensorScope scope) {
        Tensor out = scope.allocateFloat(to - from, sample.ambientDimension());
        for (int i = from; i < to; i++) {
            double[] point = sample.cleanPoint(i);
            for (int j = 0; j < point.length; j++) {
                out.set(i - from, j, point[j]);
            }
        }
        return out;
    }

    /**
     * Fills {@code centre} with the column means; returns the root of the total variance (the sum over coordinates),
     * so that a manifold looks the same in every ambient dimension it is embedded in.
     */
    private static double standardization(Tensor data, double[] centre) {
        int n = data.rows();
        int d = data.cols();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                centre[j] += data.get(i, j) / n;
            }
        }
        double squares = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double v = data.get(i, j) - centre[j];
                squares += v * v;
            }
        }
        return Math.sqrt(squares / n);
    }

    private static Tensor standardized(Tensor data, double[] centre, double scale, TensorScope scope) {
        Tensor out = scope.allocateFloat(data.rows(), data.cols());
        for (int i = 0; i < data.rows(); i++) {
            for (int j = 0; j < data.cols(); j++) {
                out.set(i, j, (data.get(i, j) - centre[j]) / scale);
            }
        }
        return out;
    }
}
