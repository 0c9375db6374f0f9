package ae.data;

import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Seeded point clouds on manifolds whose structure is known exactly, for checking that an autoencoder learns it
 * (reconstruction near the manifold, encoder tangents along the true tangent space).
 *
 * <p>Each set is first drawn in its natural space (3-D for the swiss roll and the S-curve, 2-D for the circle,
 * {@code k+1}-D for the sphere {@code S^k}), then embedded into the ambient dimension by a uniformly random
 * orthonormal frame, then perturbed by isotropic Gaussian noise of standard deviation {@code noise} in every
 * ambient coordinate. When the ambient dimension equals the natural one the frame is the identity, which gives the
 * classic unrotated sets. The points use {@code Seeds.derive(seed, Seeds.SAMPLE_STREAM, 0)}, the frame
 * {@code Seeds.derive(seed, Seeds.ROTATION_STREAM, 0)}, so changing {@code n} keeps the same embedding.
 */
public final class Manifolds {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /** The shapes {@link Manifolds} draws; each knows its parametrization and tangents. */
    public enum Kind {
        /**
         * Swiss roll as in scikit-learn: {@code t = 1.5 pi (1 + 2u)}, {@code h = 21 v}, point
         * {@code (t cos t, h, t sin t)}; intrinsic coordinates {@code (t, h)}.
         */
        SWISS_ROLL,
        /**
         * S-curve as in scikit-learn: {@code t = 3 pi (u - 1/2)}, {@code h = 2 v}, point
         * {@code (sin t, h, sign(t) (cos t - 1))}; intrinsic coordinates {@code (t, h)}.
         */
        S_CURVE,
        /** Circle of the given radius: angle {@code theta} uniform in [0, 2 pi); intrinsic coordinate theta. */
        CIRCLE,
        /**
         * Archimedean spiral of two turns scaled to radius 1: {@code t = pi (1 + 4u)}, point
         * {@code (t cos t, t sin t) / (5 pi)}; intrinsic coordinate t.
         */
        SPIRAL,
        /**
         * Sphere {@code S^k} of the given radius in {@code R^(k+1)}, uniform; its intrinsic coordinates are the unit
         * direction (k+1 numbers for a k-dimensional manifold).
         */
        SPHERE
    }

    private Manifolds() {
    }

    /**
     * {@code n} points of the swiss roll (a 2-D manifold in R^3), embedded in R^{@code ambientDimension} with
     * Gaussian noise of standard deviation {@code noise}.
     */
    public static ManifoldSample swissRoll(int n, int ambientDimension, double noise, long seed) {
        return draw(Kind.SWISS_ROLL, n, 3, 2, ambientDimension, 1, noise, seed);
    }

    /**
     * {@code n} points of the S-curve (a 2-D manifold in R^3), embedded in R^{@code ambientDimension} with Gaussian
     * noise of standard deviation {@code noise}.
     */
    public static ManifoldSample sCurve(int n, int ambientDimension, double noise, long seed) {
        return draw(Kind.S_CURVE, n, 3, 2, ambientDimension, 1, noise, seed);
    }

    /**
     * {@code n} points of a circle of {@code radius} (a 1-D manifold in R^2), embedded in R^{@code ambientDimension}
     * with Gaussian noise of standard deviation {@code noise}.
     */
    public static ManifoldSample circle(int n, double radius, int ambientDimension, double noise, long seed) {
        return draw(Kind.CIRCLE, n, 2, 1, ambientDimension, radius, noise, seed);
    }

    /**
     * {@code n} points of a spiral (a 1-D manifold in R^2), embedded in R^{@code ambientDimension} with Gaussian
     * noise of standard deviation {@code noise}.
     */
    public static ManifoldSample spiral(int n, int ambientDimension, double noise, long seed) {
        return draw(Kind.SPIRAL, n, 2, 1, ambientDimension, 1, noise, seed);
    }

    /** The sphere {@code S^k}, a {@code k}-dimensional manifold in {@code R^(k+1)}, then embedded. */
    public static ManifoldSample sphere(int n, int k, double radius, int ambientDimension, double noise, long seed) {
        if (k < 1) {
            throw new IllegalArgumentException("sphere dimension k must be >= 1, got " + k);
        }
        return draw(Kind.SPHERE, n, k + 1, k, ambientDimension, radius, noise, seed);
    }

    private static ManifoldSample draw(Kind kind, int n, int natural, int intrinsic, int ambient, double radius,
            double noise, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        if (ambient < natural) {
            throw new IllegalArgumentException(kind + " lives in dimension " + natural + "; ambient dimension "
                    + ambient + " is smaller");
        }
        if (!(noise >= 0) || !Double.isFinite(noise)) {
            throw new IllegalArgumentException("noise must be a finite standard deviation >= 0, got " + noise);
        }
        if (!(radius > 0) || !Double.isFinite(radius)) {
            throw new IllegalArgumentException("radius must be finite and > 0, got " + radius);
        }
        double[][] frame = ambient == natural ? identity(natural)
                : Gaussians.orthonormalFrame(ambient, natural, Seeds.derive(seed, Seeds.ROTATION_STREAM, 0));
        int parameters = kind == Kind.SPHERE ? natural : intrinsic;
        double[] coordinates = new double[n * parameters];
        Gaussians g = new Gaussians(Seeds.derive(seed, Seeds.SAMPLE_STREAM, 0));
        String name = kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        TensorScope scope = TensorScope.open(name);
        try {
            Tensor features = scope.allocateFloat(n, ambient);
            MemorySegment seg = features.segment();
            double[] natPoint = new double[natural];
            for (int i = 0; i < n; i++) {
                drawParameters(kind, g, coordinates, i * parameters, parameters);
                ManifoldSample.naturalPoint(kind, radius, coordinates, i * parameters, natPoint);
                for (int r = 0; r < ambient; r++) {
                    double v = 0;
                    for (int c = 0; c < natural; c++) {
                        v += frame[r][c] * natPoint[c];
                    }
                    if (noise > 0) {
                        v += noise * g.next();
                    }
                    seg.setAtIndex(F32, (long) i * ambient + r, (float) v);
                }
            }
            Dataset data = Dataset.owning(name, scope, features, null);
            return new ManifoldSample(kind, data, intrinsic, parameters, coordinates, frame, radius, noise);
        } catch (RuntimeException e) {
            scope.close();
            throw e;
        }
    }

    private static void drawParameters(Kind kind, Gaussians g, double[] out, int at, int parameters) {
        switch (kind) {
            case SWISS_ROLL -> {
                out[at] = 1.5 * Math.PI * (1 + 2 * g.uniform());
                out[at + 1] = 21 * g.uniform();
            }
            case S_CURVE -> {
                out[at] = 3 * Math.PI * (g.uniform() - 0.5);
                out[at + 1] = 2 * g.uniform();
            }
            case CIRCLE -> out[at] = 2 * Math.PI * g.uniform();
            case SPIRAL -> out[at] = Math.PI * (1 + 4 * g.uniform());
            case SPHERE -> {
                double norm;
                do {
                    norm = 0;
                    for (int j = 0; j < parameters; j++) {
                        out[at + j] = g.next();
                        norm += out[at + j] * out[at + j];
                    }
                } while (norm < 1e-20);
                norm = Math.sqrt(norm);
                for (int j = 0; j < parameters; j++) {
                    out[at + j] /= norm;
                }
            }
        }
    }

    private static double[][] identity(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = 1;
        }
        return m;
    }
}
