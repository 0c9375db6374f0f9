package ae.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import ae.data.Dataset;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each scorer against a direct computation of its definition, and the AUROC against counting pairs. */
class AnomalyScorerTest {
    private static final int D = 10;
    private static Dataset train;
    private static Dataset queries;
    private static FittedAutoencoder model;

    @BeforeAll
    static void fit() {
        train = TestData.swissRoll(300, D, 3);
        queries = TestData.swissRoll(40, D, 4);
        model = Autoencoder.of(Presets.undercomplete(D, 3)).fit(train, TestData.quick(3), TrainingListener.none());
    }

    @AfterAll
    static void close() {
        model.close();
        train.close();
        queries.close();
    }

    private static double[] score(AnomalyScorer scorer, FittedAutoencoder m, Dataset rows) {
        try (AnomalyScorer.Fitted fitted = scorer.fit(m, scorer.learnsFromTrainingRows() ? train.features() : null)) {
            return fitted.score(rows.features());
        }
    }

    private static double[][] reconstructions(FittedAutoencoder m, Dataset rows) {
        try (TensorScope scope = TensorScope.open("test")) {
            return AnomalyScorers.rowsOf(m.reconstruct(rows.features(), scope));
        }
    }

    private static double[][] codes(FittedAutoencoder m, Dataset rows) {
        try (TensorScope scope = TensorScope.open("test")) {
            return AnomalyScorers.rowsOf(m.encode(rows.features(), scope));
        }
    }

    private static double[][] features(Dataset rows) {
        return AnomalyScorers.rowsOf(rows.features());
    }

    @Test
    void squaredErrorIsTheSummedSquaredResidualAndNormalizedDividesByTheTrainingMean() {
        double[][] x = features(queries);
        double[][] r = reconstructions(model, queries);
        double[][] xt = features(train);
        double[][] rt = reconstructions(model, train);
        double[] meanError = new double[D];
        for (int i = 0; i < xt.length; i++) {
            for (int j = 0; j < D; j++) {
                meanError[j] += Math.pow(xt[i][j] - rt[i][j], 2) / xt.length;
            }
        }
        double[] plain = new double[x.length];
        double[] normalized = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < D; j++) {
                double e = Math.pow(x[i][j] - r[i][j], 2);
                plain[i] += e;
                normalized[i] += e / meanError[j];
            }
        }
        assertArrayEquals(plain, score(new ReconstructionErrorScorer(false, false), model, queries), 1e-6);
        assertArrayEquals(normalized, score(new ReconstructionErrorScorer(false, true), model, queries),
                1e-6 * Arrays.stream(normalized).max().orElseThrow());
    }

    @Test
    void crossEntropyRanksLikeTheModelsOwnBceLoss() {
        double[] bce = score(new ReconstructionErrorScorer(true, false), model, queries);
        double[] own = score(new ModelLossScorer(), model, queries);
        assertArrayEquals(own, bce, 1e-3 * Arrays.stream(own).max().orElseThrow());
    }

    @Test
    void mahalanobisMatchesTheInverseCovarianceOfTheTrainingCodes() {
        double shrinkage = 0.05;
        double[][] h = codes(model, train);
        int k = h[0].length;
        double[] mean = new double[k];
        for (double[] row : h) {
            for (int a = 0; a < k; a++) {
                mean[a] += row[a] / h.length;
            }
        }
        double[][] s = new double[k][k];
        for (double[] row : h) {
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    s[a][b] += (row[a] - mean[a]) * (row[b] - mean[b]) / h.length;
                }
            }
        }
        double trace = 0;
        for (int a = 0; a < k; a++) {
            trace += s[a][a];
        }
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                s[a][b] = (1 - shrinkage) * s[a][b] + (a == b ? shrinkage * trace / k : 0);
            }
        }
        double[][] inverse = invert(s);
        double[][] q = codes(model, queries);
        double[] expected = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    expected[i] += (q[i][a] - mean[a]) * inverse[a][b] * (q[i][b] - mean[b]);
                }
            }
        }
        assertArrayEquals(expected, score(new MahalanobisScorer(shrinkage), model, queries),
                1e-6 * Arrays.stream(expected).max().orElseThrow());
    }

    /** Gauss-Jordan with partial pivoting: an inverse computed another way than the scorer's Cholesky solve. */
    private static double[][] invert(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = m[c];
            m[c] = m[pivot];
            m[pivot] = t;
            double p = m[c][c];
            for (int j = 0; j < 2 * n; j++) {
                m[c][j] /= p;
            }
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = m[r][c];
                    for (int j = 0; j < 2 * n; j++) {
                        m[r][j] -= f * m[c][j];
                    }
                }
            }
        }
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], n, out[i], 0, n);
        }
        return out;
    }

    @Test
    void residualAndCodeAddsBothScoresEachRelativeToItsTrainingMean() {
        double[] residualTrain = score(new ReconstructionErrorScorer(false, true), model, train);
        double[] codeTrain = score(new MahalanobisScorer(0.01), model, train);
        double[] residual = score(new ReconstructionErrorScorer(false, true), model, queries);
        double[] code = score(new MahalanobisScorer(0.01), model, queries);
        double[] combined = score(new ResidualAndCodeScorer(0.7, 0.01), model, queries);
        double residualMean = Arrays.stream(residualTrain).average().orElseThrow();
        double codeMean = Arrays.stream(codeTrain).average().orElseThrow();
        for (int i = 0; i < combined.length; i++) {
            assertEquals(residual[i] / residualMean + 0.7 * code[i] / codeMean, combined[i], 1e-9 * combined[i]);
        }
    }

    @Test
    void smoothedResidualSquaresEachPixelsWindowMeanAndNormalizesItByItsTrainingMean() {
        int side = 4;
        int window = 3;
        try (Dataset imageTrain = TestData.swissRoll(200, side * side, 5);
                Dataset imageQueries = TestData.swissRoll(30, side * side, 6);
                FittedAutoencoder imageModel = Autoencoder.of(Presets.undercomplete(side * side, 3))
                        .fit(imageTrain, TestData.quick(3), TrainingListener.none())) {
            double[][] smoothedTrain = smoothedSquares(imageModel, imageTrain, side, window);
            double[][] smoothedQueries = smoothedSquares(imageModel, imageQueries, side, window);
            double[] meanSquare = new double[side * side];
            for (double[] row : smoothedTrain) {
                for (int j = 0; j < row.length; j++) {
                    meanSquare[j] += row[j] / smoothedTrain.length;
                }
            }
            double floor = 1e-2 * Arrays.stream(meanSquare).average().orElseThrow();
            double[] residualTrain = new double[smoothedTrain.length];
            double[] residual = new double[smoothedQueries.length];
            for (int i = 0; i < smoothedTrain.length; i++) {
                for (int j = 0; j < meanSquare.length; j++) {
                    residualTrain[i] += smoothedTrain[i][j] / Math.max(meanSquare[j], floor);
                }
            }
            for (int i = 0; i < smoothedQueries.length; i++) {
                for (int j = 0; j < meanSquare.length; j++) {
                    residual[i] += smoothedQueries[i][j] / Math.max(meanSquare[j], floor);
                }
            }
            MahalanobisScorer codeScorer = new MahalanobisScorer(0.01);
            double[] codeTrain;
            double[] code;
            try (AnomalyScorer.Fitted fitted = codeScorer.fit(imageModel, imageTrain.features())) {
                codeTrain = fitted.score(imageTrain.features());
                code = fitted.score(imageQueries.features());
            }
            double[] combined;
            try (AnomalyScorer.Fitted fitted = new ResidualAndCodeScorer(0.7, 0.01, window)
                    .fit(imageModel, imageTrain.features())) {
                combined = fitted.score(imageQueries.features());
            }
            double residualMean = Arrays.stream(residualTrain).average().orElseThrow();
            double codeMean = Arrays.stream(codeTrain).average().orElseThrow();
            for (int i = 0; i < combined.length; i++) {
                assertEquals(residual[i] / residualMean + 0.7 * code[i] / codeMean, combined[i], 1e-6 * combined[i]);
            }
        }
    }

    /** Each pixel's residual averaged over the window around it (cut at the edges), squared. */
    private static double[][] smoothedSquares(FittedAutoencoder m, Dataset rows, int side, int window) {
        double[][] x = features(rows);
        double[][] r = reconstructions(m, rows);
        double[][] out = new double[x.length][side * side];
        for (int i = 0; i < x.length; i++) {
            for (int row = 0; row < side; row++) {
                for (int col = 0; col < side; col++) {
                    double sum = 0;
                    int count = 0;
                    for (int a = row - window / 2; a <= row + window / 2; a++) {
                        for (int b = col - window / 2; b <= col + window / 2; b++) {
                            if (a >= 0 && a < side && b >= 0 && b < side) {
                                sum += x[i][a * side + b] - r[i][a * side + b];
                                count++;
                            }
                        }
                    }
                    out[i][row * side + col] = Math.pow(sum / count, 2);
                }
            }
        }
        return out;
    }

    @Test
    void smoothingNeedsAnOddWindowAndSquareImages() {
        assertThrows(IllegalArgumentException.class, () -> new ResidualAndCodeScorer(0.5, 1e-3, 2));
        assertThrows(IllegalArgumentException.class, () -> new ResidualAndCodeScorer(0.5, 1e-3, 0));
        IllegalArgumentException notSquare = assertThrows(IllegalArgumentException.class,
                () -> new ResidualAndCodeScorer(0.5, 1e-3, 3).check(model.config()));
        assertTrue(notSquare.getMessage().contains("10 features"), notSquare.getMessage());
    }

    @Test
    void nearestNeighboursAverageTheKSmallestSquaredDistancesOverEveryTrainingCode() {
        int neighbours = 4;
        double[][] reference = codes(model, train);
        double[][] q = codes(model, queries);
        double[] expected = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            double[] d = new double[reference.length];
            for (int j = 0; j < reference.length; j++) {
                for (int a = 0; a < q[i].length; a++) {
                    d[j] += Math.pow(q[i][a] - reference[j][a], 2);
                }
            }
            Arrays.sort(d);
            for (int n = 0; n < neighbours; n++) {
                expected[i] += d[n] / neighbours;
            }
        }
        assertArrayEquals(expected, score(new NearestNeighboursScorer(neighbours), model, queries), 1e-5);
    }

    @Test
    void aTrainingRowIsItsOwnNearestNeighbour() {
        try (Dataset few = train.subset("first rows", new int[] {0, 1, 2, 3, 4})) {
            double[] scores = score(new NearestNeighboursScorer(1), model, few);
            for (double s : scores) {
                assertEquals(0, s, 1e-5);
            }
        }
    }

    @Test
    void theMonteCarloScoresNegateTheModelsEstimatesAndNeedAPrior() {
        try (FittedAutoencoder vae = Autoencoder.of(Presets.vae(D, 6, 2)).fit(train, TestData.quick(2),
                TrainingListener.none())) {
            double[] iwae = score(new MonteCarloScorer(MonteCarloScorer.Estimate.IWAE, 8, 5), vae, queries);
            double[] logLikelihood = vae.logLikelihood(queries.features(), 8, 5);
            for (int i = 0; i < iwae.length; i++) {
                assertEquals(-logLikelihood[i], iwae[i], 1e-12);
            }
            double[] elbo = vae.elbo(queries.features(), 8, 5);
            double[] negativeElbo = score(new MonteCarloScorer(MonteCarloScorer.Estimate.NEGATIVE_ELBO, 8, 5), vae,
                    queries);
            for (int i = 0; i < elbo.length; i++) {
                assertEquals(-elbo[i], negativeElbo[i], 1e-12);
                // log p(x) >= its importance-weighted bound >= the ELBO (up to Monte Carlo noise in each row).
                assertTrue(iwae[i] <= negativeElbo[i] + 1, "row " + i);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MonteCarloScorer(MonteCarloScorer.Estimate.IWAE, 16, 0).fit(model, null));
        assertTrue(e.getMessage().contains("needs a model with a prior"), e.getMessage());
    }

    @Test
    void theScoreFieldIsTheResidualNormOverTheVariance() {
        ModelConfig denoising = Presets.denoising(D, 3, new GaussianNoise(0.2));
        try (FittedAutoencoder dae = Autoencoder.of(denoising).fit(train, TestData.quick(2),
                TrainingListener.none())) {
            double[][] x = features(queries);
            double[][] r = reconstructions(dae, queries);
            double[] scores = score(new ScoreFieldScorer(), dae, queries);
            for (int i = 0; i < x.length; i++) {
                double sum = 0;
                for (int j = 0; j < D; j++) {
                    sum += Math.pow(r[i][j] - x[i][j], 2);
                }
                assertEquals(Math.sqrt(sum) / 0.04, scores[i], 1e-6 * scores[i]);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ScoreFieldScorer().fit(model, null));
        assertTrue(e.getMessage().contains("Gaussian corruption"), e.getMessage());
    }

    @Test
    void scorersThatLearnRefuseMissingOrMisshapenTrainingRows() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new MahalanobisScorer(0.01).fit(model, null));
        assertTrue(missing.getMessage().contains("learns from the training rows"), missing.getMessage());
        try (TensorScope scope = TensorScope.open("test")) {
            Tensor wide = scope.allocateFloat(5, D + 1);
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                    () -> new NearestNeighboursScorer(2).fit(model, wide));
            assertTrue(shape.getMessage().contains("n x " + D), shape.getMessage());
        }
    }

    @Test
    void everyScorerIsFoundByItsNameAndDescribesItsSettings() {
        for (PartKind<? extends AnomalyScorer> kind : AnomalyScorers.kinds()) {
            assertEquals(kind, AnomalyScorers.byName(kind.name()).kind());
        }
        assertEquals("knn (neighbours 5)", AnomalyScorers.byName("knn").describe());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AnomalyScorers.kind("nope"));
        assertTrue(e.getMessage().contains("mahalanobis"), e.getMessage());
    }

    @Test
    void theAnomalyPresetBringsItsScorerAndOtherModelsGetOneByTheirStructure() {
        assertEquals(new ResidualAndCodeScorer(0.25, 1e-3, 3), AnomalyScorers.defaultFor(Presets.byName("anomaly", 784)));
        assertEquals(new ResidualAndCodeScorer(0.25, 1e-3, 1), AnomalyScorers.defaultFor(Presets.byName("anomaly", 10)));
        assertEquals(64, Presets.byName("anomaly", 784).codeSize());
        assertEquals(MonteCarloScorer.IWAE, AnomalyScorers.defaultFor(Presets.byName("vae", 784)).kind());
        assertEquals(new ModelLossScorer(), AnomalyScorers.defaultFor(Presets.byName("undercomplete", 784)));
    }

    @Test
    void aurocCountsOrderedPairsWithTiesAsHalves() {
        assertEquals(1.0, AnomalyScorers.auroc(new double[] {1, 2, 3, 4}, new boolean[] {false, false, true, true}));
        assertEquals(0.0, AnomalyScorers.auroc(new double[] {4, 3, 2, 1}, new boolean[] {false, false, true, true}));
        assertEquals(0.5, AnomalyScorers.auroc(new double[] {1, 1, 1}, new boolean[] {true, false, false}));
        assertEquals(0.25, AnomalyScorers.auroc(new double[] {1, 3, 2, 4}, new boolean[] {true, true, false, false}));
        assertEquals(0.875, AnomalyScorers.auroc(new double[] {1, 2, 2, 3}, new boolean[] {false, true, false, true}));
        assertThrows(IllegalArgumentException.class,
                () -> AnomalyScorers.auroc(new double[] {1, 2}, new boolean[] {true, true}));
        assertThrows(IllegalArgumentException.class,
                () -> AnomalyScorers.auroc(new double[] {Double.NaN, 2}, new boolean[] {true, false}));
    }

    @Test
    void aurocEqualsTheFractionOfAnomalyNormalPairsInOrder() {
        // Each generated value is a score (value / 2, so that ties are common) and a label (value % 2); the first
        // two rows are one normal and one anomaly, so that both classes are present.
        qt().withExamples(300).forAll(lists().of(integers().between(0, 15)).ofSizeBetween(2, 40))
                .check(values -> {
                    int n = values.size();
                    double[] s = new double[n];
                    boolean[] anomalous = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        s[i] = values.get(i) / 2;
                        anomalous[i] = i == 1 || (i > 1 && values.get(i) % 2 == 1);
                    }
                    double pairs = 0;
                    double ordered = 0;
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            if (anomalous[i] && !anomalous[j]) {
                                pairs++;
                                ordered += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                            }
                        }
                    }
                    return Math.abs(AnomalyScorers.auroc(s, anomalous) - ordered / pairs) < 1e-12;
                });
    }
}
