package ae.models;

import java.util.List;
import java.util.Objects;

/** How the parameters are trained. */
public sealed interface TrainingProcedure {
    /** End-to-end backpropagation of the whole model's objective. */
    record Backpropagation() implements TrainingProcedure {
    }

    /**
     * Greedy layer-wise pretraining, then end-to-end fine-tuning. Layer {@code l} is pretrained as a shallow
     * autoencoder on the codes of the (frozen) layers below it: encoder layer {@code l} with its mirror decoder layer
     * {@code L-1-l}, reconstructing its own input (with the model's loss for the first layer, squared error above),
     * for {@code pretrainEpochs} epochs, regularized by {@code layerPenalties} and {@code layerCorruption}. Fine-tuning
     * then trains everything with the model's own objective for the training configuration's epochs.
     */
    record GreedyLayerWise(int pretrainEpochs, List<Penalty> layerPenalties, Corruption layerCorruption)
            implements TrainingProcedure {
        public GreedyLayerWise {
            if (pretrainEpochs < 1) {
                throw new IllegalArgumentException("greedy pretraining needs >= 1 epoch per layer, got " + pretrainEpochs);
            }
            layerPenalties = List.copyOf(layerPenalties);
            Objects.requireNonNull(layerCorruption, "layerCorruption");
        }
    }

    static TrainingProcedure backpropagation() {
        return new Backpropagation();
    }
}
