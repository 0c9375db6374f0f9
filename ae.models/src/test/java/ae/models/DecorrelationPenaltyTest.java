package ae.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import ae.autodiff.Graph;
import ae.autodiff.GraphBuilder;
import ae.autodiff.GradientChecker;
import ae.autodiff.Node;
import ae.data.Dataset;
import ae.tensor.ComputePool;
import ae.tensor.DType;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The decorrelation penalty: its value, its gradient in float64, and its effect on semantic-hashing bits. */
class DecorrelationPenaltyTest {
    @Test
    void theTermIsTheSumOfSquaredOffDiagonalCovariances() {
        qt().withExamples(30).forAll(integers().between(2, 9), integers().between(2, 7), longs().all())
                .checkAssert((rows, units, seed) -> {
                    double[][] h = random(rows, units, seed);
                    GraphBuilder b = Graph.builder("decorrelation", DType.F64);
                    Node input = b.input("h", rows, units);
                    Node term = new DecorrelationPenalty(1).term(new PenaltySite(b, input, input, 1, input, false,
                            List.of()));
                    try (Graph g = b.build()) {
                        fill(input.value(), h);
                        g.forward();
                        assertEquals(offDiagonalSquares(h), term.value().get(0, 0), 1e-12);
                    }
                });
    }

    @Test
    void theGradientMatchesCentralDifferences() {
        qt().withExamples(20).forAll(integers().between(2, 6), integers().between(2, 5), longs().all())
                .checkAssert((rows, units, seed) -> {
                    GraphBuilder b = Graph.builder("decorrelation", DType.F64);
                    Node input = b.inputWithGradient("h", rows, units);
                    Node term = new DecorrelationPenalty(1).term(new PenaltySite(b, input, input, 1, input, false,
                            List.of()));
                    try (Graph g = b.build()) {
                        fill(input.value(), random(rows, units, seed));
                        GradientChecker.defaults().verify(g, term);
                    }
                });
    }

    @Test
    void gradientsThroughASemanticHashingGraphWithBothBitPenaltiesMatchCentralDifferences() {
        ModelConfig config = Presets.semanticHashing(10, new int[] {6}, 4, 1.5, 2.0)
                .withPenalties(List.of(new KlSparsityPenalty(2.0, 0.5), new DecorrelationPenalty(5.0)));
        try (ModelParameters params = new ModelParameters(config, DType.F64)) {
            params.initialize(3);
            ModelGraph g = ModelGraph.training(params, 5, 3, ComputePool.common());
            try (g) {
                TestData.fillInterior(g.input.value(), 3);
                g.graph.forward();
                GradientChecker.defaults().verify(g.graph, g.objective);
            }
        }
    }

    @Test
    void aNegativeWeightIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DecorrelationPenalty(-1));
        assertTrue(e.getMessage().startsWith("decorrelation:"), e.getMessage());
    }

    @Test
    void thePenaltyLowersTheCovarianceBetweenCodeUnits() {
        ModelConfig base = Presets.semanticHashing(16, new int[] {24}, 8, 4.0, 3.0);
        double without = meanSquaredCovariance(base);
        double with = meanSquaredCovariance(base.withPenalties(List.of(new KlSparsityPenalty(3.0, 0.5),
                new DecorrelationPenalty(30))));
        System.out.printf("mean squared covariance between two code units: %.3e with decorrelation, %.3e"
                + " without%n", with, without);
        assertTrue(with < 0.5 * without, with + " with decorrelation, " + without + " without");
    }

    /** The mean over pairs of code units of their squared covariance over the training rows. */
    private static double meanSquaredCovariance(ModelConfig config) {
        try (Dataset data = TestData.swissRoll(512, 16, 5);
             FittedAutoencoder model = Autoencoder.of(config).fit(data, TestData.quick(15), TrainingListener.none());
             TensorScope scope = TensorScope.open("codes")) {
            Tensor h = model.encode(data.features(), scope);
            double[][] codes = new double[h.rows()][h.cols()];
            for (int a = 0; a < h.rows(); a++) {
                for (int j = 0; j < h.cols(); j++) {
                    codes[a][j] = h.get(a, j);
                }
            }
            int k = h.cols();
            return offDiagonalSquares(codes) / (k * (k - 1));
        }
    }

    private static double[][] random(int rows, int units, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] h = new double[rows][units];
        for (double[] row : h) {
            for (int j = 0; j < units; j++) {
                row[j] = random.nextDouble(0.01, 0.99);
            }
        }
        return h;
    }

    private static void fill(Tensor t, double[][] h) {
        for (int i = 0; i < h.length; i++) {
            for (int j = 0; j < h[i].length; j++) {
                t.set(i, j, h[i][j]);
            }
        }
    }

    /** {@code sum_{i != j} (E[h_i h_j] - E[h_i] E[h_j])^2}, written from the definition by the raw moments. */
    private static double offDiagonalSquares(double[][] h) {
        int n = h.length;
        int k = h[0].length;
        double total = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                if (i == j) {
                    continue;
                }
                double product = 0;
                double mi = 0;
                double mj = 0;
                for (double[] row : h) {
                    product += row[i] * row[j] / n;
                    mi += row[i] / n;
                    mj += row[j] / n;
                }
                double c = product - mi * mj;
                total += c * c;
            }
        }
        return total;
    }
}
