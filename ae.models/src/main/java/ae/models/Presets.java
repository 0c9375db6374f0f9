package ae.models;

import ae.tensor.Activation;
import java.util.List;
import java.util.Locale;

/**
 * The named variants, each a {@link ModelConfig} built from the parts, and the reference workloads R1..R5 of
 * ../shared/WORKLOADS.md. {@link #byName} gives each with default hyperparameters for an input dimension, for the
 * command line.
 */
public final class Presets {
    private Presets() {
    }

    /** The names {@link #byName} knows. */
    public static List<String> names() {
        return List.of("undercomplete", "deep", "sparse-l1", "sparse-kl", "denoising-masking", "denoising-gaussian",
                "denoising-salt-and-pepper", "contractive", "higher-order-contractive", "stacked", "R1", "R2", "R3",
                "R4", "R5");
    }

    /** A preset with default hyperparameters for data of {@code inputDimension} features in [0, 1]. */
    public static ModelConfig byName(String name, int inputDimension) {
        int code = Math.max(2, Math.min(256, inputDimension / 3));
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "undercomplete" -> undercomplete(inputDimension, code);
            case "deep" -> deep(inputDimension, deepSizes(inputDimension));
            case "sparse-l1" -> sparseL1(inputDimension, code, 1e-3);
            case "sparse-kl" -> sparseKl(inputDimension, code, 0.05, 3);
            case "denoising-masking" -> denoising(inputDimension, code, new Corruption.Masking(0.3));
            case "denoising-gaussian" -> denoising(inputDimension, code, new Corruption.Gaussian(0.1));
            case "denoising-salt-and-pepper" -> denoising(inputDimension, code, new Corruption.SaltAndPepper(0.1));
            case "contractive" -> contractive(inputDimension, code, 0.1);
            case "higher-order-contractive" -> higherOrderContractive(inputDimension, code, 0.1, 0.1, 0.1, 4);
            case "stacked" -> stacked(inputDimension, deepSizes(inputDimension), 2, List.of(),
                    new Corruption.Masking(0.2));
            case "r1", "r2", "r3", "r4", "r5" -> {
                ModelConfig r = reference(name.trim().toUpperCase(Locale.ROOT));
                if (inputDimension != r.architecture().inputDimension()) {
                    throw new IllegalArgumentException("workload " + r.name() + " is defined on "
                            + r.architecture().inputDimension() + " features (Fashion-MNIST), the data has "
                            + inputDimension);
                }
                yield r;
            }
            default -> throw new IllegalArgumentException("unknown model preset '" + name + "'; known: "
                    + String.join(", ", names()));
        };
    }

    private static int[] deepSizes(int d) {
        int a = Math.max(4, Math.min(512, (int) (d * 0.65)));
        int b = Math.max(3, a / 2);
        int c = Math.max(2, b / 4);
        return new int[] {a, b, c};
    }

    /** Shallow undercomplete: {@code d -> code sigmoid -> d sigmoid}, BCE. */
    public static ModelConfig undercomplete(int d, int code) {
        return ModelConfig.of("undercomplete", Architecture.shallow(d, code, Activation.SIGMOID, Activation.SIGMOID),
                ReconstructionLoss.BINARY_CROSS_ENTROPY, List.of(), Corruption.none());
    }

    /** Deep undercomplete: ReLU hidden layers, a linear code (the last size), a sigmoid output, BCE. */
    public static ModelConfig deep(int d, int... sizes) {
        return ModelConfig.of("deep", Architecture.mirrored(d, sizes, Activation.RELU, Activation.IDENTITY,
                Activation.SIGMOID, false, Initialization.FAN_IN_UNIFORM), ReconstructionLoss.BINARY_CROSS_ENTROPY,
                List.of(), Corruption.none());
    }

    /** Sparse by an L1 penalty on a ReLU code (which can be exactly zero). */
    public static ModelConfig sparseL1(int d, int code, double weight) {
        return ModelConfig.of("sparse-l1", Architecture.shallow(d, code, Activation.RELU, Activation.SIGMOID),
                ReconstructionLoss.BINARY_CROSS_ENTROPY, List.of(new Penalty.L1Code(weight)), Corruption.none());
    }

    /** Sparse by {@code weight * sum_j KL(rho || mean h_j)} on a sigmoid code. */
    public static ModelConfig sparseKl(int d, int code, double rho, double weight) {
        return ModelConfig.of("sparse-kl", Architecture.shallow(d, code, Activation.SIGMOID, Activation.SIGMOID),
                ReconstructionLoss.BINARY_CROSS_ENTROPY, List.of(new Penalty.KlSparsity(weight, rho)),
                Corruption.none());
    }

    /** Denoising: trained to reconstruct x from a corruption of it. */
    public static ModelConfig denoising(int d, int code, Corruption corruption) {
        return ModelConfig.of("denoising", Architecture.shallow(d, code, Activation.SIGMOID, Activation.SIGMOID),
                ReconstructionLoss.BINARY_CROSS_ENTROPY, List.of(), corruption);
    }

    /** Contractive: {@code weight * ||dh/dx||_F^2}, in closed form. */
    public static ModelConfig contractive(int d, int code, double weight) {
        return ModelConfig.of("contractive", Architecture.shallow(d, code, Activation.SIGMOID, Activation.SIGMOID),
                ReconstructionLoss.BINARY_CROSS_ENTROPY, List.of(new Penalty.Contractive(weight)), Corruption.none());
    }

    /** CAE+H: the contractive penalty plus {@code hessianWeight * E||J(x) - J(x + eps)||^2}. */
    public static ModelConfig higherOrderContractive(int d, int code, double weight, double hessianWeight, double sigma,
                                                     int corruptions) {
        return ModelConfig.of("higher-order-contractive",
                Architecture.shallow(d, code, Activation.SIGMOID, Activation.SIGMOID),
                ReconstructionLoss.BINARY_CROSS_ENTROPY, List.of(new Penalty.Contractive(weight),
                        new Penalty.HigherOrderContractive(hessianWeight, sigma, corruptions)), Corruption.none());
    }

    /**
     * Stacked: sigmoid layers of the given sizes, each pretrained greedily as a shallow autoencoder of the given kind
     * for {@code pretrainEpochs}, then fine-tuned end to end.
     */
    public static ModelConfig stacked(int d, int[] sizes, int pretrainEpochs, List<Penalty> layerPenalties,
                                      Corruption layerCorruption) {
        return new ModelConfig("stacked", Architecture.mirrored(d, sizes, Activation.SIGMOID, Activation.SIGMOID,
                Activation.SIGMOID, false, Initialization.GLOROT_UNIFORM), ReconstructionLoss.BINARY_CROSS_ENTROPY,
                List.of(), Corruption.none(),
                new TrainingProcedure.GreedyLayerWise(pretrainEpochs, layerPenalties, layerCorruption));
    }

    /** The reference workloads R1..R5 of ../shared/WORKLOADS.md, on 784 features. */
    public static ModelConfig reference(String id) {
        int d = 784;
        Architecture r1 = Architecture.shallow(d, 256, Activation.SIGMOID, Activation.SIGMOID);
        return switch (id) {
            case "R1" -> ModelConfig.of("R1", r1, ReconstructionLoss.BINARY_CROSS_ENTROPY, List.of(), Corruption.none());
            case "R2" -> ModelConfig.of("R2", Architecture.mirrored(d, new int[] {512, 256, 64}, Activation.RELU,
                            Activation.IDENTITY, Activation.SIGMOID, false, Initialization.FAN_IN_UNIFORM),
                    ReconstructionLoss.BINARY_CROSS_ENTROPY, List.of(), Corruption.none());
            case "R3" -> ModelConfig.of("R3", r1, ReconstructionLoss.BINARY_CROSS_ENTROPY,
                    List.of(new Penalty.Contractive(0.1)), Corruption.none());
            case "R4" -> ModelConfig.of("R4", r1, ReconstructionLoss.BINARY_CROSS_ENTROPY, List.of(),
                    new Corruption.Masking(0.3));
            case "R5" -> ModelConfig.of("R5", r1, ReconstructionLoss.BINARY_CROSS_ENTROPY,
                    List.of(new Penalty.KlSparsity(3, 0.05)), Corruption.none());
            default -> throw new IllegalArgumentException("unknown reference workload '" + id + "'; known: R1..R5");
        };
    }
}
