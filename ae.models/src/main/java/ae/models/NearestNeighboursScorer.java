package ae.models;

import ae.tensor.Gemm;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.List;

/**
 * The mean squared Euclidean distance from a row's code (the mean of p(h|x)) to its k nearest training codes:
 * density in code space without a Gaussian's shape. Distances come from one matrix product per block of rows
 * ({@code |a|^2 - 2 a.b + |b|^2}), on the model's threads.
 */
public record NearestNeighboursScorer(int neighbours) implements AnomalyScorer {
    public static final PartKind<NearestNeighboursScorer> KIND = PartKind.of(NearestNeighboursScorer.class, "knn",
            "the mean squared distance of the code to its k nearest training codes",
            List.of(Setting.integer("neighbours", 5, "--neighbours", "how many nearest training codes the knn scorer"
                    + " averages over", NearestNeighboursScorer::neighbours)),
            v -> new NearestNeighboursScorer(v.integer("neighbours")));

    private static final int BLOCK_ROWS = 512;

    /** Checks the setting; throws {@link IllegalArgumentException} for fewer than one neighbour. */
    public NearestNeighboursScorer {
        if (neighbours < 1) {
            throw new IllegalArgumentException("knn: neighbours must be >= 1, got " + neighbours);
        }
    }

    @Override
    public PartKind<NearestNeighboursScorer> kind() {
        return KIND;
    }

    @Override
    public boolean learnsFromTrainingRows() {
        return true;
    }

    @Override
    public Fitted fit(FittedAutoencoder model, Tensor train) {
        AnomalyScorers.requireRows("scorer knn", train, model.config().inputDimension());
        if (train.rows() < neighbours) {
            throw new IllegalArgumentException("scorer knn: " + neighbours + " neighbours need at least as many"
                    + " training rows, got " + train.rows());
        }
        TensorScope held = TensorScope.open("knn training codes");
        try {
            Tensor reference = model.encode(train, held);
            double[] referenceNorms = squaredNorms(reference);
            return new Fitted() {
                @Override
                public double[] score(Tensor x) {
                    return scores(model, reference, referenceNorms, x);
                }

                @Override
                public void close() {
                    held.close();
                }
            };
        } catch (RuntimeException | Error e) {
            held.close();
            throw e;
        }
    }

    private double[] scores(FittedAutoencoder model, Tensor reference, double[] referenceNorms, Tensor x) {
        double[] scores = new double[x.rows()];
        double[] nearest = new double[neighbours];
        try (TensorScope scope = TensorScope.open("knn queries")) {
            Tensor codes = model.encode(x, scope);
            Tensor products = scope.allocateFloat(Math.min(BLOCK_ROWS, x.rows()), reference.rows());
            for (int from = 0; from < codes.rows(); from += BLOCK_ROWS) {
                int to = Math.min(codes.rows(), from + BLOCK_ROWS);
                Tensor block = codes.rows(from, to);
                Tensor dots = products.rows(0, to - from);
                Gemm.multiply(model.pool, 1, block, false, reference, true, 0, dots);
                double[] blockNorms = squaredNorms(block);
                for (int i = 0; i < to - from; i++) {
                    java.util.Arrays.fill(nearest, Double.POSITIVE_INFINITY);
                    for (int j = 0; j < reference.rows(); j++) {
                        double distance = Math.max(0, blockNorms[i] - 2 * dots.get(i, j) + referenceNorms[j]);
                        if (distance < nearest[neighbours - 1]) {
                            insert(nearest, distance);
                        }
                    }
                    double sum = 0;
                    for (double d : nearest) {
                        sum += d;
                    }
                    scores[from + i] = sum / neighbours;
                }
            }
        }
        return scores;
    }

    /** Inserts {@code value} into the ascending {@code nearest}, dropping its largest element. */
    private static void insert(double[] nearest, double value) {
        int at = nearest.length - 1;
        while (at > 0 && nearest[at - 1] > value) {
            nearest[at] = nearest[at - 1];
            at--;
        }
        nearest[at] = value;
    }

    private static double[] squaredNorms(Tensor rows) {
        double[] out = new double[rows.rows()];
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (int j = 0; j < rows.cols(); j++) {
                double v = rows.get(i, j);
                s += v * v;
            }
            out[i] = s;
        }
        return out;
    }
}
