package ae.models;

import ae.tensor.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The shape of an autoencoder: an encoder stack from the input to the code and a decoder stack from the code back to
 * the input dimension, dense layers throughout.
 *
 * <p>With tied weights, decoder layer {@code i} uses the transpose of encoder layer {@code L-1-i}'s weight (it keeps
 * its own bias), so the decoder's widths must mirror the encoder's. The decoder's last activation is the activation of
 * the reconstruction; with {@link ReconstructionLoss#BINARY_CROSS_ENTROPY} it must be sigmoid, and the loss is
 * computed from the logits in its stable form.
 */
public record Architecture(int inputDimension, List<LayerSpec> encoder, List<LayerSpec> decoder, boolean tiedWeights,
                           Initialization initialization) {
    public Architecture {
        if (inputDimension < 1) {
            throw new IllegalArgumentException("input dimension must be >= 1, got " + inputDimension);
        }
        encoder = List.copyOf(encoder);
        decoder = List.copyOf(decoder);
        Objects.requireNonNull(initialization, "initialization");
        if (encoder.isEmpty() || decoder.isEmpty()) {
            throw new IllegalArgumentException("an autoencoder needs at least one encoder and one decoder layer");
        }
        if (decoder.getLast().units() != inputDimension) {
            throw new IllegalArgumentException("the decoder must end at the input dimension " + inputDimension
                    + ", its last layer has " + decoder.getLast().units() + " units");
        }
        if (tiedWeights) {
            if (decoder.size() != encoder.size()) {
                throw new IllegalArgumentException("tied weights need as many decoder layers as encoder layers, got "
                        + encoder.size() + " and " + decoder.size());
            }
            for (int i = 0; i < decoder.size(); i++) {
                int expected = i == decoder.size() - 1 ? inputDimension : encoder.get(encoder.size() - 2 - i).units();
                if (decoder.get(i).units() != expected) {
                    throw new IllegalArgumentException("tied decoder layer " + i + " must have " + expected
                            + " units to mirror the encoder, has " + decoder.get(i).units());
                }
            }
        }
    }

    /**
     * The usual mirrored shape: {@code input -> hidden[0] -> ... -> hidden[last] (the code)} and back, with
     * {@code hiddenActivation} between layers, {@code codeActivation} on the code and {@code outputActivation} on the
     * reconstruction.
     */
    public static Architecture mirrored(int inputDimension, int[] hiddenSizes, Activation hiddenActivation,
                                        Activation codeActivation, Activation outputActivation, boolean tiedWeights,
                                        Initialization initialization) {
        if (hiddenSizes.length == 0) {
            throw new IllegalArgumentException("at least one hidden size (the code) is needed");
        }
        List<LayerSpec> enc = new ArrayList<>();
        for (int i = 0; i < hiddenSizes.length; i++) {
            enc.add(LayerSpec.of(hiddenSizes[i], i == hiddenSizes.length - 1 ? codeActivation : hiddenActivation));
        }
        List<LayerSpec> dec = new ArrayList<>();
        for (int i = hiddenSizes.length - 2; i >= 0; i--) {
            dec.add(LayerSpec.of(hiddenSizes[i], hiddenActivation));
        }
        dec.add(LayerSpec.of(inputDimension, outputActivation));
        return new Architecture(inputDimension, enc, dec, tiedWeights, initialization);
    }

    /** {@code input -> code -> input}: the shallow autoencoder. */
    public static Architecture shallow(int inputDimension, int codeSize, Activation codeActivation,
                                       Activation outputActivation) {
        return mirrored(inputDimension, new int[] {codeSize}, codeActivation, codeActivation, outputActivation, false,
                Initialization.FAN_IN_UNIFORM);
    }

    public int codeSize() {
        return encoder.getLast().units();
    }

    public Activation codeActivation() {
        return encoder.getLast().activation();
    }

    /** Input width of encoder layer {@code i}. */
    public int encoderInput(int i) {
        return i == 0 ? inputDimension : encoder.get(i - 1).units();
    }

    /** Input width of decoder layer {@code i}. */
    public int decoderInput(int i) {
        return i == 0 ? codeSize() : decoder.get(i - 1).units();
    }

    public Architecture withTiedWeights(boolean tied) {
        return new Architecture(inputDimension, encoder, decoder, tied, initialization);
    }

    public Architecture withInitialization(Initialization init) {
        return new Architecture(inputDimension, encoder, decoder, tiedWeights, init);
    }
}
