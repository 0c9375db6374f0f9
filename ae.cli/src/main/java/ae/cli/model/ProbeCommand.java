package ae.cli.model;

import ae.cli.Command;
import ae.cli.CommandFailedException;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.data.DataSource;
import ae.cli.data.LoadedData;
import ae.cli.json.Json;
import ae.data.Dataset;
import ae.data.TrainValidationSplit;
import ae.models.Autoencoder;
import ae.models.FittedAutoencoder;
import ae.models.LogisticRegression;
import ae.models.Presets;
import ae.models.TrainingConfig;
import ae.models.TrainingListener;
import ae.tensor.ComputePool;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ae probe}: how linearly separable the classes are in a model's codes (14.9), beside the raw features and PCA
 * codes of the same size.
 */
public final class ProbeCommand implements Command {
    static final Option DATA = Option.withValue("--data", "DATA", "fashion-mnist", "labelled data: " + DataSource.HELP);
    static final Option EPOCHS = Option.withValue("--epochs", "N", "20", "epochs of the logistic regression");
    static final Option PCA = Option.withValue("--pca", "K", "0",
            "components of the PCA baseline; 0 for the model's code size");
    static final Option JSON = Option.flag("--json",
            "print one JSON object: checkpoint, data, train_rows, test_rows, and probes (features, dimension,"
                    + " test_accuracy) for the model's codes, the raw features and PCA");

    @Override
    public List<String> path() {
        return List.of("probe");
    }

    @Override
    public String summary() {
        return "linear probe: logistic regression on a model's codes, on raw features and on PCA codes";
    }

    @Override
    public String description() {
        return """
                Encodes --data with --checkpoint (the code's mean) and fits a multinomial logistic regression on the \
                training rows' codes and labels (features standardized; Adam, learning rate 1e-3, batch 256, L2 \
                1e-4, --epochs passes, seed 0), then reports its accuracy on the test split (the full fashion-mnist's \
                t10k; data without one holds out a seeded 20%). The same probe is fitted on the raw features and on \
                the codes of PCA with as many components as the model's code (fitted on the training rows), side by \
                side: a feature learner's codes are worth their size when they beat both.""";
    }

    @Override
    public List<Option> options() {
        return List.of(Checkpoint.CHECKPOINT, DATA, EPOCHS, PCA, Checkpoint.THREADS, JSON);
    }

    /** One probe's outcome. */
    private record Probe(String features, int dimension, double accuracy) {
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) throws Exception {
        int threads = options.positiveInt(Checkpoint.THREADS.name());
        int epochs = options.positiveInt(EPOCHS.name());
        LogisticRegression regression = new LogisticRegression(epochs, 256, 1e-3, 1e-4, 0);
        try (FittedAutoencoder model = Checkpoint.load(options);
             LoadedData data = DataSource.load(options.value(DATA.name()));
             ComputePool pool = ComputePool.create(threads)) {
            Checkpoint.requireMatchingData(model, data.data(), data.source());
            if (!data.data().hasLabels()) {
                throw new CommandFailedException("a probe needs labels; " + data.source() + " has none");
            }
            TrainValidationSplit split = data.hasTest() ? null : data.data().split(0.2, 0);
            try (split) {
                Dataset train = split == null ? data.data() : split.train();
                Dataset test = split == null ? data.test() : split.validation();
                if (!test.hasLabels()) {
                    throw new CommandFailedException("a probe needs labels; the test split of " + data.source()
                            + " has none");
                }
                int classes = 0;
                for (int label : train.labels()) {
                    classes = Math.max(classes, label + 1);
                }
                for (int label : test.labels()) {
                    classes = Math.max(classes, label + 1);
                }
                int codeSize = model.config().encoder().codeSize();
                int components = options.nonNegativeInt(PCA.name()) == 0 ? codeSize
                        : options.nonNegativeInt(PCA.name());
                if (components > train.dimension()) {
                    throw new CommandFailedException(PCA.name() + " " + components + " exceeds the data's "
                            + train.dimension() + " features");
                }
                List<Probe> probes = new ArrayList<>();
                try (TensorScope scope = TensorScope.open("probe codes")) {
                    Tensor trainCodes = model.encode(train.features(), scope);
                    Tensor testCodes = model.encode(test.features(), scope);
                    probes.add(probe(model.config().name() + " codes", regression, trainCodes, train, testCodes, test,
                            classes, pool));
                }
                probes.add(probe("raw features", regression, train.features(), train, test.features(), test, classes,
                        pool));
                TrainingConfig pcaFit = TrainingConfig.defaults().withThreads(threads).withValidation(0, 0);
                try (FittedAutoencoder pca = Autoencoder.of(Presets.pca(train.dimension(), components))
                        .fit(train, pcaFit, TrainingListener.none());
                     TensorScope scope = TensorScope.open("probe PCA codes")) {
                    probes.add(probe("pca codes", regression, pca.encode(train.features(), scope), train,
                            pca.encode(test.features(), scope), test, classes, pool));
                }
                if (options.flag(JSON.name())) {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("checkpoint", Checkpoint.path(options).toString());
                    json.put("data", data.source());
                    json.put("train_rows", train.size());
                    json.put("test_rows", test.size());
                    List<Object> list = new ArrayList<>();
                    for (Probe p : probes) {
                        Map<String, Object> e = new LinkedHashMap<>();
                        e.put("features", p.features());
                        e.put("dimension", p.dimension());
                        e.put("test_accuracy", p.accuracy());
                        list.add(e);
                    }
                    json.put("probes", list);
                    out.println(Json.write(json));
                } else {
                    out.printf(Locale.ROOT, "linear probe (logistic regression, %d epochs) trained on %,d rows,"
                            + " accuracy on %,d test rows of %s:%n", epochs, train.size(), test.size(), data.source());
                    for (Probe p : probes) {
                        out.printf(Locale.ROOT, "  %-24s %5d dims  accuracy %.4f%n", p.features(), p.dimension(),
                                p.accuracy());
                    }
                }
                return 0;
            }
        }
    }

    private static Probe probe(String name, LogisticRegression regression, Tensor train, Dataset trainData,
                               Tensor test, Dataset testData, int classes, ComputePool pool) {
        double accuracy = regression.fit(train, trainData.labels(), classes, pool)
                .accuracy(test, testData.labels(), pool);
        return new Probe(name, train.cols(), accuracy);
    }
}
