package ae.cli.model;

import ae.cli.Command;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.UsageException;
import ae.cli.data.DataSource;
import ae.cli.data.LoadedData;
import ae.cli.output.OutputFiles;
import ae.data.Dataset;
import ae.data.NpyFiles;
import ae.models.AnomalyScorer;
import ae.models.FittedAutoencoder;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** {@code ae score}: per-example anomaly scores (reconstruction errors) to NPY or CSV. */
public final class ScoreCommand implements Command {
    static final Option DATA = Option.withValue("--data", "DATA", "fashion-mnist-sample", "the data: " + DataSource.HELP);
    static final Option REFERENCE = Option.withValue("--reference", "DATA", "none",
            "the training rows, for scorers that learn from them (mahalanobis, knn, residual-and-code, --normalized"
                    + " true): "
                    + DataSource.HELP);
    static final Option OUT = Option.withValue("--out", "FILE", "scores.csv",
            "where to write the scores: .csv (columns row, score, and label when the data has labels) or .npy (a"
                    + " float64 array, one score per row)");

    @Override
    public List<String> path() {
        return List.of("score");
    }

    @Override
    public String summary() {
        return "per-example anomaly scores to CSV or NPY";
    }

    @Override
    public String description() {
        return """
                Loads --checkpoint and scores every row of --data with --scorer: higher means less like the \
                training data, so the score ranks anomalies. Without --scorer, a model of the anomaly preset is \
                scored by residual-and-code (which reads the training rows: give them with --reference), a model \
                with a prior (a VAE) by its importance-weighted negative log-likelihood, and other models by their \
                own reconstruction loss (summed over features, on clean input); docs/anomaly-detection.md compares the \
                scorers. Monte Carlo scores are a pure function of --score-seed. Writes one score per row, in row \
                order, and prints a summary with the rows scored highest.""";
    }

    @Override
    public List<Option> options() {
        List<Option> out = new java.util.ArrayList<>(List.of(Checkpoint.CHECKPOINT, DATA, OUT, Checkpoint.THREADS,
                ScorerOptions.SCORER, REFERENCE));
        out.addAll(ScorerOptions.SETTING_OPTIONS);
        return out;
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) throws Exception {
        Path target = Path.of(options.value(OUT.name()));
        boolean csv = OutputFiles.endsInFirst(OUT, target, ".csv", ".npy");
        try (FittedAutoencoder model = Checkpoint.load(options);
             LoadedData data = DataSource.load(options.value(DATA.name()))) {
            Dataset rows = data.data();
            Checkpoint.requireMatchingData(model, rows, data.source());
            AnomalyScorer scorer = ScorerOptions.scorers(options, model.config(), false).getFirst();
            double[] scores = score(options, model, scorer, rows);
            EncodeCommand.createParent(target);
            if (csv) {
                writeCsv(target, scores, rows);
            } else {
                try (TensorScope scope = TensorScope.open("scores")) {
                    Tensor column = scope.allocateDouble(scores.length);
                    column.copyFrom(scores);
                    NpyFiles.write(target, column);
                }
            }
            summarize(out, target, scores);
            return 0;
        }
    }

    private static double[] score(ParsedOptions options, FittedAutoencoder model, AnomalyScorer scorer, Dataset rows)
            throws java.io.IOException {
        if (!scorer.learnsFromTrainingRows()) {
            try (AnomalyScorer.Fitted fitted = scorer.fit(model, null)) {
                return fitted.score(rows.features());
            }
        }
        if (!options.isGiven(REFERENCE.name())) {
            throw new UsageException("scorer " + scorer.describe() + " learns from the training rows: give them with "
                    + REFERENCE.name() + " DATA (the data the model was trained on)");
        }
        try (LoadedData reference = DataSource.load(options.value(REFERENCE.name()))) {
            Checkpoint.requireMatchingData(model, reference.data(), reference.source());
            try (AnomalyScorer.Fitted fitted = scorer.fit(model, reference.data().features())) {
                return fitted.score(rows.features());
            }
        }
    }

    private static void writeCsv(Path target, double[] scores, Dataset rows) throws java.io.IOException {
        OutputFiles.writeText(target, writer -> {
            writer.write(rows.hasLabels() ? "row,score,label\n" : "row,score\n");
            for (int i = 0; i < scores.length; i++) {
                writer.write(Integer.toString(i));
                writer.write(',');
                writer.write(Double.toString(scores[i]));
                if (rows.hasLabels()) {
                    writer.write(',');
                    writer.write(Integer.toString(rows.label(i)));
                }
                writer.write('\n');
            }
        });
    }

    private static void summarize(PrintStream out, Path target, double[] scores) {
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(scores).average().orElse(Double.NaN);
        out.printf(Locale.ROOT, "wrote %s: %,d scores; mean %.4f, median %.4f, 99th percentile %.4f, max %.4f%n",
                target, scores.length, mean, percentile(sorted, 0.5), percentile(sorted, 0.99), sorted[sorted.length - 1]);
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        StringBuilder top = new StringBuilder("highest: ");
        for (int i = 0; i < Math.min(5, order.length); i++) {
            top.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "row %d (%.4f)", order[i], scores[order[i]]));
        }
        out.println(top);
    }

    private static double percentile(double[] sorted, double fraction) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(fraction * (sorted.length - 1) + 0.5))];
    }
}
