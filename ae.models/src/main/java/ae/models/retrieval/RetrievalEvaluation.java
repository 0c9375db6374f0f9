package ae.models.retrieval;

import ae.tensor.ComputePool;
import ae.tensor.Gemm;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.Arrays;

/**
 * Retrieval quality with class labels as relevance, the image-hashing convention: for each query the whole database
 * is ranked (by Hamming distance, or by Euclidean distance for the exact baseline) and scored by average precision,
 * precision among the first k, and precision within a Hamming radius. Ties in distance are ranked by row id,
 * ascending, so that mAP is a function of the codes alone; the ranking is a counting sort by distance (stable in row
 * order), never a comparison sort of the database.
 */
public final class RetrievalEvaluation {
    private RetrievalEvaluation() {
    }

    /** Scores the Hamming ranking of {@code database} for each query code (labels of the queries given). */
    public static RetrievalScores hamming(HammingIndex database, BinaryCodes queries, int[] queryLabels, int k,
                                          int radius) {
        requireLabels(database.hasLabels(), queries.count(), queryLabels, k);
        if (queries.bits() != database.bits()) {
            throw new IllegalArgumentException("queries of " + queries.bits() + " bits, the index has codes of "
                    + database.bits() + " bits");
        }
        int n = database.size();
        int bits = database.bits();
        int[] labels = database.labelsView();
        int[] distances = new int[n];
        int[] counts = new int[bits + 2];
        int[] ranking = new int[n];
        long[] query = new long[database.wordsPerCode()];
        Accumulator total = new Accumulator(k);
        int empty = 0;
        double radiusPrecision = 0;
        for (int q = 0; q < queries.count(); q++) {
            queries.copyCode(q, query, 0);
            database.distances(query, distances);
            Arrays.fill(counts, 0);
            for (int p = 0; p < n; p++) {
                counts[distances[p] + 1]++;
            }
            for (int d = 1; d < counts.length; d++) {
                counts[d] += counts[d - 1];
            }
            // counts[d] is now where distance d starts; radius r ends where r + 1 starts.
            int inRadius = counts[Math.min(radius + 1, bits + 1)];
            for (int p = 0; p < n; p++) {
                ranking[counts[distances[p]]++] = p;
            }
            int relevantInRadius = 0;
            for (int i = 0; i < inRadius; i++) {
                relevantInRadius += labels[ranking[i]] == queryLabels[q] ? 1 : 0;
            }
            if (inRadius == 0) {
                empty++;
            } else {
                radiusPrecision += relevantInRadius / (double) inRadius;
            }
            total.add(ranking, labels, queryLabels[q]);
        }
        int m = queries.count();
        return new RetrievalScores(m, total.map / m, k, total.precisionAtK / m, radius, radiusPrecision / m,
                empty / (double) m);
    }

    /**
     * Scores exact Euclidean ranking over the raw features: {@code database} (n x d) with its labels, {@code queries}
     * (m x d) with theirs. Distances are computed as ||q||^2 - 2 q.x + ||x||^2 from a float32 product, in float64 rounded to
     * float32 for the ranking; ties by row.
     */
    public static RetrievalScores euclidean(Tensor database, int[] databaseLabels, Tensor queries, int[] queryLabels,
                                            int k, ComputePool pool) {
        requireLabels(databaseLabels != null, queries.rows(), queryLabels, k);
        int n = database.rows();
        int d = database.cols();
        if (queries.cols() != d) {
            throw new IllegalArgumentException("queries of " + queries.cols() + " features, the database has " + d);
        }
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double v = database.get(i, j);
                s += v * v;
            }
            norms[i] = s;
        }
        int block = 100;
        Accumulator total = new Accumulator(k);
        long[] keys = new long[n];
        int[] ranking = new int[n];
        try (TensorScope scope = TensorScope.open("euclidean")) {
            Tensor products = scope.allocateFloat(block, n);
            for (int from = 0; from < queries.rows(); from += block) {
                int rows = Math.min(block, queries.rows() - from);
                Tensor out = products.rows(0, rows);
                Gemm.multiply(pool, 1, queries.rows(from, from + rows), false, database, true, 0, out);
                for (int r = 0; r < rows; r++) {
                    double queryNorm = 0;
                    for (int j = 0; j < d; j++) {
                        double v = queries.get(from + r, j);
                        queryNorm += v * v;
                    }
                    for (int i = 0; i < n; i++) {
                        float distance = (float) Math.max(0, queryNorm + norms[i] - 2 * out.get(r, i));
                        keys[i] = (long) Float.floatToIntBits(distance + 0f) << 32 | i;
                    }
                    // Non-negative floats order as their bits; the low half breaks ties by row.
                    Arrays.sort(keys);
                    for (int i = 0; i < n; i++) {
                        ranking[i] = (int) keys[i];
                    }
                    total.add(ranking, databaseLabels, queryLabels[from + r]);
                }
            }
        }
        int m = queries.rows();
        return new RetrievalScores(m, total.map / m, k, total.precisionAtK / m, -1, Double.NaN, Double.NaN);
    }

    /** The first {@code perClass} rows of each label, in row order: the usual balanced query set. */
    public static int[] firstPerClass(int[] labels, int perClass) {
        int max = Arrays.stream(labels).max().orElse(-1);
        int[] taken = new int[Math.max(0, max + 1)];
        int[] out = new int[labels.length];
        int size = 0;
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i];
            if (l >= 0 && taken[l] < perClass) {
                taken[l]++;
                out[size++] = i;
            }
        }
        return Arrays.copyOf(out, size);
    }

    private static void requireLabels(boolean databaseLabels, int queries, int[] queryLabels, int k) {
        if (!databaseLabels) {
            throw new IllegalArgumentException("the database has no labels: relevance is by class label");
        }
        if (queryLabels == null) {
            throw new IllegalArgumentException("the queries have no labels: relevance is by class label");
        }
        if (queryLabels.length != queries) {
            throw new IllegalArgumentException(queries + " queries but " + queryLabels.length + " labels");
        }
        if (queries == 0) {
            throw new IllegalArgumentException("no queries to evaluate");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
    }

    /** Sums of average precision and precision at k over queries. */
    private static final class Accumulator {
        final int k;
        double map;
        double precisionAtK;

        Accumulator(int k) {
            this.k = k;
        }

        void add(int[] ranking, int[] labels, int label) {
            int relevant = 0;
            double sum = 0;
            int atK = 0;
            for (int i = 0; i < ranking.length; i++) {
                if (labels[ranking[i]] == label) {
                    relevant++;
                    sum += relevant / (double) (i + 1);
                }
                if (i == k - 1) {
                    atK = relevant;
                }
            }
            if (ranking.length < k) {
                atK = relevant;
            }
            map += relevant == 0 ? 0 : sum / relevant;
            precisionAtK += atK / (double) Math.min(k, Math.max(1, ranking.length));
        }
    }
}
