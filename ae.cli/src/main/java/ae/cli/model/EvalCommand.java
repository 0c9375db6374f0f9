package ae.cli.model;

import ae.cli.Command;
import ae.cli.CommandFailedException;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.data.DataSource;
import ae.cli.data.LoadedData;
import ae.cli.json.Json;
import ae.models.FittedAutoencoder;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code ae eval}: a trained model's mean reconstruction loss on data, and on its test split if it has one. */
public final class EvalCommand implements Command {
    static final Option DATA = Option.withValue("--data", "DATA", "fashion-mnist-sample", "the data: " + DataSource.HELP);
    static final Option JSON = Option.flag("--json",
            "print one JSON object: checkpoint, model, data, rows, loss (iwae_samples and iwae_loss with --iwae),"
                    + " and test_rows and test_loss (and test_iwae_loss) when the data has a test split");

    static final Option IWAE = Option.withValue("--iwae", "K", "0", "for a model with a prior (a VAE): also estimate"
            + " -log p(x) per example by importance weighting with K draws of q(h|x) (Burda et al.; K = 1 is the"
            + " ELBO, larger K a tighter bound), seed 0; 0 for none");

    @Override
    public List<String> path() {
        return List.of("eval");
    }

    @Override
    public String summary() {
        return "a trained model's mean loss on data (reconstruction loss, or a VAE's negative ELBO)";
    }

    @Override
    public String description() {
        return """
                Loads --checkpoint and measures the mean loss per example on clean --data, without penalties, and on \
                its test split when it has one (the full fashion-mnist, or a folder holding t10k files): the \
                reconstruction loss summed over features (binary cross-entropy, squared error or a Gaussian's \
                negative log-likelihood, as the model's likelihood says), and for a variational autoencoder the \
                negative evidence lower bound (one draw of the code per example, seed 0; the KL included). This is \
                the quality figure of the reference workloads.""";
    }

    @Override
    public List<Option> options() {
        return List.of(Checkpoint.CHECKPOINT, DATA, Checkpoint.THREADS, IWAE, JSON);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) throws Exception {
        try (FittedAutoencoder model = Checkpoint.load(options);
             LoadedData data = DataSource.load(options.value(DATA.name()))) {
            Checkpoint.requireMatchingData(model, data.data(), data.source());
            int iwae = options.nonNegativeInt(IWAE.name());
            if (iwae > 0 && !model.config().encoder().hasPrior()) {
                throw new CommandFailedException(IWAE.name() + " needs a model with a prior p(h) (a variational"
                        + " autoencoder); " + Checkpoint.path(options) + " holds model '" + model.config().name()
                        + "', whose encoder is " + model.config().encoder().kind().name());
            }
            double loss = model.meanLoss(data.data());
            double iwaeLoss = iwae > 0 ? -mean(model.logLikelihood(data.data().features(), iwae, 0)) : Double.NaN;
            double testLoss = Double.NaN;
            double testIwaeLoss = Double.NaN;
            if (data.hasTest()) {
                Checkpoint.requireMatchingData(model, data.test(), data.source() + "'s test split");
                testLoss = model.meanLoss(data.test());
                testIwaeLoss = iwae > 0 ? -mean(model.logLikelihood(data.test().features(), iwae, 0)) : Double.NaN;
            }
            if (options.flag(JSON.name())) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("checkpoint", Checkpoint.path(options).toString());
                line.put("model", model.config().name());
                line.put("data", data.source());
                line.put("rows", data.data().size());
                line.put("loss", loss);
                if (iwae > 0) {
                    line.put("iwae_samples", iwae);
                    line.put("iwae_loss", iwaeLoss);
                }
                if (data.hasTest()) {
                    line.put("test_rows", data.test().size());
                    line.put("test_loss", testLoss);
                    if (iwae > 0) {
                        line.put("test_iwae_loss", testIwaeLoss);
                    }
                }
                out.println(Json.write(line));
            } else {
                String lossName = model.config().lossDescription();
                out.printf(Locale.ROOT, "%s on %s: mean %s per example %.4f over %,d rows%n", model.config().name(),
                        data.source(), lossName, loss, data.data().size());
                if (iwae > 0) {
                    out.printf(Locale.ROOT, "%s on %s: -log p(x) per example, importance-weighted with %d samples,"
                            + " %.4f%n", model.config().name(), data.source(), iwae, iwaeLoss);
                }
                if (data.hasTest()) {
                    out.printf(Locale.ROOT, "%s on the test split: mean %s per example %.4f over %,d rows%n",
                            model.config().name(), lossName, testLoss, data.test().size());
                    if (iwae > 0) {
                        out.printf(Locale.ROOT, "%s on the test split: -log p(x) per example, importance-weighted"
                                + " with %d samples, %.4f%n", model.config().name(), iwae, testIwaeLoss);
                    }
                }
            }
            return 0;
        }
    }
}
