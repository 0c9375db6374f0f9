package ae.autodiff;

import ae.tensor.Tensor;

/**
 * The tangent directions fed to a Jacobian-vector product, stacked as P blocks of n rows (one block per probe):
 * either all d standard basis vectors (P = d, exact {@code ||J||_F^2}) or P Rademacher vectors redrawn every fresh
 * forward (Hutchinson: {@code E ||J v||^2 = ||J||_F^2} for v with independent +-1 entries).
 */
final class ProbeOp extends Op {
    private final boolean basis;
    private final NoiseSource source;

    public ProbeOp(boolean basis, int samples, long stream, Node output) {
        super(basis ? "basisProbes" : "rademacherProbes", output);
        this.basis = basis;
        this.source = new NoiseSource(stream);
        if (basis) {
            Tensor t = output.value();
            int d = output.cols();
            for (int p = 0; p < d; p++) {
                for (int i = 0; i < samples; i++) {
                    t.set(p * samples + i, p, 1);
                }
            }
        }
    }

    @Override
    public boolean drawsNoise() {
        return !basis;
    }

    @Override
    public void drawNoise(long seed, long step) {
        if (!basis) {
            Tensor v = output.value();
            source.at(seed, step).fillBernoulli(v, 0.5);
            java.lang.foreign.MemorySegment s = v.segment();
            boolean f32 = Elements.isF32(v);
            long n = v.size();
            for (long i = 0; i < n; i++) {
                Elements.set(s, f32, i, 2 * Elements.get(s, f32, i) - 1);
            }
        }
    }

    @Override
    public void forward() {
    }

    @Override
    public void backward() {
    }
}
