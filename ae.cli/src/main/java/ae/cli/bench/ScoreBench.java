package ae.cli.bench;

import ae.data.Dataset;
import ae.data.GaussianMixture;
import ae.data.SyntheticData;
import ae.models.Autoencoder;
import ae.models.FittedAutoencoder;
import ae.models.LearningRateSchedule;
import ae.models.OptimizerConfig;
import ae.models.Presets;
import ae.models.TrainingConfig;
import ae.models.TrainingListener;
import ae.tensor.Rng;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;

/**
 * Denoising score estimation against the truth (seed 14.5.1): a {@code denoising-score} autoencoder trained with
 * Gaussian corruption sigma on 2-D data, its {@code (r(x) - x) / sigma^2} compared with the exact score of the data's
 * density smoothed by {@code N(0, sigma^2 I)} (closed form for the Gaussian mixture, numerical integration over the
 * curve for the noisy circle and spiral), at held-out points drawn from that smoothed density: where it is not
 * negligible.
 */
public final class ScoreBench {
    /** Points of the parameter grid of the curves' smoothed score. */
    static final int CURVE_GRID = 4096;

    /** The sizes and seeds of one measurement. */
    public record Settings(int trainRows, int testRows, int epochs, double noise, long seed, int threads) {
        public static Settings defaults() {
            return new Settings(6000, 1000, 100, SyntheticData.DEFAULT_NOISE, 0, 1);
        }
    }

    /**
     * One measurement: the mean over the points of the cosine between estimate and truth, and the relative error
     * {@code sqrt(sum ||estimate - truth||^2 / sum ||truth||^2)}.
     */
    public record Row(String data, double sigma, double meanCosine, double relativeError, int points) {
    }

    private ScoreBench() {
    }

    public static Row measure(String data, double sigma, Settings settings) {
        TrainingConfig training = TrainingConfig.defaults().withEpochs(settings.epochs()).withBatchSize(64)
                .withOptimizer(OptimizerConfig.adam(3e-3))
                .withSchedule(new LearningRateSchedule.Cosine(settings.epochs(), 0.01)).withSeed(settings.seed()).withThreads(settings.threads())
                .withValidation(0, 0);
        try (SyntheticData train = SyntheticData.generate(data, settings.trainRows(), settings.noise(),
                     settings.seed(), 0);
             // Another seed, the same embedding: the sets are in their own 2-D space.
             SyntheticData held = SyntheticData.generate(data, settings.testRows(), settings.noise(),
                     settings.seed() + 1, 0);
             FittedAutoencoder model = Autoencoder.of(Presets.denoisingScore(train.data().dimension(), 64, sigma))
                     .fit(train.data(), training, TrainingListener.none());
             TensorScope scope = TensorScope.open("score bench")) {
            Tensor points = smoothedDraws(held.data(), sigma, settings.seed(), scope);
            Tensor estimate = model.scoreEstimate(points, sigma, scope);
            GaussianMixture mixture = held.mixture() == null ? null : held.mixture().smoothed(sigma);
            double cosines = 0;
            double error = 0;
            double truthNorm = 0;
            int d = points.cols();
            for (int i = 0; i < points.rows(); i++) {
                double[] x = new double[d];
                for (int j = 0; j < d; j++) {
                    x[j] = points.get(i, j);
                }
                double[] truth = mixture != null ? mixture.score(x) : held.manifold().smoothedScore(x, sigma,
                        CURVE_GRID);
                double dot = 0;
                double ee = 0;
                double tt = 0;
                for (int j = 0; j < d; j++) {
                    double e = estimate.get(i, j);
                    dot += e * truth[j];
                    ee += e * e;
                    tt += truth[j] * truth[j];
                    error += (e - truth[j]) * (e - truth[j]);
                }
                truthNorm += tt;
                cosines += ee == 0 || tt == 0 ? 0 : dot / Math.sqrt(ee * tt);
            }
            return new Row(data, sigma, cosines / points.rows(), Math.sqrt(error / truthNorm), points.rows());
        }
    }

    /** Held-out points plus {@code N(0, sigma^2 I)}: draws of the smoothed density. */
    private static Tensor smoothedDraws(Dataset held, double sigma, long seed, TensorScope scope) {
        Tensor points = scope.allocateFloat(held.size(), held.dimension());
        Rng.seeded(seed ^ 0x5c0e).fillNormal(points, 0, sigma);
        for (int i = 0; i < held.size(); i++) {
            for (int j = 0; j < held.dimension(); j++) {
                points.set(i, j, points.get(i, j) + held.get(i, j));
            }
        }
        return points;
    }
}
