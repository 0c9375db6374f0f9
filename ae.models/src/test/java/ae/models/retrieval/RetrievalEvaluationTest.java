package ae.models.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import ae.tensor.ComputePool;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** mAP, P@k and precision within a radius against their definitions written out over a full sort. */
class RetrievalEvaluationTest {
    @Test
    void aHandComputedExample() {
        // Database codes at distances 0, 1, 1, 2 from the query (4 bits), labels 1, 0, 1, 1; query label 1.
        BinaryCodes db = new BinaryCodes(4, 4, new long[] {0b0000, 0b0001, 0b0010, 0b0011});
        HammingIndex index = HammingIndex.of(db, new int[] {1, 0, 1, 1});
        RetrievalScores s = RetrievalEvaluation.hamming(index, new BinaryCodes(1, 4, new long[] {0}), new int[] {1},
                2, 1);
        // Ranking 0, 1, 2, 3 (the tie at distance 1 by row id): relevant at ranks 1, 3, 4.
        assertEquals((1 + 2 / 3.0 + 3 / 4.0) / 3, s.meanAveragePrecision(), 1e-12);
        assertEquals(0.5, s.precisionAtK(), 1e-12);
        assertEquals(2 / 3.0, s.precisionWithinRadius(), 1e-12);
        assertEquals(0, s.emptyRadiusFraction());
    }

    private static double[] definition(int[] ranking, int[] labels, int label, int k) {
        int relevant = 0;
        double sum = 0;
        for (int i = 0; i < ranking.length; i++) {
            if (labels[ranking[i]] == label) {
                relevant++;
                sum += relevant / (i + 1.0);
            }
        }
        long atK = Arrays.stream(ranking).limit(k).filter(p -> labels[p] == label).count();
        return new double[] {relevant == 0 ? 0 : sum / relevant, atK / (double) Math.min(k, ranking.length)};
    }

    @Test
    void hammingScoresMatchTheirDefinitions() {
        qt().forAll(integers().between(1, 120), integers().between(1, 30), integers().between(0, 3), longs().all())
                .checkAssert((n, k, radius, seed) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    int bits = r.nextBoolean() ? 16 : 70;
                    BinaryCodes db = HammingIndexTest.codes(r, n, bits);
                    BinaryCodes queries = HammingIndexTest.codes(r, 4, bits);
                    int[] labels = r.ints(n, 0, 3).toArray();
                    int[] queryLabels = r.ints(4, 0, 3).toArray();
                    HammingIndex index = HammingIndex.of(db, labels);
                    double map = 0;
                    double pk = 0;
                    double pr = 0;
                    for (int q = 0; q < 4; q++) {
                        int qq = q;
                        int[] ranking = IntStream.range(0, n).boxed().sorted(Comparator.<Integer>comparingInt(
                                p -> db.distance(p, queries, qq)).thenComparingInt(p -> p))
                                .mapToInt(Integer::intValue).toArray();
                        double[] s = definition(ranking, labels, queryLabels[q], k);
                        map += s[0];
                        pk += s[1];
                        int[] ball = Arrays.stream(ranking).filter(p -> db.distance(p, queries, qq) <= radius)
                                .toArray();
                        pr += ball.length == 0 ? 0 : Arrays.stream(ball).filter(p -> labels[p] == queryLabels[qq])
                                .count() / (double) ball.length;
                    }
                    RetrievalScores s = RetrievalEvaluation.hamming(index, queries, queryLabels, k, radius);
                    assertEquals(map / 4, s.meanAveragePrecision(), 1e-12);
                    assertEquals(pk / 4, s.precisionAtK(), 1e-12);
                    assertEquals(pr / 4, s.precisionWithinRadius(), 1e-12);
                });
    }

    @Test
    void euclideanScoresMatchTheirDefinitions() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 150;
        int d = 7;
        int m = 9;
        try (TensorScope scope = TensorScope.open("test")) {
            Tensor db = scope.allocateFloat(n, d);
            Tensor queries = scope.allocateFloat(m, d);
            for (int i = 0; i < n * d; i++) {
                db.setFlat(i, r.nextInt(4) / 4.0);
            }
            for (int i = 0; i < m * d; i++) {
                queries.setFlat(i, r.nextInt(4) / 4.0);
            }
            int[] labels = r.ints(n, 0, 3).toArray();
            int[] queryLabels = r.ints(m, 0, 3).toArray();
            double map = 0;
            double pk = 0;
            for (int q = 0; q < m; q++) {
                int qq = q;
                double[] dist = new double[n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < d; j++) {
                        double diff = db.get(i, j) - queries.get(qq, j);
                        dist[i] += diff * diff;
                    }
                }
                // Values on a grid of quarters: distances are exact, ties are real and go by row id.
                int[] ranking = IntStream.range(0, n).boxed().sorted(Comparator.<Integer>comparingDouble(
                        i -> dist[i]).thenComparingInt(i -> i)).mapToInt(Integer::intValue).toArray();
                double[] s = definition(ranking, labels, queryLabels[q], 10);
                map += s[0];
                pk += s[1];
            }
            RetrievalScores s;
            try (ComputePool pool = ComputePool.create(1)) {
                s = RetrievalEvaluation.euclidean(db, labels, queries, queryLabels, 10, pool);
            }
            assertEquals(map / m, s.meanAveragePrecision(), 1e-12);
            assertEquals(pk / m, s.precisionAtK(), 1e-12);
        }
    }

    @Test
    void firstPerClassTakesTheFirstRowsOfEachLabel() {
        assertArrayEquals(new int[] {0, 1, 2, 4, 5}, RetrievalEvaluation.firstPerClass(new int[] {0, 1, 0, 0, 2, 1},
                2));
    }
}
