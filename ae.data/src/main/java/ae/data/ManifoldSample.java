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
