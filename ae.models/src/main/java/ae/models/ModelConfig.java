package ae.models;

import java.util.List;
import java.util.Objects;

/**
 * Everything that defines an autoencoder before training, immutable: its architecture, reconstruction loss,
 * penalties, corruption process and training procedure. Learned state lives in a {@link FittedAutoencoder}.
 */
public record ModelConfig(String name, Architecture architecture, ReconstructionLoss loss, List<Penalty> penalties,
                          Corruption corruption, TrainingProcedure procedure) {
    public ModelConfig {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.contains("\n")) {
            throw new IllegalArgumentException("a model name must be one non-blank line, got '" + name + "'");
        }
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(loss, "loss");
        penalties = List.copyOf(penalties);
        Objects.requireNonNull(corruption, "corruption");
        Objects.requireNonNull(procedure, "procedure");
        if (loss == ReconstructionLoss.BINARY_CROSS_ENTROPY
                && architecture.decoder().getLast().activation() != ae.tensor.Activation.SIGMOID) {
            throw new IllegalArgumentException("model '" + name + "': binary cross-entropy needs a sigmoid output, the"
                    + " decoder ends in " + architecture.decoder().getLast().activation());
        }
        for (Penalty p : penalties) {
            checkPenalty(name, architecture, p, architecture.encoder().size());
        }
        if (procedure instanceof TrainingProcedure.GreedyLayerWise g) {
            if (architecture.encoder().size() != architecture.decoder().size()) {
                throw new IllegalArgumentException("model '" + name + "': greedy layer-wise training pairs each encoder"
                        + " layer with its mirror decoder layer, so both stacks need the same depth");
            }
            for (Penalty p : g.layerPenalties()) {
                if (p instanceof Penalty.KlSparsity) {
                    for (LayerSpec layer : architecture.encoder()) {
                        if (layer.activation() != ae.tensor.Activation.SIGMOID) {
                            throw new IllegalArgumentException("model '" + name + "': KL sparsity in layer-wise"
                                    + " pretraining needs sigmoid encoder layers, found " + layer.activation());
                        }
                    }
                }
            }
        }
    }

    private static void checkPenalty(String name, Architecture architecture, Penalty p, int encoderDepth) {
        if (p instanceof Penalty.KlSparsity && architecture.codeActivation() != ae.tensor.Activation.SIGMOID) {
            throw new IllegalArgumentException("model '" + name + "': KL sparsity needs a sigmoid code, the code is "
                    + architecture.codeActivation());
        }
        if (p instanceof Penalty.HigherOrderContractive && encoderDepth != 1) {
            throw new IllegalArgumentException("model '" + name + "': the higher-order contractive penalty needs a"
                    + " one-layer encoder, this one has " + encoderDepth + " (pretrain the layers greedily instead)");
        }
    }

    /** A plain backpropagation-trained model. */
    public static ModelConfig of(String name, Architecture architecture, ReconstructionLoss loss, List<Penalty> penalties,
                                 Corruption corruption) {
        return new ModelConfig(name, architecture, loss, penalties, corruption, TrainingProcedure.backpropagation());
    }

    public ModelConfig withName(String newName) {
        return new ModelConfig(newName, architecture, loss, penalties, corruption, procedure);
    }

    public ModelConfig withArchitecture(Architecture a) {
        return new ModelConfig(name, a, loss, penalties, corruption, procedure);
    }

    public ModelConfig withPenalties(List<Penalty> p) {
        return new ModelConfig(name, architecture, loss, p, corruption, procedure);
    }

    public ModelConfig withCorruption(Corruption c) {
        return new ModelConfig(name, architecture, loss, penalties, c, procedure);
    }

    public ModelConfig withProcedure(TrainingProcedure p) {
        return new ModelConfig(name, architecture, loss, penalties, corruption, p);
    }
}
