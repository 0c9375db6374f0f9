package ae.cli.bench;

import ae.cli.Command;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.UsageException;
import ae.cli.json.Json;
import ae.data.SyntheticData;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code ae bench score}: the denoising score estimate against the true score, per data set and sigma. */
public final class ScoreBenchCommand implements Command {
    static final Option DATA = Option.withValue("--data", "NAMES", "gaussian-mixture,circle",
            "2-D synthetic sets, comma-separated: gaussian-mixture, circle or spiral");
    static final Option SIGMAS = Option.withValue("--sigmas", "S", "0.05,0.1,0.2",
            "corruption standard deviations, comma-separated");
    static final Option N = Option.withValue("--n", "N", "6000", "training points");
    static final Option TEST = Option.withValue("--test", "N", "1000", "held-out points the scores are compared at");
    static final Option EPOCHS = Option.withValue("--epochs", "N", "100", "training epochs of each model");
    static final Option NOISE = Option.withValue("--noise", "X", Double.toString(SyntheticData.DEFAULT_NOISE),
            "standard deviation of the data's own noise");
    static final Option SEED = Option.withValue("--seed", "S", "0", "seed of the data, the models and the noise");
    static final Option THREADS = Option.withValue("--threads", "T", "1", "compute threads of each model");
    static final Option JSON = Option.flag("--json",
            "print one JSON object per line: data, sigma, mean_cosine, relative_error, points");

    @Override
    public List<String> path() {
        return List.of("bench", "score");
    }

    @Override
    public String summary() {
        return "denoising score estimation: (r(x) - x) / sigma^2 against the true score of the smoothed density";
    }

    @Override
    public String description() {
        return """
                For each data set and sigma, trains the denoising-score preset (Gaussian corruption sigma, squared \
                error; Adam at 3e-3 with cosine annealing, batch 64) on --n points and compares its score \
                estimate (r(x) - x) / sigma^2 with the exact score of \
                the data's density smoothed by N(0, sigma^2 I), at --test held-out points drawn from that smoothed \
                density: the mixture's in closed form, the curves' by numerical integration over the curve. Prints \
                the mean cosine between estimate and truth and the relative error sqrt(sum |e - t|^2 / sum |t|^2).""";
    }

    @Override
    public List<Option> options() {
        return List.of(DATA, SIGMAS, N, TEST, EPOCHS, NOISE, SEED, THREADS, JSON);
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) {
        List<String> data = new ArrayList<>();
        for (String name : options.value(DATA.name()).split(",")) {
            String key = name.trim().toLowerCase(Locale.ROOT);
            if (!List.of("gaussian-mixture", "circle", "spiral").contains(key)) {
                throw new UsageException(DATA.name() + ": '" + name + "' is not a 2-D set with a known score"
                        + " (gaussian-mixture, circle, spiral)");
            }
            data.add(key);
        }
        List<Double> sigmas = new ArrayList<>();
        for (String s : options.value(SIGMAS.name()).split(",")) {
            double sigma;
            try {
                sigma = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new UsageException(SIGMAS.name() + ": '" + s + "' is not a number");
            }
            if (!(sigma > 0) || !Double.isFinite(sigma)) {
                throw new UsageException(SIGMAS.name() + ": sigma must be finite and > 0, got " + s);
            }
            sigmas.add(sigma);
        }
        double noise = options.finiteDouble(NOISE.name());
        if (noise < 0) {
            throw new UsageException(NOISE.name() + " must be >= 0, got " + noise);
        }
        ScoreBench.Settings settings = new ScoreBench.Settings(options.positiveInt(N.name()),
                options.positiveInt(TEST.name()), options.positiveInt(EPOCHS.name()), noise,
                options.longValue(SEED.name()), options.positiveInt(THREADS.name()));
        boolean json = options.flag(JSON.name());
        if (!json) {
            out.printf(Locale.ROOT, "%-18s %6s %12s %15s%n", "data", "sigma", "mean cosine", "relative error");
        }
        for (String name : data) {
            for (double sigma : sigmas) {
                ScoreBench.Row row = ScoreBench.measure(name, sigma, settings);
                if (json) {
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("data", row.data());
                    line.put("sigma", row.sigma());
                    line.put("mean_cosine", row.meanCosine());
                    line.put("relative_error", row.relativeError());
                    line.put("points", row.points());
                    out.println(Json.write(line));
                } else {
                    out.printf(Locale.ROOT, "%-18s %6.3f %12.3f %15.3f%n", row.data(), row.sigma(), row.meanCosine(),
                            row.relativeError());
                }
                out.flush();
            }
        }
        return 0;
    }
}
