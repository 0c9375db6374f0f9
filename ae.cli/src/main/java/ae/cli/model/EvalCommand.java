package ae.cli.model;

import ae.cli.Command;
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
            "print one JSON object: checkpoint, model, data, rows, loss, and test_rows and test_loss when the data"
                    + " has a test split");

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
        return List.of(Checkpoint.CHECKPOINT, DATA, Checkpoint.THREADS, JSON);
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) throws Exception {
        try (FittedAutoencoder model = Checkpoint.load(options);
             LoadedData data = DataSource.load(options.value(DATA.name()))) {
            Checkpoint.requireMatchingData(model, data.data(), data.source());
            double loss = model.meanLoss(data.data());
            double testLoss = Double.NaN;
            if (data.hasTest()) {
                Checkpoint.requireMatchingData(model, data.test(), data.source() + "'s test split");
                testLoss = model.meanLoss(data.test());
            }
            if (options.flag(JSON.name())) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("checkpoint", Checkpoint.path(options).toString());
                line.put("model", model.config().name());
                line.put("data", data.source());
                line.put("rows", data.data().size());
                line.put("loss", loss);
                if (data.hasTest()) {
                    line.put("test_rows", data.test().size());
                    line.put("test_loss", testLoss);
                }
                out.println(Json.write(line));
            } else {
                String lossName = model.config().lossDescription();
                out.printf(Locale.ROOT, "%s on %s: mean %s per example %.4f over %,d rows%n", model.config().name(),
                        data.source(), lossName, loss, data.data().size());
                if (data.hasTest()) {
                    out.printf(Locale.ROOT, "%s on the test split: mean %s per example %.4f over %,d rows%n",
                            model.config().name(), lossName, testLoss, data.test().size());
                }
            }
            return 0;
        }
    }
}
