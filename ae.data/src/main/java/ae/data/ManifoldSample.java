package ae.data;

/**
 * Points drawn by {@link Manifolds} together with what generated them: the intrinsic coordinates of every point,
 * the embedding frame, and from those the noise-free point and the tangent space at each point.
 *
 * <p>Owns its {@link #data()}: closing the sample closes the dataset.
 */
public final class ManifoldSample implements AutoCloseable {
    private final Manifolds.Kind kind;
    private final Dataset data;
    private final int intrinsicDimension;
    private final int parameters;
    private final double[] coordinates;
    private final double[][] frame;
    private final double radius;
    private final double noise;

    ManifoldSample(Manifolds.Kind kind, Dataset data, int intrinsicDimension, int parameters, double[] coordinates,
            double[][] frame, double radius, double noise) {
        this.kind = kind;
        this.data = data;
        this.intrinsicDimension = intrinsicDimension;
        this.parameters = parameters;
        this.coordinates = coordinates;
        this.frame = frame;
        this.radius = radius;
        this.noise = noise;
    }

    /** Which manifold the points were drawn from. */
    public Manifolds.Kind kind() {
        return kind;
    }

    /** The noisy embedded points, {@code n x ambientDimension}. */
    public Dataset data() {
        return data;
    }

    /** The manifold's dimension: 2 for the swiss roll and S-curve, 1 for the circle, k for {@code S^k}. */
    public int intrinsicDimension() {
        return intrinsicDimension;
    }

    /** The dimension {@code D} of the space the manifold is embedded in. */
    public int ambientDimension() {
        return frame.length;
    }

    /** Standard deviation of the ambient Gaussian noise. */
    public double noise() {
        return noise;
    }

    /** What point {@code i} was generated from (see {@link Manifolds.Kind} for each kind's parameters). */
    public double[] intrinsicCoordinates(int i) {
        java.util.Objects.checkIndex(i, data.size());
        return java.util.Arrays.copyOfRange(coordinates, i * parameters, (i + 1) * parameters);
    }

    /** The {@code ambient x natural} orthonormal frame that embeds the natural space; a copy. */
    public double[][] frame() {
        double[][] copy = new double[frame.length][];
        for (int r = 0; r < frame.length; r++) {
            copy[r] = frame[r].clone();
        }
        return copy;
    }

    /** Point {@code i} before noise, in ambient coordinates. */
    public double[] cleanPoint(int i) {
        java.util.Objects.checkIndex(i, data.size());
        double[] natural = new double[frame[0].length];
        naturalPoint(kind, radius, coordinates, i * parameters, natural);
        return embed(natural);
    }

    /**
     * An orthonormal basis of the tangent space of the manifold at the clean point {@code i}, in ambient
     * coordinates: {@link #intrinsicDimension()} vectors of length {@link #ambientDimension()}.
     */
    public double[][] tangentBasis(int i) {
        java.util.Objects.checkIndex(i, data.size());
        int at = i * parameters;
        int natural = frame[0].length;
        double[][] tangents = new double[intrinsicDimension][];
        switch (kind) {
            case SWISS_ROLL -> {
                double t = coordinates[at];
                tangents[0] = new double[] {Math.cos(t) - t * Math.sin(t), 0, Math.sin(t) + t * Math.cos(t)};
                tangents[1] = new double[] {0, 1, 0};
            }
            case S_CURVE -> {
                double t = coordinates[at];
                tangents[0] = new double[] {Math.cos(t), 0, -Math.signum(t) * Math.sin(t)};
                tangents[1] = new double[] {0, 1, 0};
            }
            case CIRCLE -> {
                double theta = coordinates[at];
                tangents[0] = new double[] {-Math.sin(theta), Math.cos(theta)};
            }
            case SPIRAL -> {
                double t = coordinates[at];
                tangents[0] = new double[] {Math.cos(t) - t * Math.sin(t), Math.sin(t) + t * Math.cos(t)};
            }
            case SPHERE -> {
                // The complement of the direction u: Gram-Schmidt on the axes, leaving out the one most aligned with u.
                int skip = 0;
                for (int j = 1; j < natural; j++) {
                    if (Math.abs(coordinates[at + j]) > Math.abs(coordinates[at + skip])) {
                        skip = j;
                    }
                }
                double[] u = java.util.Arrays.copyOfRange(coordinates, at, at + natural);
                int made = 0;
                for (int axis = 0; axis < natural && made < intrinsicDimension; axis++) {
                    if (axis == skip) {
                        continue;
                    }
                    double[] v = new double[natural];
                    v[axis] = 1;
                    for (int pass = 0; pass < 2; pass++) {
                        subtractProjection(v, u);
                        for (int p = 0; p < made; p++) {
                            subtractProjection(v, tangents[p]);
                        }
                    }
                    tangents[made++] = v;
                }
            }
        }
        for (int k = 0; k < tangents.length; k++) {
            double[] v = tangents[k];
            double norm = Math.sqrt(Gaussians.dot(v, v));
            for (int j = 0; j < v.length; j++) {
                v[j] /= norm;
            }
            tangents[k] = embed(v);
        }
        return tangents;
    }

    /**
     * The score {@code grad log p_s(x)} of the density this sample was drawn from (the manifold's parameter uniform,
     * then the ambient noise) further smoothed by {@code N(0, sigma^2 I)}: with {@code s^2 = noise^2 + sigma^2},
     * {@code p_s(x) = E_t N(x; c(t), s^2 I)}, whose score is the posterior mean of {@code (c(t) - x) / s^2} over
     * the parameter t. The expectation is integrated numerically on {@code grid} points of the parameter's range
     * (periodic trapezoid for the circle, midpoints for the spiral), with the weights combined in log space. For the
     * one-dimensional manifolds: the circle and the spiral.
     */
    public double[] smoothedScore(double[] x, double sigma, int grid) {
        if (x.length != ambientDimension()) {
            throw new IllegalArgumentException("a point of dimension " + x.length + " for a sample in dimension "
                    + ambientDimension());
        }
        if (kind != Manifolds.Kind.CIRCLE && kind != Manifolds.Kind.SPIRAL) {
            throw new UnsupportedOperationException("the smoothed score is integrated for the circle and the spiral,"
                    + " not the " + kind);
        }
        double variance = noise * noise + sigma * sigma;
        if (!(variance > 0) || grid < 2) {
            throw new IllegalArgumentException("the smoothed score needs noise or sigma > 0 and a grid of >= 2 points,"
                    + " got variance " + variance + " and grid " + grid);
        }
        double from = kind == Manifolds.Kind.CIRCLE ? 0 : Math.PI;
        double width = kind == Manifolds.Kind.CIRCLE ? 2 * Math.PI : 4 * Math.PI;
        double[] parameter = new double[1];
        double[] natural = new double[frame[0].length];
        double[][] points = new double[grid][];
        double[] logWeights = new double[grid];
        double largest = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < grid; j++) {
            parameter[0] = from + width * (kind == Manifolds.Kind.CIRCLE ? j : j + 0.5) / grid;
            naturalPoint(kind, radius, parameter, 0, natural);
            points[j] = embed(natural);
            double distance = 0;
            for (int r = 0; r < x.length; r++) {
                double e = x[r] - points[j][r];
                distance += e * e;
            }
            logWeights[j] = -distance / (2 * variance);
            largest = Math.max(largest, logWeights[j]);
        }
        double total = 0;
        double[] score = new double[x.length];
        for (int j = 0; j < grid; j++) {
            double w = Math.exp(logWeights[j] - largest);
            total += w;
            for (int r = 0; r < x.length; r++) {
                score[r] += w * (points[j][r] - x[r]);
            }
        }
        for (int r = 0; r < x.length; r++) {
            score[r] /= total * variance;
        }
        return score;
    }

    private static void subtractProjection(double[] v, double[] unit) {
        double dot = Gaussians.dot(v, unit) / Gaussians.dot(unit, unit);
        for (int j = 0; j < v.length; j++) {
            v[j] -= dot * unit[j];
        }
    }

    private double[] embed(double[] natural) {
        double[] out = new double[frame.length];
        for (int r = 0; r < frame.length; r++) {
            double v = 0;
            for (int c = 0; c < natural.length; c++) {
                v += frame[r][c] * natural[c];
            }
            out[r] = v;
        }
        return out;
    }

    static void naturalPoint(Manifolds.Kind kind, double radius, double[] coordinates, int at, double[] out) {
        switch (kind) {
            case SWISS_ROLL -> {
                double t = coordinates[at];
                out[0] = t * Math.cos(t);
                out[1] = coordinates[at + 1];
                out[2] = t * Math.sin(t);
            }
            case S_CURVE -> {
                double t = coordinates[at];
                out[0] = Math.sin(t);
                out[1] = coordinates[at + 1];
                out[2] = Math.signum(t) * (Math.cos(t) - 1);
            }
            case CIRCLE -> {
                out[0] = radius * Math.cos(coordinates[at]);
                out[1] = radius * Math.sin(coordinates[at]);
            }
            case SPIRAL -> {
                double t = coordinates[at];
                out[0] = t * Math.cos(t) / (5 * Math.PI);
                out[1] = t * Math.sin(t) / (5 * Math.PI);
            }
            case SPHERE -> {
                for (int j = 0; j < out.length; j++) {
                    out[j] = radius * coordinates[at + j];
                }
            }
        }
    }

    @Override
    public void close() {
        data.close();
    }
}
