package ae.models;

import ae.autodiff.Node;
import ae.tensor.Activation;
import java.util.ArrayList;
import java.util.List;

/**
 * The encoder of semantic hashing (Salakhutdinov and Hinton): dense hidden layers, then a sigmoid code layer of
 * {@code bits} units whose input gets Gaussian noise of scale {@code sigma} while training,
 * {@code h = sigmoid(W a + b + N(0, sigma^2 I))}. To carry information through the noise the code layer must push its
 * pre-activations far from 0, so the codes saturate toward 0 or 1 and thresholding them at 0.5 loses little:
 * {@link FittedAutoencoder#hash} gives those binary codes. Encoding (no noise) gives the sigmoid's value. With
 * {@code noiseRampSteps > 0} the noise's scale rises linearly from 0 to {@code sigma} over that many training steps
 * (a {@link NoiseRamp}), then stays at {@code sigma}. With {@code perExampleNoise} the noise is the paper's
 * "deterministic noise": each training example gets the same draw every time it is presented (a function of the
 * seed and of the example's input values), different examples independent draws; otherwise it is redrawn at every
 * step.
 * Parameters {@code encoder.<i>.*}, the code layer's index being the number of hidden layers.
 */
public record BinaryCodeEncoder(List<LayerSpec> hidden, int bits, double sigma, int noiseRampSteps,
                                boolean perExampleNoise)
        implements Encoder {
    public static final PartKind<BinaryCodeEncoder> KIND = PartKind.of(BinaryCodeEncoder.class, "binary-code",
            "semantic hashing's encoder: hidden layers, then a sigmoid code with Gaussian noise on its input while"
                    + " training, so that the codes become nearly binary",
            List.of(Setting.layers("hidden", "the hidden layers from the input side, before the code",
                            BinaryCodeEncoder::hidden),
                    Setting.integer("bits", 32, "--bits", "the length of a semantic-hashing code in bits (16, 32, 64"
                            + " or 128 are the usual ones)", BinaryCodeEncoder::bits),
                    Setting.real("sigma", 4.0, "--code-input-noise", "standard deviation of the Gaussian noise added"
                            + " to the input of a binary code's sigmoid while training", BinaryCodeEncoder::sigma),
                    Setting.integer("noise-ramp-steps", 0, "--code-input-noise-ramp", "training steps over which"
                            + " the code-input noise rises linearly from 0 to --code-input-noise; 0 keeps it fixed",
                            BinaryCodeEncoder::noiseRampSteps),
                    Setting.bool("per-example-noise", false, "--per-example-noise", "true: each training example"
                            + " gets the same code-input noise every epoch (a function of the seed and the example's"
                            + " values: Salakhutdinov and Hinton's deterministic noise); false: fresh noise every"
                            + " step", BinaryCodeEncoder::perExampleNoise)),
            v -> new BinaryCodeEncoder(v.layers("hidden"), v.integer("bits"), v.real("sigma"),
                    v.integer("noise-ramp-steps"), v.bool("per-example-noise")));

    /**
     * Checks the layers; throws {@link IllegalArgumentException} if there is no hidden layer or a setting is out of
     * range.
     */
    public BinaryCodeEncoder {
        hidden = List.copyOf(hidden);
        if (hidden.isEmpty()) {
            throw new IllegalArgumentException("a binary-code encoder needs at least one hidden layer");
        }
        if (bits < 1) {
            throw new IllegalArgumentException("a binary code needs at least 1 bit, got " + bits);
        }
        if (!(sigma >= 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("a binary-code encoder's sigma must be finite and >= 0, got " + sigma);
        }
        if (noiseRampSteps < 0) {
            throw new IllegalArgumentException("a binary-code encoder's noise ramp must be >= 0 steps, got "
                    + noiseRampSteps);
        }
    }

    /** The encoder with the noise at the fixed scale {@code sigma} from the first step, redrawn every step. */
    public BinaryCodeEncoder(List<LayerSpec> hidden, int bits, double sigma) {
        this(hidden, bits, sigma, 0, false);
    }

    /** The encoder whose noise, redrawn every step, rises over {@code noiseRampSteps} steps (0: fixed). */
    public BinaryCodeEncoder(List<LayerSpec> hidden, int bits, double sigma, int noiseRampSteps) {
        this(hidden, bits, sigma, noiseRampSteps, false);
    }

    /** The code-input noise's scale over training. */
    public NoiseRamp noise() {
        return new NoiseRamp(sigma, noiseRampSteps);
    }

    @Override
    public PartKind<BinaryCodeEncoder> kind() {
        return KIND;
    }

    @Override
    public List<LayerSpec> layers() {
        List<LayerSpec> out = new ArrayList<>(hidden);
        out.add(LayerSpec.of(bits, Activation.SIGMOID));
        return List.copyOf(out);
    }

    @Override
    public int codeSize() {
        return bits;
    }

    @Override
    public Activation codeActivation() {
        return Activation.SIGMOID;
    }

    @Override
    public int depth() {
        return hidden.size() + 1;
    }

    @Override
    public boolean stochastic() {
        return true;
    }

    @Override
    public BinaryCodeEncoder withWidths(int[] widths) {
        if (widths.length < 2) {
            throw new IllegalArgumentException("a binary-code encoder needs a hidden layer and the code: give at"
                    + " least two widths, the last one the bits");
        }
        List<LayerSpec> resized = Encoder.resized(layers(), widths, "binary-code encoder");
        return new BinaryCodeEncoder(resized.subList(0, resized.size() - 1), widths[widths.length - 1], sigma,
                noiseRampSteps, perExampleNoise);
    }

    @Override
    public void declare(ParameterPlan plan, int inputDimension) {
        new DeterministicEncoder(layers()).declare(plan, inputDimension);
    }

    @Override
    public Code encode(GraphContext context, Node x) {
        Node h = x;
        for (int i = 0; i < hidden.size(); i++) {
            h = context.dense(h, "encoder." + i, null, hidden.get(i).activation());
        }
        String code = "encoder." + hidden.size();
        if (!context.sampling()) {
            return Code.deterministic(context.dense(h, code, null, Activation.SIGMOID));
        }
        Node preActivation = context.dense(h, code, null, Activation.IDENTITY);
        NoiseRamp noise = noise();
        Node noisy = perExampleNoise ? context.builder().exampleNoise(preActivation, x, noise)
                : noise.fixed() ? context.builder().gaussianNoise(preActivation, sigma)
                : context.builder().gaussianNoise(preActivation, noise);
        Node sample = context.builder().activation(noisy, Activation.SIGMOID);
        // Penalties read the noise-free code, the one hash() thresholds: a bit-balance term on the noisy sample
        // would be met by the noise alone, with every pre-activation at 0 and the thresholded bits constant.
        Node noiseFree = context.builder().activation(preActivation, Activation.SIGMOID);
        return new Code(sample, noiseFree, null, null);
    }
}
