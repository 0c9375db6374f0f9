package ae.models;

import ae.tensor.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * The named variants, each a {@link ModelConfig} built from the parts with its defaults written once, here, and the
 * reference workloads R1..R6 of docs/workloads.md. {@link #byName} gives each for an input dimension; the command
 * line's options, help and descriptions derive from these and from the parts' own settings.
 */
public final class Presets {
    /**
     * A named model for any input dimension, with one line of help and, for a preset made for anomaly detection, the
     * scorer it was measured with, as a function of the input dimension ({@code null} otherwise:
     * {@link AnomalyScorers#defaultFor} then chooses by the model's structure).
     */
    public record Preset(String name, String help, IntFunction<ModelConfig> build,
            IntFunction<AnomalyScorer> scorer) {
        /** A preset scored by the default scorer for its structure. */
        public Preset(String name, String help, IntFunction<ModelConfig> build) {
            this(name, help, build, null);
        }

        /** The preset's model for inputs of {@code inputDimension} features. */
        public ModelConfig forDimension(int inputDimension) {
            return build.apply(inputDimension);
        }

        /**
         * The preset's own scorer for inputs of {@code inputDimension} features, or null when the preset leaves the
         * choice to {@link AnomalyScorers#defaultFor}.
         */
        public AnomalyScorer scorerForDimension(int inputDimension) {
            return scorer == null ? null : scorer.apply(inputDimension);
        }
    }

    /** The anomaly preset's code size, chosen on the one-class Fashion-MNIST protocol. */
    private static final int ANOMALY_CODE = 64;

    private static final List<Preset> ALL = List.of(
            new Preset("pca", "principal component analysis: a linear encoder and decoder set exactly to the leading"
                    + " principal components, squared error (14.1)", d -> pca(d, Math.min(d, 30))),
            new Preset("undercomplete", "d -> code sigmoid -> d sigmoid, binary cross-entropy (14.1)",
                    d -> undercomplete(d, codeSize(d))),
            new Preset("deep", "ReLU layers to a linear code and back, binary cross-entropy (14.3)",
                    d -> deep(d, deepSizes(d))),
            new Preset("sparse-l1", "an L1 penalty on a ReLU code (14.2.1)",
                    d -> sparseL1(d, codeSize(d), 1e-3)),
            new Preset("sparse-kl", "KL sparsity on a sigmoid code (14.2.1)",
                    d -> sparseKl(d, codeSize(d), 0.05, 3)),
            new Preset("denoising-masking", "reconstructs x from x with 30% of its elements zeroed (14.2.2)",
                    d -> denoising("denoising-masking", d, codeSize(d), new MaskingNoise(0.3))),
            new Preset("denoising-gaussian", "reconstructs x from x + N(0, 0.1^2) (14.2.2)",
                    d -> denoising("denoising-gaussian", d, codeSize(d), new GaussianNoise(0.1))),
            new Preset("denoising-salt-and-pepper", "reconstructs x from x with 10% of its elements set to 0 or 1"
                    + " (14.2.2)", d -> denoising("denoising-salt-and-pepper", d, codeSize(d),
                    new SaltAndPepperNoise(0.1))),
            new Preset("denoising-score", "two tanh layers, x + N(0, 0.1^2) reconstructed with squared error: (r(x) - x)"
                    + " / 0.1^2 estimates the score of the smoothed density (14.5.1)",
                    d -> denoisingScore(d, scoreWidth(d), 0.1)),
            new Preset("contractive", "the penalty 0.1 ||dh/dx||_F^2 in closed form (14.2.3, 14.7)",
                    d -> contractive(d, codeSize(d), 0.1)),
            new Preset("higher-order-contractive", "CAE+H: the contractive penalty and the Jacobian's change near"
                    + " the data (14.7)", d -> higherOrderContractive(d, codeSize(d), 0.1, 0.1, 0.1, 4)),
            new Preset("stacked", "sigmoid layers pretrained greedily as denoising autoencoders, then fine-tuned"
                    + " (14.3, 14.7)", d -> stacked(d, deepSizes(d), 2, List.of(), new MaskingNoise(0.2))),
            new Preset("deep-30", "Hinton and Salakhutdinov's d-1000-500-250-30 with a linear 30-d code: ReLU layers,"
                    + " a sigmoid output, squared error, each layer pretrained greedily for 1 epoch (14.3)",
                    d -> deep30(d, 1)),
            new Preset("noisy-code", "a stochastic encoder p(h|x) = N(f(x), 0.2^2 I) with a deterministic decoder"
                    + " (14.4)", d -> noisyCode(d, codeSize(d), 0.2)),
            new Preset("vae", "a variational autoencoder: Gaussian q(h|x), Bernoulli p(x|h), prior N(0, I) (14.4)",
                    d -> vae(d, vaeHidden(d), vaeCode(d))),
            new Preset("anomaly", "for anomaly scores: d -> " + ANOMALY_CODE + " sigmoid -> d sigmoid, scored by the"
                    + " normalized squared error of the residual smoothed over 3 x 3 pixels plus a quarter of the"
                    + " code's Mahalanobis distance (docs/anomaly-detection.md)",
                    d -> anomaly(d), Presets::anomalyScorer),
            new Preset("psd", "predictive sparse decomposition: a unit-norm dictionary, codes inferred by FISTA and"
                    + " predicted by f(x) = G tanh(W x + b) (14.8)", d -> psd(d, codeSize(d), 0.5, 1)),
            new Preset("recirculation", "d -> code sigmoid -> d sigmoid trained by recirculation, squared error, no"
                    + " back-propagated error (14; Hinton and McClelland 1988)",
                    d -> recirculation(d, codeSize(d), 0.75)),
            new Preset("semantic-hashing", "ReLU layers to a 32-bit sigmoid code with N(0, 4^2) noise on its input"
                    + " while training, so that the codes become binary, and a KL penalty (10) pulling each bit's mean"
                    + " to 1/2; --bits 16|32|64|128 (14.9)",
                    d -> semanticHashing(d, hashingHidden(d), 32, 4.0, 10.0)),
            new Preset("R1", "reference workload R1: 784 -> 256 sigmoid -> 784 sigmoid", d -> reference("R1", d)),
            new Preset("R2", "reference workload R2: 784-512-256-64-256-512-784, ReLU, linear code",
                    d -> reference("R2", d)),
            new Preset("R3", "reference workload R3: R1 with the contractive penalty 0.1", d -> reference("R3", d)),
            new Preset("R4", "reference workload R4: R1 with masking noise 0.3", d -> reference("R4", d)),
            new Preset("R5", "reference workload R5: R1 with KL sparsity 3, rho 0.05", d -> reference("R5", d)),
            new Preset("R6", "reference workload R6: the VAE 784-400-(20, 20), 20-400-784", d -> reference("R6", d)));

    private Presets() {
    }

    /** Every preset, in the order of the help. */
    public static List<Preset> all() {
        return ALL;
    }

    /** The names {@link #byName} knows. */
    public static List<String> names() {
        return ALL.stream().map(Preset::name).toList();
    }

    /** The preset called {@code name} (case does not matter). */
    public static Preset preset(String name) {
        for (Preset p : ALL) {
            if (p.name().equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown model preset '" + name + "'; known: " + String.join(", ", names()));
    }

    /** A preset with its default hyperparameters for data of {@code inputDimension} features. */
    public static ModelConfig byName(String name, int inputDimension) {
        return preset(name).forDimension(inputDimension);
    }

    static int codeSize(int d) {
        return Math.max(2, Math.min(256, d / 3));
    }

    static int[] deepSizes(int d) {
        int a = Math.max(4, Math.min(512, (int) (d * 0.65)));
        int b = Math.max(3, a / 2);
        int c = Math.max(2, b / 4);
        return new int[] {a, b, c};
    }

    static int vaeHidden(int d) {
        return Math.max(4, Math.min(400, (int) Math.round(d * 400.0 / 784)));
    }

    static int vaeCode(int d) {
        return Math.max(2, Math.min(20, d / 8));
    }

    /** Encoder layers of the given widths, {@code hidden} between them and {@code code} on the last. */
    public static List<LayerSpec> layers(int[] widths, Activation hidden, Activation code) {
        List<LayerSpec> out = new ArrayList<>();
        for (int i = 0; i < widths.length; i++) {
            out.add(LayerSpec.of(widths[i], i == widths.length - 1 ? code : hidden));
        }
        return out;
    }

    /**
     * The usual deterministic model: {@code d -> widths[0] -> ... -> widths[last] (the code)} and back, mirrored,
     * with {@code hidden} between layers, {@code code} on the code and {@code output} on the reconstruction.
     */
    public static ModelConfig mirrored(String name, int d, int[] widths, Activation hidden, Activation code,
                                       Activation output, Likelihood likelihood, List<Penalty> penalties,
                                       Corruption corruption) {
        List<LayerSpec> encoder = layers(widths, hidden, code);
        return ModelConfig.of(name, d, new DeterministicEncoder(encoder),
                Decoder.mirroring(encoder, d, hidden, output, false), likelihood, penalties, corruption);
    }

    private static ModelConfig shallow(String name, int d, int code, Activation codeActivation, List<Penalty> penalties,
                                       Corruption corruption) {
        return mirrored(name, d, new int[] {code}, codeActivation, codeActivation, Activation.SIGMOID,
                BernoulliLikelihood.INSTANCE, penalties, corruption);
    }

    /**
     * PCA with {@code components} components: {@code d -> components linear -> d linear}, squared error, fitted
     * exactly by {@link PrincipalComponents} (what a linear undercomplete autoencoder learns, 14.1).
     */
    public static ModelConfig pca(int d, int components) {
        List<LayerSpec> encoder = List.of(LayerSpec.of(components, Activation.IDENTITY));
        return ModelConfig.of("pca", d, new DeterministicEncoder(encoder),
                        Decoder.mirroring(encoder, d, Activation.IDENTITY, Activation.IDENTITY, false),
                        SquaredErrorLikelihood.INSTANCE, List.of(), Corruption.none())
                .withProcedure(PrincipalComponents.INSTANCE);
    }

    /** Shallow undercomplete: {@code d -> code sigmoid -> d sigmoid}, binary cross-entropy. */
    public static ModelConfig undercomplete(int d, int code) {
        return shallow("undercomplete", d, code, Activation.SIGMOID, List.of(), Corruption.none());
    }

    /** Deep undercomplete: ReLU hidden layers, a linear code (the last size), a sigmoid output, BCE. */
    public static ModelConfig deep(int d, int... sizes) {
        return mirrored("deep", d, sizes, Activation.RELU, Activation.IDENTITY, Activation.SIGMOID,
                BernoulliLikelihood.INSTANCE, List.of(), Corruption.none());
    }

    /**
     * The deep autoencoder of Hinton and Salakhutdinov (2006): {@code d-1000-500-250-30} with a linear 30-d code and
     * its mirror, here with ReLU hidden layers, a sigmoid output and squared error (their table's measure), each
     * layer pretrained greedily as a shallow autoencoder for {@code pretrainEpochs} (0: none) before fine-tuning.
     */
    public static ModelConfig deep30(int d, int pretrainEpochs) {
        return mirrored("deep-30", d, new int[] {1000, 500, 250, 30}, Activation.RELU, Activation.IDENTITY,
                Activation.SIGMOID, SquaredErrorLikelihood.INSTANCE, List.of(), Corruption.none())
                .withProcedure(new GreedyLayerWise(pretrainEpochs, List.of(), Corruption.none()));
    }

    /** Sparse by an L1 penalty on a ReLU code (which can be exactly zero). */
    public static ModelConfig sparseL1(int d, int code, double weight) {
        return shallow("sparse-l1", d, code, Activation.RELU, List.of(new L1Penalty(weight)), Corruption.none());
    }

    /** Sparse by {@code weight * sum_j KL(rho || mean h_j)} on a sigmoid code. */
    public static ModelConfig sparseKl(int d, int code, double rho, double weight) {
        return shallow("sparse-kl", d, code, Activation.SIGMOID, List.of(new KlSparsityPenalty(weight, rho)),
                Corruption.none());
    }

    /** Denoising: trained to reconstruct x from a corruption of it. */
    public static ModelConfig denoising(int d, int code, Corruption corruption) {
        return denoising("denoising", d, code, corruption);
    }

    private static ModelConfig denoising(String name, int d, int code, Corruption corruption) {
        return shallow(name, d, code, Activation.SIGMOID, List.of(), corruption);
    }

    static int scoreWidth(int d) {
        return Math.max(64, codeSize(d));
    }

    /**
     * Denoising score estimation (Alain and Bengio): {@code d -> width tanh -> width tanh -> width tanh -> d} linear,
     * Gaussian corruption of standard deviation {@code sigma} and squared error, so that {@code r(x)} estimates
     * {@code E[x | x + sigma eps]} and {@code (r(x) - x) / sigma^2} the score of the data's density smoothed by
     * {@code N(0, sigma^2 I)}. Real-valued data of any range.
     */
    public static ModelConfig denoisingScore(int d, int width, double sigma) {
        return mirrored("denoising-score", d, new int[] {width, width}, Activation.TANH, Activation.TANH,
                Activation.IDENTITY, SquaredErrorLikelihood.INSTANCE, List.of(), new GaussianNoise(sigma));
    }

    /** Contractive: {@code weight * ||dh/dx||_F^2}, in closed form. */
    public static ModelConfig contractive(int d, int code, double weight) {
        return shallow("contractive", d, code, Activation.SIGMOID, List.of(new ContractivePenalty(weight)),
                Corruption.none());
    }

    /** CAE+H: the contractive penalty plus {@code hessianWeight * E||J(x) - J(x + eps)||^2}. */
    public static ModelConfig higherOrderContractive(int d, int code, double weight, double hessianWeight, double sigma,
                                                     int samples) {
        return shallow("higher-order-contractive", d, code, Activation.SIGMOID, List.of(new ContractivePenalty(weight),
                new HigherOrderContractivePenalty(hessianWeight, sigma, samples)), Corruption.none());
    }

    /**
     * Stacked: sigmoid layers of the given sizes, each pretrained greedily as a shallow autoencoder of the given kind
     * for {@code pretrainEpochs}, then fine-tuned end to end.
     */
    public static ModelConfig stacked(int d, int[] sizes, int pretrainEpochs, List<Penalty> layerPenalties,
                                      Corruption layerCorruption) {
        return mirrored("stacked", d, sizes, Activation.SIGMOID, Activation.SIGMOID, Activation.SIGMOID,
                BernoulliLikelihood.INSTANCE, List.of(), Corruption.none())
                .withInitialization(Initialization.GLOROT_UNIFORM)
                .withProcedure(new GreedyLayerWise(pretrainEpochs, layerPenalties, layerCorruption));
    }

    /** Noise in the code: {@code h ~ N(sigmoid(W x + b), sigma^2 I)} during training, a sigmoid decoder, BCE. */
    public static ModelConfig noisyCode(int d, int code, double sigma) {
        List<LayerSpec> encoder = List.of(LayerSpec.of(code, Activation.SIGMOID));
        return ModelConfig.of("noisy-code", d, new NoisyEncoder(encoder, sigma),
                Decoder.mirroring(encoder, d, Activation.SIGMOID, Activation.SIGMOID, false),
                BernoulliLikelihood.INSTANCE, List.of(), Corruption.none());
    }

    /**
     * The anomaly preset's scorer, chosen on the one-class Fashion-MNIST protocol: residual-and-code with a quarter
     * weight on the code and the residual smoothed over 3 x 3 pixels for square images (inputs whose width is a
     * square number); other inputs are scored without smoothing.
     */
    public static ResidualAndCodeScorer anomalyScorer(int inputDimension) {
        int side = (int) Math.round(Math.sqrt(inputDimension));
        return new ResidualAndCodeScorer(0.25, 1e-3, side * side == inputDimension && side >= 3 ? 3 : 1);
    }

    /**
     * The model of the {@code anomaly} preset: an undercomplete autoencoder with a sigmoid code of
     * {@value #ANOMALY_CODE} units (fewer for small inputs), trained with binary cross-entropy.
     */
    public static ModelConfig anomaly(int d) {
        return shallow("anomaly", d, Math.max(2, Math.min(ANOMALY_CODE, d / 3)), Activation.SIGMOID, List.of(),
                Corruption.none());
    }

    /**
     * The variational autoencoder of Kingma and Welling as pytorch/examples trains it: {@code d -> hidden ReLU ->}
     * mean and log-variance heads of {@code code}; {@code code -> hidden ReLU -> d sigmoid}; Bernoulli p(x|h).
     */
    public static ModelConfig vae(int d, int hidden, int code) {
        return ModelConfig.of("vae", d, new GaussianEncoder(List.of(LayerSpec.of(hidden, Activation.RELU)), code, 1),
                new Decoder(List.of(LayerSpec.of(hidden, Activation.RELU), LayerSpec.of(d, Activation.SIGMOID)),
                        false), BernoulliLikelihood.INSTANCE, List.of(), Corruption.none());
    }

    /**
     * Predictive sparse decomposition: a dictionary of {@code code} unit-norm atoms (a linear decoder, squared error),
     * codes inferred with an L1 weight {@code sparsity} and predicted by {@code f(x) = G tanh(W x + b)} with weight
     * {@code predictionWeight}.
     */
    public static ModelConfig psd(int d, int code, double sparsity, double predictionWeight) {
        return ModelConfig.of("psd", d, PredictiveEncoder.tanh(code),
                        new Decoder(List.of(LayerSpec.of(d, Activation.IDENTITY)), false),
                        SquaredErrorLikelihood.INSTANCE, List.of(), Corruption.none())
                .withProcedure(new PredictiveSparseDecomposition(sparsity, predictionWeight, 50));
    }

    /**
     * Recirculation: {@code d -> code sigmoid -> d sigmoid}, squared error, trained by local updates from two passes
     * round the loop with regression {@code lambda}.
     */
    public static ModelConfig recirculation(int d, int code, double lambda) {
        return mirrored("recirculation", d, new int[] {code}, Activation.SIGMOID, Activation.SIGMOID,
                Activation.SIGMOID, SquaredErrorLikelihood.INSTANCE, List.of(), Corruption.none())
                .withProcedure(new Recirculation(lambda, false));
    }

    static int[] hashingHidden(int d) {
        int a = Math.max(4, Math.min(512, (int) (d * 0.65)));
        return new int[] {a, Math.max(2, a / 2)};
    }

    /**
     * Semantic hashing (Salakhutdinov and Hinton): {@code d -> hidden ReLU -> bits sigmoid}, mirrored back to a
     * sigmoid output, binary cross-entropy; Gaussian noise of scale {@code sigma} on the code layer's input while
     * training drives the codes toward 0 or 1.
     */
    public static ModelConfig semanticHashing(int d, int[] hidden, int bits, double sigma) {
        return semanticHashing(d, hidden, bits, sigma, 0);
    }

    /**
     * Semantic hashing with {@code balance > 0}: the KL penalty of that weight pulling each bit's mean activation to
     * 1/2 ({@link KlSparsityPenalty} with rho 1/2). Unbalanced bits (one set for 15% of the images, another for 75%)
     * and correlated ones waste code length; balanced bits spread the codes over more of the Hamming cube, which
     * is what ranks the whole database well (mAP).
     */
    public static ModelConfig semanticHashing(int d, int[] hidden, int bits, double sigma, double balance) {
        BinaryCodeEncoder encoder = new BinaryCodeEncoder(layers(hidden, Activation.RELU, Activation.RELU), bits,
                sigma);
        List<Penalty> penalties = balance > 0 ? List.of(new KlSparsityPenalty(balance, 0.5)) : List.of();
        return ModelConfig.of("semantic-hashing", d, encoder,
                Decoder.mirroring(encoder.layers(), d, Activation.RELU, Activation.SIGMOID, false),
                BernoulliLikelihood.INSTANCE, penalties, Corruption.none());
    }

    /** The reference workloads R1..R6 of docs/workloads.md, on 784 features. */
    public static ModelConfig reference(String id) {
        return reference(id, 784);
    }

    private static ModelConfig reference(String id, int d) {
        if (d != 784) {
            throw new IllegalArgumentException("workload " + id + " is defined on 784 features (Fashion-MNIST), the"
                    + " data has " + d);
        }
        return switch (id.toUpperCase(Locale.ROOT)) {
            case "R1" -> shallow("R1", d, 256, Activation.SIGMOID, List.of(), Corruption.none());
            case "R2" -> mirrored("R2", d, new int[] {512, 256, 64}, Activation.RELU, Activation.IDENTITY,
                    Activation.SIGMOID, BernoulliLikelihood.INSTANCE, List.of(), Corruption.none());
            case "R3" -> shallow("R3", d, 256, Activation.SIGMOID, List.of(new ContractivePenalty(0.1)),
                    Corruption.none());
            case "R4" -> shallow("R4", d, 256, Activation.SIGMOID, List.of(), new MaskingNoise(0.3));
            case "R5" -> shallow("R5", d, 256, Activation.SIGMOID, List.of(new KlSparsityPenalty(3, 0.05)),
                    Corruption.none());
            case "R6" -> vae(d, 400, 20).withName("R6");
            default -> throw new IllegalArgumentException("unknown reference workload '" + id + "'; known: R1..R6");
        };
    }

    /** The reference workloads' names. */
    public static List<String> referenceWorkloads() {
        return List.of("R1", "R2", "R3", "R4", "R5", "R6");
    }
}
