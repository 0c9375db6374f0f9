package ae.autodiff.internal;

import ae.autodiff.Node;
import ae.tensor.Tensor;

/**
 * The tangent directions fed to a Jacobian-vector product, stacked as P blocks of n rows (one block per probe):
 * either all d standard basis vectors (P = d, exact {@code ||J||_F^2}) or P Rademacher vectors redrawn every fresh
 * forward (Hutchinson: {@code E ||J v||^2 = ||J||_F^2} for v with independent +-1 entries).
 */
public final class ProbeOp extends Op {
    private final boolean basis;
    private final long stream;

    public ProbeOp(boolean basis, int samples, long stream, Node output) {
        super(basis ? "basisProbes" : "rademacherProbes", output);
        this.basis = basis;
        this.stream = stream;
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
            Noise.fillRademacher(output.value(), seed, stream, step);
        }
    }

    @Override
    public void forward() {
    }

    @Override
    public void backward() {
    }
}
