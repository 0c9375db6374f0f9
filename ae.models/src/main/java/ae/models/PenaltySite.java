package ae.models;

import ae.autodiff.GraphBuilder;
import ae.autodiff.Node;
import ae.autodiff.Parameter;
import java.util.List;

/**
 * What a {@link Penalty} can build its term from, in the graph being recorded: the encoder's input (corrupted when
 * the model corrupts), the code, the reconstruction and the weight matrices being trained. In greedy layer-wise
 * pretraining the site is one layer: its input, its code and its weights.
 *
 * @param builder the graph being recorded
 * @param encoderInput what the encoder read
 * @param code the code: the deterministic {@code h = f(x)} (a stochastic encoder's mean)
 * @param encoderDepth the number of dense layers from {@code encoderInput} to {@code code}
 * @param reconstruction the decoder's output node (logits under a Bernoulli likelihood)
 * @param reconstructionIsLogits whether {@code reconstruction} holds logits whose sigmoid is the reconstruction
 * @param weights the weight matrices this graph trains
 */
public record PenaltySite(GraphBuilder builder, Node encoderInput, Node code, int encoderDepth, Node reconstruction,
                          boolean reconstructionIsLogits, List<Parameter> weights) {
    /** Copies {@code weights}. */
    public PenaltySite {
        weights = List.copyOf(weights);
    }
}
