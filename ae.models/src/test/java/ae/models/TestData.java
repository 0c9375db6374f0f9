package ae.models;

import ae.data.Dataset;
import ae.data.ManifoldSample;
import ae.data.Manifolds;
import ae.tensor.Tensor;
import java.util.SplittableRandom;

/** Small seeded data sets for fast tests. */
final class TestData {
    private TestData() {
    }

    /** A swiss roll embedded in {@code ambient} dimensions, scaled to [0, 1] per feature. */
    static Dataset swissRoll(int n, int ambient, long seed) {
        ManifoldSample sample = Manifolds.swissRoll(n, ambient, 0.05, seed);
        Dataset data = sample.data();
        data.scaleToUnitInterval();
        return data;
    }

    /** The mean over rows of sum_j H(x_ij): the smallest binary cross-entropy any reconstruction can reach. */
    static double meanEntropy(Dataset data) {
        double total = 0;
        for (int i = 0; i < data.size(); i++) {
            for (int j = 0; j < data.dimension(); j++) {
                double p = data.get(i, j);
                if (p > 0 && p < 1) {
                    total -= p * Math.log(p) + (1 - p) * Math.log(1 - p);
                }
            }
        }
        return total / data.size();
    }

    /**
     * Fills {@code x} with seeded values in [0.05, 0.95], inside (0, 1) so that binary cross-entropy and sigmoid
     * outputs stay away from their flat ends in gradient checks.
     */
    static void fillInterior(Tensor x, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < x.size(); i++) {
            x.setFlat(i, random.nextDouble(0.05, 0.95));
        }
    }

    static TrainingConfig quick(int epochs) {
        return TrainingConfig.defaults().withEpochs(epochs).withBatchSize(32).withThreads(1).withSeed(7)
                .withOptimizer(OptimizerConfig.adam(1e-2));
    }
}
