package ae.cli.train;

import ae.cli.data.LoadedData;
import ae.models.Corruption;
import ae.models.LayerSpec;
import ae.models.ModelConfig;
import ae.models.Penalty;
import ae.models.TrainingConfig;
import ae.models.TrainingProcedure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Short human descriptions of models and data for the commands' opening lines. */
public final class Describe {
    private Describe() {
    }

    /** E.g. {@code contractive autoencoder 784 -> 256 sigmoid -> 784 sigmoid, contractive 0.1}. */
    public static String model(ModelConfig config) {
        StringBuilder text = new StringBuilder(config.name()).append(" autoencoder ")
                .append(config.architecture().inputDimension());
        for (LayerSpec layer : config.architecture().encoder()) {
            text.append(" -> ").append(layer.units()).append(' ').append(name(layer.activation()));
        }
        for (LayerSpec layer : config.architecture().decoder()) {
            text.append(" -> ").append(layer.units()).append(' ').append(name(layer.activation()));
        }
        List<String> extras = new ArrayList<>();
        if (config.architecture().tiedWeights()) {
            extras.add("tied weights");
        }
        for (Penalty penalty : config.penalties()) {
            extras.add(penalty(penalty));
        }
        String corruption = corruption(config.corruption());
        if (!corruption.isEmpty()) {
            extras.add(corruption);
        }
        if (config.procedure() instanceof TrainingProcedure.GreedyLayerWise greedy) {
            String layerCorruption = corruption(greedy.layerCorruption());
            extras.add("greedy pretraining " + greedy.pretrainEpochs() + " epochs per layer"
                    + (layerCorruption.isEmpty() ? "" : " with " + layerCorruption));
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

    private static String penalty(Penalty penalty) {
        return switch (penalty) {
            case Penalty.Contractive c -> "contractive " + number(c.weight())
                    + (c.probes() > 0 ? " (" + c.probes() + " probes)" : "");
            case Penalty.HigherOrderContractive h -> "higher-order " + number(h.weight()) + " (sigma "
                    + number(h.sigma()) + ", " + h.corruptions() + " samples)";
            case Penalty.L1Code l -> "L1 " + number(l.weight());
            case Penalty.KlSparsity k -> "KL sparsity " + number(k.weight()) + " (rho " + number(k.rho()) + ")";
            case Penalty.WeightDecay w -> "weight decay " + number(w.weight());
        };
    }

    private static String corruption(Corruption corruption) {
        return switch (corruption) {
            case Corruption.None ignored -> "";
            case Corruption.Masking m -> "masking noise " + number(m.probability());
            case Corruption.Gaussian g -> "Gaussian noise " + number(g.stddev());
            case Corruption.SaltAndPepper s -> "salt-and-pepper noise " + number(s.probability());
        };
    }

    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e9 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.4g", value).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
