package ae.models;

import ae.autodiff.GraphBuilder;
import ae.autodiff.Node;
import ae.tensor.Activation;
import java.util.ArrayList;
import java.util.List;

/**
 * The stochastic encoder of a variational autoencoder: q(h|x) = N(mu(x), diag(exp(v(x)))), with mu and v linear heads
 * ({@code encoder.mean.*}, {@code encoder.log-variance.*}) on dense hidden layers ({@code encoder.<i>.*}). It samples
 * by reparameterization, {@code h = mu + exp(v/2) * eps}, eps ~ N(0, I), and brings {@code beta * KL(q(h|x) || p(h))}
 * to the objective, p(h) = N(0, I); {@code beta = 1} makes the objective the negative evidence lower bound.
 */
public record GaussianEncoder(List<LayerSpec> hidden, int codeSize, double beta) implements Encoder {
    public static final PartKind<GaussianEncoder> KIND = PartKind.of(GaussianEncoder.class, "gaussian",
            "a Gaussian encoder q(h|x) = N(mu(x), exp(v(x))) sampled by reparameterization, with the KL to N(0, I)",
            List.of(Setting.layers("hidden", "the hidden layers from the input side", GaussianEncoder::hidden),
                    Setting.integer("code", 20, null, "the code's width (the mean and log-variance heads' outputs)",
                            GaussianEncoder::codeSize),
                    Setting.real("beta", 1.0, "--beta", "weight of the KL term KL(q(h|x) || N(0, I)) of a Gaussian"
                            + " encoder (1: the evidence lower bound)", GaussianEncoder::beta)),
            v -> new GaussianEncoder(v.layers("hidden"), v.integer("code"), v.real("beta")));

    /**
     * Checks the settings; throws {@link IllegalArgumentException} for a code of no units or a setting out of range.
     */
    public GaussianEncoder {
        hidden = List.copyOf(hidden);
        if (codeSize < 1) {
            throw new IllegalArgumentException("a Gaussian encoder's code needs at least one unit, got " + codeSize);
        }
        if (!(beta >= 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("a Gaussian encoder's KL weight beta must be finite and >= 0, got "
                    + beta);
        }
    }

    @Override
    public PartKind<GaussianEncoder> kind() {
        return KIND;
    }

    @Override
    public Activation codeActivation() {
        return Activation.IDENTITY;
    }

    @Override
    public int depth() {
        return hidden.size() + 1;
    }

    @Override
    public List<LayerSpec> layers() {
        List<LayerSpec> all = new ArrayList<>(hidden);
        all.add(LayerSpec.of(codeSize, Activation.IDENTITY));
        return List.copyOf(all);
    }

    @Override
    public boolean stochastic() {
        return true;
    }

    @Override
    public boolean hasPrior() {
        return true;
    }

    @Override
    public GaussianEncoder withWidths(int[] widths) {
        if (widths.length == 0) {
            throw new IllegalArgumentException("Gaussian encoder: at least one width (the code's) is needed");
        }
        List<LayerSpec> newHidden = new ArrayList<>();
        for (int i = 0; i < widths.length - 1; i++) {
            Activation act = hidden.isEmpty() ? Activation.RELU : hidden.get(Math.min(i, hidden.size() - 1)).activation();
            newHidden.add(LayerSpec.of(widths[i], act));
        }
        return new GaussianEncoder(newHidden, widths[widths.length - 1], beta);
    }

    private int headInput(int inputDimension) {
        return hidden.isEmpty() ? inputDimension : hidden.getLast().units();
    }

    @Override
    public void declare(ParameterPlan plan, int inputDimension) {
        for (int i = 0; i < hidden.size(); i++) {
            int in = i == 0 ? inputDimension : hidden.get(i - 1).units();
            plan.weight("encoder." + i + ".weight", hidden.get(i).units(), in);
            plan.bias("encoder." + i + ".bias", hidden.get(i).units(), in);
        }
        int in = headInput(inputDimension);
        plan.weight("encoder.mean.weight", codeSize, in);
        plan.bias("encoder.mean.bias", codeSize, in);
        plan.weight("encoder.log-variance.weight", codeSize, in);
        plan.bias("encoder.log-variance.bias", codeSize, in);
    }

    @Override
    public Code encode(GraphContext context, Node x) {
        Node h = x;
        for (int i = 0; i < hidden.size(); i++) {
            h = context.dense(h, "encoder." + i, null, hidden.get(i).activation());
        }
        Node mean = context.dense(h, "encoder.mean", null, Activation.IDENTITY);
        Node logVariance = context.dense(h, "encoder.log-variance", null, Activation.IDENTITY);
        if (!context.sampling()) {
            return new Code(mean, mean, logVariance, null);
        }
        GraphBuilder b = context.builder();
        Node sample = b.reparameterize(mean, logVariance);
        Node kl = b.gaussianKl(mean, logVariance);
        return new Code(sample, mean, logVariance, beta == 1 ? kl : b.scale(kl, beta));
    }
}
