package ae.models;

import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.List;

/**
 * Distance from the model's manifold plus distance along it: the {@link ReconstructionErrorScorer normalized squared
 * reconstruction error} (off the manifold) and, weighted, the {@link MahalanobisScorer Mahalanobis distance} of the
 * code (on it), each divided by its mean over the training rows so that neither dominates by its units. For PCA this
 * is, up to the weights, the negative log-likelihood of probabilistic PCA; for an autoencoder it is the same idea on
 * a curved manifold.
 *
 * <p>With a smoothing window above 1 (square images only), the residual x - r(x) is first averaged over a
 * {@code smoothing} x {@code smoothing} window around each pixel (the window cut at the image's edges), then squared
 * and normalized pixel by pixel as before: an error spread over a region (a missing strap, a wider sole) then counts
 * for more than the same amount of error scattered over single pixels, which a model of the normal class also makes.
 */
public record ResidualAndCodeScorer(double codeWeight, double shrinkage, int smoothing) implements AnomalyScorer {
    public static final PartKind<ResidualAndCodeScorer> KIND = PartKind.of(ResidualAndCodeScorer.class,
            "residual-and-code", "the normalized squared reconstruction error plus, weighted, the Mahalanobis"
                    + " distance of the code, each relative to its mean over the training rows",
            List.of(Setting.real("code-weight", 0.5, "--code-weight", "the weight of the code's Mahalanobis distance"
                            + " in the residual-and-code scorer", ResidualAndCodeScorer::codeWeight),
                    Setting.real("shrinkage", 1e-3, "--shrinkage", "how far the mahalanobis scorer shrinks the codes'"
                            + " covariance toward a multiple of the identity, in [0, 1]",
                            ResidualAndCodeScorer::shrinkage),
                    Setting.integer("smoothing", 1, "--smoothing", "the side of the square window over which the"
                            + " residual-and-code scorer averages an image's residual before squaring it (an odd"
                            + " number; 1: no smoothing; above 1 the rows must be square images)",
                            ResidualAndCodeScorer::smoothing)),
            v -> new ResidualAndCodeScorer(v.real("code-weight"), v.real("shrinkage"), v.integer("smoothing")));

    /**
     * Checks the settings; throws {@link IllegalArgumentException} for a negative code weight, a shrinkage outside
     * [0, 1], or a smoothing window that is not an odd number of at least 1.
     */
    public ResidualAndCodeScorer {
        Penalty.requireWeight("residual-and-code code-weight", codeWeight);
        new MahalanobisScorer(shrinkage);
        if (smoothing < 1 || smoothing % 2 == 0) {
            throw new IllegalArgumentException("residual-and-code smoothing must be an odd window side of at least 1,"
                    + " got " + smoothing);
        }
    }

    /** The scorer without smoothing. */
    public ResidualAndCodeScorer(double codeWeight, double shrinkage) {
        this(codeWeight, shrinkage, 1);
    }

    @Override
    public void check(ModelConfig model) {
        if (smoothing > 1) {
            imageSide(model.inputDimension());
        }
    }

    @Override
    public PartKind<ResidualAndCodeScorer> kind() {
        return KIND;
    }

    @Override
    public boolean learnsFromTrainingRows() {
        return true;
    }

    @Override
    public Fitted fit(FittedAutoencoder model, Tensor train) {
        AnomalyScorers.requireRows("scorer residual-and-code", train, model.config().inputDimension());
        check(model.config());
        Fitted residual = smoothing == 1 ? new ReconstructionErrorScorer(false, true).fit(model, train)
                : smoothedResidual(model, train);
        Fitted code = new MahalanobisScorer(shrinkage).fit(model, train);
        double residualScale = mean(residual.score(train));
        double codeScale = mean(code.score(train));
        return x -> {
            double[] r = residual.score(x);
            double[] c = code.score(x);
            double[] out = new double[r.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = r[i] / residualScale + codeWeight * c[i] / codeScale;
            }
            return out;
        };
    }

    private Fitted smoothedResidual(FittedAutoencoder model, Tensor train) {
        int d = model.config().inputDimension();
        int side = imageSide(d);
        double[] summedSquare = new double[d];
        smoothedSquares(model, train, side, (row, pixel, square) -> summedSquare[pixel] += square);
        double[] weights = ReconstructionErrorScorer.normalizers(summedSquare, train.rows());
        return x -> {
            double[] scores = new double[x.rows()];
            smoothedSquares(model, x, side, (row, pixel, square) -> scores[row] += weights[pixel] * square);
            return scores;
        };
    }

    @FunctionalInterface
    private interface PixelConsumer {
        void accept(int row, int pixel, double square);
    }

    /** The square of each pixel's window mean of the residual, row by row. */
    private void smoothedSquares(FittedAutoencoder model, Tensor x, int side, PixelConsumer consumer) {
        AnomalyScorers.requireRows("scorer residual-and-code", x, side * side);
        int d = side * side;
        int half = smoothing / 2;
        double[] residual = new double[d];
        double[] across = new double[d];
        int chunk = 1024;
        for (int from = 0; from < x.rows(); from += chunk) {
            int to = Math.min(x.rows(), from + chunk);
            try (TensorScope scope = TensorScope.open("smoothed residual")) {
                Tensor rows = x.rows(from, to);
                Tensor reconstruction = model.reconstruct(rows, scope);
                for (int i = 0; i < to - from; i++) {
                    for (int j = 0; j < d; j++) {
                        residual[j] = rows.get(i, j) - reconstruction.get(i, j);
                    }
                    // The window is a rectangle cut at the edges, so its mean is a mean along rows of means along
                    // columns.
                    for (int r = 0; r < side; r++) {
                        for (int c = 0; c < side; c++) {
                            int lo = Math.max(0, c - half);
                            int hi = Math.min(side - 1, c + half);
                            double sum = 0;
                            for (int k = lo; k <= hi; k++) {
                                sum += residual[r * side + k];
                            }
                            across[r * side + c] = sum / (hi - lo + 1);
                        }
                    }
                    for (int r = 0; r < side; r++) {
                        int lo = Math.max(0, r - half);
                        int hi = Math.min(side - 1, r + half);
                        for (int c = 0; c < side; c++) {
                            double sum = 0;
                            for (int k = lo; k <= hi; k++) {
                                sum += across[k * side + c];
                            }
                            double mean = sum / (hi - lo + 1);
                            consumer.accept(from + i, r * side + c, mean * mean);
                        }
                    }
                }
            }
        }
    }

    private int imageSide(int dimension) {
        int side = (int) Math.round(Math.sqrt(dimension));
        if (side * side != dimension) {
            throw new IllegalArgumentException("residual-and-code with smoothing " + smoothing + " needs square images;"
                    + " the model's input has " + dimension + " features, not a square number");
        }
        return side;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return Math.max(sum / values.length, Double.MIN_NORMAL);
    }
}
