package ae.models;

import ae.autodiff.Node;
import ae.tensor.Activation;
import java.util.List;

/**
 * A stochastic encoder with noise in the code: p(h|x) = N(f(x), sigma^2 I), f dense layers ({@code encoder.<i>.*}).
 * Training draws h, so the decoder must reconstruct x from a noisy code and the code learns to spread what it carries
 * beyond the noise; encoding gives f(x). It has no prior, so it brings no loss term.
 */
public record NoisyEncoder(List<LayerSpec> layers, double sigma) implements Encoder {
    public static final PartKind<NoisyEncoder> KIND = PartKind.of(NoisyEncoder.class, "noisy",
            "a stochastic encoder p(h|x) = N(f(x), sigma^2 I): Gaussian noise in the code",
            List.of(Setting.layers("layers", "the layers of f from the input side, the last one the code",
                            NoisyEncoder::layers),
                    Setting.real("sigma", 0.2, "--code-noise", "standard deviation of the noise a noisy encoder adds"
                            + " to its code", NoisyEncoder::sigma)),
            v -> new NoisyEncoder(v.layers("layers"), v.real("sigma")));

    /** Checks the settings; throws {@link IllegalArgumentException} for no layers or a negative or non-finite noise. */
    public NoisyEncoder {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a noisy encoder needs at least one layer");
        }
        if (!(sigma >= 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("a noisy encoder's sigma must be finite and >= 0, got " + sigma);
        }
    }

    @Override
    public PartKind<NoisyEncoder> kind() {
        return KIND;
    }

    /** The encoder of the mean f(x). */
    private DeterministicEncoder mean() {
        return new DeterministicEncoder(layers);
    }

    @Override
    public int codeSize() {
        return mean().codeSize();
    }

    @Override
    public Activation codeActivation() {
        return mean().codeActivation();
    }

    @Override
    public int depth() {
        return mean().depth();
    }

    @Override
    public boolean stochastic() {
        return true;
    }

    @Override
    public NoisyEncoder withWidths(int[] widths) {
        return new NoisyEncoder(Encoder.resized(layers, widths, "noisy encoder"), sigma);
    }

    @Override
    public void declare(ParameterPlan plan, int inputDimension) {
        mean().declare(plan, inputDimension);
    }

    @Override
    public Code encode(GraphContext context, Node x) {
        Node mean = mean().encode(context, x).mean();
        Node sample = context.sampling() ? context.builder().gaussianNoise(mean, sigma) : mean;
        return new Code(sample, mean, null, null);
    }
}
