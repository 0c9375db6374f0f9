package ae.autodiff;

import ae.tensor.Rng;
import ae.tensor.Tensor;
import ae.tensor.TensorOps;
import java.lang.foreign.MemorySegment;

/**
 * {@code y = x + sigma * eps}, where the standard normal row {@code eps_r} is a function of the graph seed and of the
 * values of row {@code r} of {@code key} alone: an example gets the same noise every time it is presented, while
 * different examples get independent draws. {@code sigma} may follow a {@link NoiseScale} over the noise steps. The
 * gradient to x is dy; none goes to the key.
 *
 * <p>The row's generator is the graph seed's generator forked by the op's stream, forked again by a hash of the
 * key row's bits (SplitMix64's finalizer folded over them); its draws are turned into normals by Box-Muller, two per
 * pair of draws. The noise is computed in the forward, when the key's values are bound, into a buffer allocated
 * once, so a step allocates nothing.
 */
final class ExampleNoiseOp extends Op {
    private static final long ROW_SALT = 0x6A09E667F3BCC909L;

    private final TensorOps ops;
    private final NoiseScale scale;
    private final Node x;
    private final Node key;
    private final Tensor noise;
    private final long stream;
    private final Rng rowRng = Rng.seeded(0);
    private Rng streamRng;
    private long seed;
    private double sigma;

    ExampleNoiseOp(Workspace ws, NoiseScale scale, Node x, Node key, long stream, Node output) {
        super("exampleNoise", output, x, key);
        if (x.rows() != key.rows()) {
            throw new IllegalArgumentException("per-example noise needs a key row for each row: x is " + x.rows()
                    + "x" + x.cols() + ", the key " + key.rows() + "x" + key.cols());
        }
        this.ops = ws.ops();
        this.scale = scale;
        this.x = x;
        this.key = key;
        this.noise = ws.allocate(x.rows(), x.cols());
        this.stream = stream;
    }

    @Override
    public boolean drawsNoise() {
        return true;
    }

    @Override
    public void drawNoise(long graphSeed, long step) {
        if (streamRng == null || graphSeed != seed) {
            streamRng = Rng.seeded(graphSeed).fork(stream);
            seed = graphSeed;
        }
        double s = scale.at(step);
        if (!(s >= 0 && Double.isFinite(s))) {
            throw new IllegalStateException("the noise schedule gave a standard deviation of " + s
                    + " at noise step " + step + "; it must be finite and >= 0");
        }
        sigma = s;
    }

    @Override
    public void forward() {
        if (streamRng == null) {
            throw new IllegalStateException("per-example noise computed before any noise step was drawn");
        }
        Tensor keys = key.value();
        MemorySegment ks = keys.segment();
        boolean keyF32 = Elements.isF32(keys);
        long keyOffset = keys.offset();
        MemorySegment ns = noise.segment();
        boolean f32 = Elements.isF32(noise);
        int rows = x.rows();
        int cols = x.cols();
        int keyCols = key.cols();
        for (int r = 0; r < rows; r++) {
            long hash = ROW_SALT;
            long base = keyOffset + (long) r * keyCols;
            for (int j = 0; j < keyCols; j++) {
                hash = mix(hash ^ Double.doubleToLongBits(Elements.get(ks, keyF32, base + j)));
            }
            Rng rng = streamRng.forkInto(hash, rowRng);
            long out = (long) r * cols;
            for (int j = 0; j < cols; j += 2) {
                double u1 = 1 - rng.nextDouble();
                double u2 = rng.nextDouble();
                double radius = sigma * Math.sqrt(-2 * Math.log(u1));
                Elements.set(ns, f32, out + j, radius * Math.cos(2 * Math.PI * u2));
                if (j + 1 < cols) {
                    Elements.set(ns, f32, out + j + 1, radius * Math.sin(2 * Math.PI * u2));
                }
            }
        }
        ops.add(x.value(), noise, output.value());
    }

    @Override
    public void backward() {
        if (x.resolvePendingGradient() == null) {
            return;
        }
        ops.axpy(1, output.resolvePendingGradient(), x.resolvePendingGradient());
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
