package ae.cli.bench;

import ae.cli.Command;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.UsageException;
import ae.cli.data.DataSource;
import ae.cli.data.LoadedData;
import ae.cli.json.Json;
import ae.cli.model.ScorerOptions;
import ae.cli.train.ModelOptions;
import ae.data.Dataset;
import ae.models.AnomalyScorer;
import ae.models.AnomalyScorers;
import ae.models.Autoencoder;
import ae.models.FittedAutoencoder;
import ae.models.ModelConfig;
import ae.models.OptimizerConfig;
import ae.models.Presets;
import ae.models.ReconstructionErrorScorer;
import ae.models.TrainingConfig;
import ae.models.TrainingListener;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ae bench anomaly}: the one-class protocol. For each class c, a model trains on the training rows of class c
 * only and scores every test row; the AUROC measures how well the scores tell the other classes (the anomalies) from
 * class c.
 */
public final class AnomalyBenchCommand implements Command {
    static final Option MODEL = Option.withValue("--model", "PRESET", "anomaly", "the model, by preset name (ae train"
            + " --help lists them and the options that change them, which apply here too)");
    static final Option CLASSES = Option.withValue("--classes", "C", "every class",
            "the normal classes to run the protocol for, comma-separated labels");
    static final Option EPOCHS = Option.withValue("--epochs", "N", "20", "training epochs per class");
    static final Option BATCH = Option.withValue("--batch", "N", "128", "minibatch size");
    static final Option LR = Option.withValue("--lr", "X", "0.001", "Adam's learning rate");
    static final Option SEED = Option.withValue("--seed", "S", "0", "seed of the initialization, shuffling and noise");
    static final Option THREADS = Option.withValue("--threads", "T",
            Integer.toString(Runtime.getRuntime().availableProcessors()), "compute threads");
    static final Option DATA = Option.withValue("--data", "DATA", "fashion-mnist",
            "labelled data with a test split: " + DataSource.HELP);
    static final Option PCA = Option.withValue("--pca-components", "K", "30", "the baseline: PCA with K components"
            + " fitted the same way and scored by its squared reconstruction error (column pca-K; 0 for none)");
    static final Option JSON = Option.flag("--json", "print one JSON object per class and one for the mean: class,"
            + " name, auroc (by scorer, and pca-K)");

    @Override
    public List<String> path() {
        return List.of("bench", "anomaly");
    }

    @Override
    public String summary() {
        return "the one-class anomaly protocol: per-class and mean AUROC of scorers";
    }

    @Override
    public String description() {
        return """
                For each class c of --classes: trains --model on the training rows of class c only, scores every \
                test row with each scorer of --scorer (comma-separated; the model's default without it), and \
                prints the area under the ROC curve for telling the other classes (the anomalies) from class c. \
                Scorers that learn from the training rows (mahalanobis, knn, normalized errors) read class c's \
                training rows. See docs/anomaly-detection.md.""";
    }

    @Override
    public List<Option> options() {
        List<Option> out = new ArrayList<>(List.of(MODEL, CLASSES, EPOCHS, BATCH, LR, SEED, THREADS, DATA, PCA, JSON,
                ScorerOptions.SCORER));
        out.addAll(ScorerOptions.SETTING_OPTIONS);
        out.addAll(ModelOptions.MODIFIERS);
        return out;
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) throws Exception {
        TrainingConfig training = TrainingConfig.defaults()
                .withEpochs(options.positiveInt(EPOCHS.name()))
                .withBatchSize(options.positiveInt(BATCH.name()))
                .withOptimizer(OptimizerConfig.adam(options.doubleIn(LR.name(), Double.MIN_VALUE, 10)))
                .withThreads(options.positiveInt(THREADS.name()))
                .withSeed(options.longValue(SEED.name()))
                .withValidation(0, 0);
        boolean json = options.flag(JSON.name());
        try (LoadedData data = DataSource.load(options.value(DATA.name()))) {
            if (!data.hasTest() || !data.data().hasLabels() || !data.test().hasLabels()) {
                throw new UsageException(data.source() + ": the protocol needs labelled training and test rows");
            }
            ModelConfig config = ModelOptions.build(options, data.data().dimension());
            List<AnomalyScorer> scorers = ScorerOptions.scorers(options, config, true);
            List<Integer> classes = classes(options, data.data());
            Dataset test = data.test();
            List<String> names = scorers.stream().map(s -> s.kind().name()).toList();
            if (new java.util.HashSet<>(names).size() != names.size()) {
                throw new UsageException(ScorerOptions.SCORER.name() + ": each scorer once, got "
                        + String.join(",", names));
            }
            int pcaComponents = options.nonNegativeInt(PCA.name());
            if (pcaComponents >= data.data().dimension()) {
                throw new UsageException(PCA.name() + " must be below the data's " + data.data().dimension()
                        + " features, got " + pcaComponents);
            }
            String pcaName = "pca-" + pcaComponents;
            Map<String, double[]> table = new LinkedHashMap<>();
            for (String name : names) {
                table.put(name, new double[classes.size()]);
            }
            if (pcaComponents > 0) {
                table.put(pcaName, new double[classes.size()]);
            }
            err.printf(Locale.ROOT, "ae bench anomaly: %s, %d epochs per class, scorers %s%n", config.name(),
                    training.epochs(), String.join(", ", scorers.stream().map(s -> s.describe()).toList()));
            for (int ci = 0; ci < classes.size(); ci++) {
                int c = classes.get(ci);
                boolean[] anomalous = new boolean[test.size()];
                for (int i = 0; i < anomalous.length; i++) {
                    anomalous[i] = test.label(i) != c;
                }
                long started = System.nanoTime();
                try (Dataset normal = data.data().subset(data.data().name() + " class " + c, rowsOf(data.data(), c));
                     FittedAutoencoder model = Autoencoder.of(config).fit(normal, training, TrainingListener.none())) {
                    for (int s = 0; s < scorers.size(); s++) {
                        AnomalyScorer scorer = scorers.get(s);
                        try (AnomalyScorer.Fitted fitted = scorer.fit(model,
                                scorer.learnsFromTrainingRows() ? normal.features() : null)) {
                            table.get(names.get(s))[ci] = AnomalyScorers.auroc(fitted.score(test.features()), anomalous);
                        }
                    }
                    if (pcaComponents > 0) {
                        table.get(pcaName)[ci] = pcaAuroc(normal, test, pcaComponents, training, anomalous);
                    }
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("class", c);
                row.put("name", data.className(c));
                Map<String, Object> aurocs = new LinkedHashMap<>();
                for (String name : table.keySet()) {
                    aurocs.put(name, table.get(name)[ci]);
                }
                row.put("auroc", aurocs);
                if (json) {
                    out.println(Json.write(row));
                } else {
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-3d %-12s", c,
                            data.className(c)));
                    for (String name : table.keySet()) {
                        line.append(String.format(Locale.ROOT, "  %s %.4f", name, table.get(name)[ci]));
                    }
                    out.println(line + String.format(Locale.ROOT, "  (%.1f s)", (System.nanoTime() - started) / 1e9));
                }
                out.flush();
            }
            Map<String, Object> mean = new LinkedHashMap<>();
            mean.put("class", "mean");
            Map<String, Object> aurocs = new LinkedHashMap<>();
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-16s", "mean"));
            for (String name : table.keySet()) {
                double m = java.util.Arrays.stream(table.get(name)).average().orElse(Double.NaN);
                aurocs.put(name, m);
                line.append(String.format(Locale.ROOT, "  %s %.4f", name, m));
            }
            mean.put("auroc", aurocs);
            out.println(json ? Json.write(mean) : line.toString());
        }
        return 0;
    }

    /** PCA fitted to the normal rows, scored by its squared reconstruction error: the baseline column. */
    private static double pcaAuroc(Dataset normal, Dataset test, int components, TrainingConfig training,
                                   boolean[] anomalous) {
        try (FittedAutoencoder pca = Autoencoder.of(Presets.pca(normal.dimension(), components)).fit(normal,
                training.withEpochs(1), TrainingListener.none());
             AnomalyScorer.Fitted fitted = new ReconstructionErrorScorer(false, false).fit(pca, null)) {
            return AnomalyScorers.auroc(fitted.score(test.features()), anomalous);
        }
    }

    private static List<Integer> classes(ParsedOptions options, Dataset train) {
        java.util.TreeSet<Integer> present = new java.util.TreeSet<>();
        for (int label : train.labels()) {
            present.add(label);
        }
        if (!options.isGiven(CLASSES.name())) {
            return List.copyOf(present);
        }
        List<Integer> out = new ArrayList<>();
        for (String item : options.list(CLASSES.name())) {
            int c;
            try {
                c = Integer.parseInt(item);
            } catch (NumberFormatException e) {
                throw new UsageException(CLASSES.name() + ": '" + item + "' is not a class label");
            }
            if (!present.contains(c)) {
                throw new UsageException(CLASSES.name() + ": no training row has label " + c + " (labels: "
                        + present + ")");
            }
            out.add(c);
        }
        return out;
    }

    private static int[] rowsOf(Dataset data, int label) {
        return java.util.stream.IntStream.range(0, data.size()).filter(i -> data.label(i) == label).toArray();
    }
}
