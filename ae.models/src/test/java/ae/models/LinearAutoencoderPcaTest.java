package ae.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.data.Dataset;
import org.junit.jupiter.api.Test;

/**
 * 14.1: an undercomplete autoencoder with a linear decoder and squared error learns to span the same subspace as
 * PCA. A linear d-2-d autoencoder is trained by Adam from random weights on data with a clear spectrum; the span of
 * its decoder's columns must then be the span of the two leading principal components (the PCA model's), to within
 * principal angles of a few hundredths of a radian.
 */
class LinearAutoencoderPcaTest {
    @Test
    void aTrainedLinearAutoencoderSpansThePrincipalSubspace() {
        int k = 2;
        ModelConfig pca = Presets.pca(PrincipalComponentsTest.D, k);
        ModelConfig linear = pca.withName("linear").withProcedure(TrainingProcedure.backpropagation());
        TrainingConfig training = TrainingConfig.defaults().withEpochs(40).withBatchSize(32).withThreads(1)
                .withSeed(3).withOptimizer(OptimizerConfig.adam(1e-2));
        try (Dataset data = PrincipalComponentsTest.clearSpectrum(1000, 17);
             FittedAutoencoder exact = Autoencoder.of(pca).fit(data, training, TrainingListener.none());
             FittedAutoencoder trained = Autoencoder.of(linear).fit(data, training, TrainingListener.none())) {
            double[][] components = PrincipalComponentsTest.encoderRows(exact, "encoder.0.weight", false);
            double[][] decoderColumns = PrincipalComponentsTest.encoderRows(trained, "decoder.0.weight", true);
            double[][] untrained = initialColumns(linear, data);
            double before = largestAngle(untrained, components);
            double after = largestAngle(decoderColumns, components);
            System.out.printf("largest principal angle to PCA's subspace: %.4f rad at initialization, %.4f after"
                    + " training; mean squared error %.4f (PCA %.4f)%n", before, after, trained.meanLoss(data),
                    exact.meanLoss(data));
            assertTrue(before > 0.3, "the initialization must start away from the subspace, at " + before);
            assertTrue(after < 0.03, "largest principal angle " + after + " rad");
            assertTrue(trained.meanLoss(data) < exact.meanLoss(data) * 1.02, "squared error near PCA's");
        }
    }

    private static double[][] initialColumns(ModelConfig linear, Dataset data) {
        TrainingConfig none = TrainingConfig.defaults().withEpochs(0).withThreads(1).withSeed(3);
        try (FittedAutoencoder start = Autoencoder.of(linear).fit(data, none, TrainingListener.none())) {
            return PrincipalComponentsTest.encoderRows(start, "decoder.0.weight", true);
        }
    }

    private static double largestAngle(double[][] a, double[][] b) {
        return Math.acos(Math.min(1, PrincipalComponentsTest.principalAngleCosines(a, b)[0]));
    }
}
