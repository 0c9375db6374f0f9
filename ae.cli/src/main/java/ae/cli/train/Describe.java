package ae.cli.train;

import ae.cli.data.LoadedData;
import ae.models.Backpropagation;
import ae.models.BernoulliLikelihood;
import ae.models.DeterministicEncoder;
import ae.models.LayerSpec;
import ae.models.ModelConfig;
import ae.models.NoCorruption;
import ae.models.Penalty;
import ae.models.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Short human descriptions of models and data for the commands' opening lines, from the parts' own descriptions. */
public final class Describe {
    private Describe() {
    }

    /**
     * E.g. {@code R3 autoencoder 784 -> 256 sigmoid -> 784 sigmoid, contractive (weight 0.1, probes 0)}: the path
     * through the layers, then every part that is not the plain default.
     */
    public static String model(ModelConfig config) {
        StringBuilder text = new StringBuilder(config.name()).append(" autoencoder ").append(config.inputDimension());
        for (LayerSpec layer : config.encoder().layers()) {
            text.append(" -> ").append(layer.units()).append(' ').append(name(layer.activation()));
        }
        for (LayerSpec layer : config.decoder().layers()) {
            text.append(" -> ").append(layer.units()).append(' ').append(name(layer.activation()));
        }
        List<String> extras = new ArrayList<>();
        if (!(config.encoder() instanceof DeterministicEncoder)) {
            extras.add(config.encoder().describe() + " encoder");
        }
        if (config.decoder().tied()) {
            extras.add("tied weights");
        }
        if (!(config.likelihood() instanceof BernoulliLikelihood)) {
            extras.add(config.likelihood().lossDescription());
        }
        for (Penalty penalty : config.penalties()) {
            extras.add(penalty.describe());
        }
        if (!(config.corruption() instanceof NoCorruption)) {
            extras.add(config.corruption().describe() + " noise");
        }
        if (!(config.procedure() instanceof Backpropagation)) {
            extras.add(config.procedure().describe());
        }
        if (!extras.isEmpty()) {
            text.append(", ").append(String.join(", ", extras));
        }
        return text.toString();
    }

    static String data(LoadedData data, TrainingConfig training) {
        int rows = data.data().size();
        int validation = training.validationFraction() > 0 ? (int) Math.round(rows * training.validationFraction()) : 0;
        String text = String.format(Locale.ROOT, "%s (%,d x %d; %,d for training, %,d for validation", data.source(),
                rows, data.data().dimension(), rows - validation, validation);
        if (data.hasTest()) {
            text += String.format(Locale.ROOT, "; test split %,d", data.test().size());
        }
        return text + String.format(Locale.ROOT, "), %d epochs of batch %d on %d thread%s", training.epochs(),
                training.batchSize(), training.threads(), training.threads() == 1 ? "" : "s");
    }

    private static String name(Enum<?> activation) {
        return activation.name().toLowerCase(Locale.ROOT);
    }
}
