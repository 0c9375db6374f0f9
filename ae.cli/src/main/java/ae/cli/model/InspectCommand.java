package ae.cli.model;

import ae.autodiff.Parameter;
import ae.cli.Command;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.json.Json;
import ae.cli.train.Describe;
import ae.models.EpochReport;
import ae.models.FittedAutoencoder;
import ae.models.LayerSpec;
import ae.models.ModelConfig;
import ae.models.Part;
import ae.models.PartKind;
import ae.models.PrincipalComponents;
import ae.models.Setting;
import ae.models.TrainingConfig;
import ae.models.TrainingHistory;
import ae.tensor.Tensor;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code ae inspect}: what a checkpoint holds, its configuration, training history and tensors. */
public final class InspectCommand implements Command {
    static final Option JSON = Option.flag("--json",
            "print one JSON object: checkpoint, bytes, model, training, history and tensors (name, shape, dtype,"
                    + " mean, std, min, max); for a PCA model also explained_variance and explained_variance_ratio");

    @Override
    public List<String> path() {
        return List.of("inspect");
    }

    @Override
    public String summary() {
        return "a checkpoint's configuration, training history and tensors";
    }

    @Override
    public String description() {
        return """
                Loads --checkpoint (checking its format version, sizes and checksum) and prints the model's \
                configuration (encoder, decoder, likelihood, penalties, corruption, training procedure), the training \
                configuration, the history of its epochs, and each learned tensor with its shape and statistics.""";
    }

    @Override
    public List<Option> options() {
        return List.of(Checkpoint.CHECKPOINT, JSON);
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) throws Exception {
        // As saved, so that the training configuration shown is the file's own (threads included).
        try (FittedAutoencoder model = Checkpoint.loadAsSaved(options)) {
            long bytes = Files.size(Checkpoint.path(options));
            ModelConfig config = model.config();
            TrainingConfig training = model.trainingConfig();
            TrainingHistory history = model.history();
            List<TensorSummary> tensors = new ArrayList<>();
            for (Parameter p : model.parameters()) {
                tensors.add(TensorSummary.of(p.name(), p.value()));
            }
            if (options.flag(JSON.name())) {
                Map<String, Object> json = json(options, bytes, config, training, history, tensors);
                if (config.procedure() instanceof PrincipalComponents) {
                    json.put("explained_variance", Arrays.stream(PrincipalComponents.variances(model)).boxed()
                            .toList().subList(0, config.encoder().codeSize()));
                    json.put("explained_variance_ratio",
                            Arrays.stream(PrincipalComponents.explainedVarianceRatio(model)).boxed().toList());
                }
                out.println(Json.write(json));
                return 0;
            }
            out.printf(Locale.ROOT, "checkpoint %s (%,d bytes)%n", Checkpoint.path(options), bytes);
            out.println("model     " + Describe.model(config));
            out.println("          loss " + config.lossDescription() + ", initialization "
                    + config.initialization().stableName() + ", procedure " + config.procedure().describe());
            out.println("training  " + trainingText(training));
            out.println("history   " + history.message());
            for (EpochReport r : history.epochs()) {
                out.printf(Locale.ROOT, "          %s epoch %d: train_loss %.4f  val_loss %s  %,.0f samples/s  %.1f s%n",
                        r.phase(), r.epoch(), r.trainLoss(), Double.isNaN(r.validationLoss()) ? "-"
                                : String.format(Locale.ROOT, "%.4f", r.validationLoss()), r.samplesPerSecond(),
                        r.seconds());
            }
            if (config.procedure() instanceof PrincipalComponents) {
                printExplainedVariance(model, out);
            }
            long values = tensors.stream().mapToLong(TensorSummary::size).sum();
            out.printf(Locale.ROOT, "tensors   %d parameters, %,d values%n", tensors.size(), values);
            int width = tensors.stream().mapToInt(t -> t.name().length()).max().orElse(0);
            int shapeWidth = tensors.stream().mapToInt(t -> t.shapeText().length()).max().orElse(0);
            for (TensorSummary t : tensors) {
                out.printf(Locale.ROOT, "          %-" + width + "s  %-" + shapeWidth + "s  %s  mean %+.4f  std %.4f"
                        + "  min %+.4f  max %+.4f%n", t.name(), t.shapeText(), t.dtype(), t.mean(), t.std(), t.min(),
                        t.max());
            }
            return 0;
        }
    }

    /** The variance along each principal component, its share of the total and the cumulative share. */
    private static void printExplainedVariance(FittedAutoencoder model, PrintStream out) {
        double[] variances = PrincipalComponents.variances(model);
        double[] ratio = PrincipalComponents.explainedVarianceRatio(model);
        double cumulative = 0;
        for (double r : ratio) {
            cumulative += r;
        }
        out.printf(Locale.ROOT, "explained %d components hold %.2f%% of the total variance %.4f%n", ratio.length,
                100 * cumulative, variances[ratio.length]);
        cumulative = 0;
        for (int i = 0; i < ratio.length; i++) {
            cumulative += ratio[i];
            out.printf(Locale.ROOT, "          component %d: variance %.4f  %.2f%%  cumulative %.2f%%%n", i + 1,
                    variances[i], 100 * ratio[i], 100 * cumulative);
        }
    }

    private static String trainingText(TrainingConfig t) {
        return String.format(Locale.ROOT, "%d epochs of batch %d, seed %d, %d thread%s, %s, schedule %s, validation"
                        + " fraction %s, early-stopping patience %d%s", t.epochs(), t.batchSize(), t.seed(), t.threads(),
                t.threads() == 1 ? "" : "s", t.optimizer().describe(), t.schedule().describe(), t.validationFraction(),
                t.earlyStoppingPatience(), t.dropLast() ? ", last short batch dropped" : "");
    }

    private static Map<String, Object> json(ParsedOptions options, long bytes, ModelConfig config,
                                            TrainingConfig training, TrainingHistory history,
                                            List<TensorSummary> tensors) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", config.name());
        model.put("input", config.inputDimension());
        model.put("initialization", config.initialization().stableName());
        model.put("encoder", part(config.encoder()));
        model.put("decoder", part(config.decoder()));
        model.put("likelihood", part(config.likelihood()));
        model.put("penalties", config.penalties().stream().map(InspectCommand::part).toList());
        model.put("corruption", part(config.corruption()));
        model.put("procedure", part(config.procedure()));
        Map<String, Object> train = new LinkedHashMap<>();
        train.put("epochs", training.epochs());
        train.put("batch", training.batchSize());
        train.put("seed", training.seed());
        train.put("threads", training.threads());
        train.put("optimizer", part(training.optimizer()));
        train.put("schedule", part(training.schedule()));
        train.put("validation_fraction", training.validationFraction());
        train.put("patience", training.earlyStoppingPatience());
        List<Object> epochs = new ArrayList<>();
        for (EpochReport r : history.epochs()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("phase", r.phase());
            e.put("epoch", r.epoch());
            e.put("train_loss", r.trainLoss());
            e.put("val_loss", r.validationLoss());
            e.put("samples_per_s", r.samplesPerSecond());
            e.put("seconds", r.seconds());
            epochs.add(e);
        }
        Map<String, Object> hist = new LinkedHashMap<>();
        hist.put("outcome", history.outcome().stableName());
        hist.put("message", history.message());
        hist.put("epochs", epochs);
        List<Object> tensorList = new ArrayList<>();
        for (TensorSummary t : tensors) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", t.name());
            e.put("shape", Arrays.stream(t.shape()).boxed().toList());
            e.put("dtype", t.dtype());
            e.put("mean", t.mean());
            e.put("std", t.std());
            e.put("min", t.min());
            e.put("max", t.max());
            tensorList.add(e);
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("checkpoint", Checkpoint.path(options).toString());
        all.put("bytes", bytes);
        all.put("model", model);
        all.put("training", train);
        all.put("history", hist);
        all.put("tensors", tensorList);
        return all;
    }

    /** A part as JSON: {@code {"kind": ..., <setting key>: <value>, ...}}, nested parts as objects. */
    static Map<String, Object> part(Part part) {
        Map<String, Object> out = new LinkedHashMap<>();
        PartKind<Part> kind = PartKind.kindOf(part);
        out.put("kind", kind.name());
        for (Setting<Part> s : kind.settings()) {
            Object v = s.valueIn(part);
            out.put(s.key(), switch (s.type()) {
                case LAYERS -> layers(castLayers(v));
                case PENALTIES -> ((List<?>) v).stream().map(p -> (Object) part((Part) p)).toList();
                case CORRUPTION -> part((Part) v);
                default -> v;
            });
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<LayerSpec> castLayers(Object value) {
        return (List<LayerSpec>) value;
    }

    private static List<Object> layers(List<LayerSpec> layers) {
        List<Object> out = new ArrayList<>();
        for (LayerSpec layer : layers) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("units", layer.units());
            l.put("activation", layer.activation().name().toLowerCase(Locale.ROOT));
            out.add(l);
        }
        return out;
    }

    private record TensorSummary(String name, int[] shape, String dtype, long size, double mean, double std,
                                 double min, double max) {
        static TensorSummary of(String name, Tensor t) {
            double[] values = t.toDoubleArray();
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double mean = sum / values.length;
            double squares = 0;
            for (double v : values) {
                squares += (v - mean) * (v - mean);
            }
            return new TensorSummary(name, t.shape(), t.dtype().toString(), values.length, mean,
                    Math.sqrt(squares / values.length), min, max);
        }

        String shapeText() {
            return Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(" x "));
        }
    }
}
