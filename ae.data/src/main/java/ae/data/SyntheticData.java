package ae.data;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The built-in synthetic sets by name, for {@code --data}: {@code swiss-roll}, {@code s-curve}, {@code circle},
 * {@code sphere} (S^2), {@code spiral} and {@code gaussian-mixture}, each with {@code n} points, isotropic Gaussian
 * noise of standard deviation {@code noise} in every coordinate, a seed, and optionally embedded in {@code R^embed}
 * by a seeded random rotation ({@code embed} 0 keeps the natural dimension). Each set keeps its ground truth: a
 * {@link ManifoldSample} (clean points, tangents, the smoothed score of the curves) or the {@link GaussianMixture}
 * the points were drawn from.
 *
 * <p>The mixture has five components of standard deviation 0.15 at the vertices of a regular pentagon of radius 1;
 * its noise grows every variance by {@code noise^2}. Owns its data: closing it closes the dataset.
 */
public final class SyntheticData implements AutoCloseable {
    /** The names {@link #generate} accepts. */
    public static final List<String> NAMES = List.of("swiss-roll", "s-curve", "circle", "sphere", "spiral",
            "gaussian-mixture");
    /** Points drawn when no count is given. */
    public static final int DEFAULT_N = 2000;
    /** Ambient noise standard deviation when none is given. */
    public static final double DEFAULT_NOISE = 0.05;
    private static final int MIXTURE_COMPONENTS = 5;
    private static final double MIXTURE_STDDEV = 0.15;

    private final String name;
    private final Dataset data;
    private final ManifoldSample manifold;
    private final GaussianMixture mixture;

    private SyntheticData(String name, Dataset data, ManifoldSample manifold, GaussianMixture mixture) {
        this.name = name;
        this.data = data;
        this.manifold = manifold;
        this.mixture = mixture;
    }

    /** Whether {@code name} (any case) names a built-in synthetic set. */
    public static boolean isName(String name) {
        return NAMES.contains(name.trim().toLowerCase(Locale.ROOT));
    }

    /** The set called {@code name}; {@code embed} 0 for its natural dimension (2 or 3), else at least that. */
    public static SyntheticData generate(String name, int n, double noise, long seed, int embed) {
        Objects.requireNonNull(name, "name");
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(key)) {
            throw new IllegalArgumentException("unknown synthetic data '" + name + "'; known: "
                    + String.join(", ", NAMES));
        }
        if (embed < 0) {
            throw new IllegalArgumentException("embed must be 0 (the natural dimension) or a dimension, got " + embed);
        }
        int natural = switch (key) {
            case "swiss-roll", "s-curve", "sphere" -> 3;
            default -> 2;
        };
        int ambient = embed == 0 ? natural : embed;
        ManifoldSample manifold = switch (key) {
            case "swiss-roll" -> Manifolds.swissRoll(n, ambient, noise, seed);
            case "s-curve" -> Manifolds.sCurve(n, ambient, noise, seed);
            case "circle" -> Manifolds.circle(n, 1, ambient, noise, seed);
            case "sphere" -> Manifolds.sphere(n, 2, 1, ambient, noise, seed);
            case "spiral" -> Manifolds.spiral(n, ambient, noise, seed);
            default -> null;
        };
        if (manifold != null) {
            return new SyntheticData(key, manifold.data(), manifold, null);
        }
        if (ambient < natural) {
            throw new IllegalArgumentException("gaussian-mixture lives in dimension 2; embed " + embed
                    + " is smaller");
        }
        if (!(noise >= 0) || !Double.isFinite(noise)) {
            throw new IllegalArgumentException("noise must be a finite standard deviation >= 0, got " + noise);
        }
        GaussianMixture planar = pentagon(ambient == natural ? noise : 0);
        Dataset drawn = planar.sample(n, seed, key);
        if (ambient == natural) {
            return new SyntheticData(key, drawn, null, planar);
        }
        try (drawn) {
            double[][] frame = Gaussians.orthonormalFrame(ambient, natural, Seeds.derive(seed, Seeds.ROTATION_STREAM, 0));
            Gaussians g = new Gaussians(Seeds.derive(seed, Seeds.SAMPLE_STREAM, 2));
            float[] values = new float[n * ambient];
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < ambient; r++) {
                    double v = noise * g.next();
                    for (int c = 0; c < natural; c++) {
                        v += frame[r][c] * drawn.get(i, c);
                    }
                    values[i * ambient + r] = (float) v;
                }
            }
            return new SyntheticData(key, Dataset.copyOf(key, values, n, ambient, drawn.labels()), null, null);
        }
    }

    /** The mixture of {@code gaussian-mixture} in the plane, every variance grown by {@code noise^2}. */
    public static GaussianMixture pentagon(double noise) {
        double[] weights = new double[MIXTURE_COMPONENTS];
        double[][] means = new double[MIXTURE_COMPONENTS][];
        double[][] variances = new double[MIXTURE_COMPONENTS][];
        double variance = MIXTURE_STDDEV * MIXTURE_STDDEV + noise * noise;
        for (int k = 0; k < MIXTURE_COMPONENTS; k++) {
            double angle = Math.PI / 2 + 2 * Math.PI * k / MIXTURE_COMPONENTS;
            weights[k] = 1;
            means[k] = new double[] {Math.cos(angle), Math.sin(angle)};
            variances[k] = new double[] {variance, variance};
        }
        return GaussianMixture.of(weights, means, variances);
    }

    /** The set's name, e.g. {@code swiss-roll}. */
    public String name() {
        return name;
    }

    /** The points (and labels for the mixture), owned by this set: valid until it is closed. */
    public Dataset data() {
        return data;
    }

    /** The manifold the points lie near, or null for the mixture. */
    public ManifoldSample manifold() {
        return manifold;
    }

    /** The density the points were drawn from when it is a mixture in the data's own space, else null. */
    public GaussianMixture mixture() {
        return mixture;
    }

    @Override
    public void close() {
        data.close();
    }
}
