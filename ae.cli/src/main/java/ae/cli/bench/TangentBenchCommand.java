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

/** {@code ae bench tangents}: encoder tangent planes against the true tangent spaces, contractive or not. */
public final class TangentBenchCommand implements Command {
    static final List<String> MANIFOLDS = List.of("circle", "sphere", "swiss-roll", "s-curve", "spiral");
    static final Option DATA = Option.withValue("--data", "NAMES", "circle,sphere,swiss-roll",
            "synthetic manifolds, comma-separated: " + String.join(", ", MANIFOLDS));
    static final Option EMBED = Option.withValue("--embed", "DIMS", "0,10",
            "ambient dimensions, comma-separated; 0 is the manifold's own (2 or 3)");
    static final Option N = Option.withValue("--n", "N", "2000", "training points");
    static final Option TEST = Option.withValue("--test", "N", "300", "held-out points the angles are measured at");
    static final Option EPOCHS = Option.withValue("--epochs", "N", "100", "training epochs of each model");
    static final Option HIDDEN = Option.withValue("--hidden", "H", "32", "sigmoid units of the code");
    static final Option CONTRACTIVE = Option.withValue("--contractive", "W", "3",
            "weight of the contractive penalty of the contractive model");
    static final Option NOISE = Option.withValue("--noise", "X", Double.toString(SyntheticData.DEFAULT_NOISE),
            "standard deviation of the data's noise");
    static final Option SCALE = Option.withValue("--scale", "S", "3",
            "the total standard deviation the data is scaled to (with tied weights it sets how far the sigmoid units"
                    + " are driven: at 1 they stay nearly linear)");
    static final Option SEED = Option.withValue("--seed", "S", "0", "seed of the data and the models");
    static final Option THREADS = Option.withValue("--threads", "T", "1", "compute threads of each model");
    static final Option JSON = Option.flag("--json", "print one JSON object per line: data, dimension, model,"
            + " median_degrees, p90_degrees");

    @Override
    public List<String> path() {
        return List.of("bench", "tangents");
    }

    @Override
    public String summary() {
        return "principal angles between the encoder's top singular directions and the true tangent spaces";
    }

    @Override
    public String description() {
        return """
                For each manifold and ambient dimension, trains a one-layer sigmoid autoencoder (--hidden units, a \
                linear output, squared error; Adam at 3e-3 with cosine annealing, batch 64) with the contractive \
                penalty --contractive and without it, on --n points centred and scaled to a total standard deviation of \
                --scale, and measures at --test held-out \
                points the largest principal angle between the span of the top-k right singular vectors of the \
                encoder's Jacobian J(x) (k the manifold's dimension) and the true tangent space. Prints the median \
                and the 90th percentile in degrees.""";
    }

    @Override
    public List<Option> options() {
        return List.of(DATA, EMBED, N, TEST, EPOCHS, HIDDEN, CONTRACTIVE, NOISE, SCALE, SEED, THREADS, JSON);
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) {
        List<String> data = new ArrayList<>();
        for (String name : options.list(DATA.name())) {
            String key = name.toLowerCase(Locale.ROOT);
            if (!MANIFOLDS.contains(key)) {
                throw new UsageException(DATA.name() + ": '" + name + "' is not a manifold with known tangents ("
                        + String.join(", ", MANIFOLDS) + ")");
            }
            data.add(key);
        }
        List<Integer> embeds = new ArrayList<>();
        for (String e : options.list(EMBED.name())) {
            try {
                embeds.add(Integer.parseInt(e));
            } catch (NumberFormatException ex) {
                throw new UsageException(EMBED.name() + ": '" + e + "' is not a dimension");
            }
        }
        double weight = options.finiteDouble(CONTRACTIVE.name());
        double noise = options.finiteDouble(NOISE.name());
        double scale = options.finiteDouble(SCALE.name());
        if (!(weight > 0) || noise < 0 || !(scale > 0)) {
            throw new UsageException(CONTRACTIVE.name() + " and " + SCALE.name() + " must be > 0 and " + NOISE.name()
                    + " >= 0");
        }
        TangentBench.Settings settings = new TangentBench.Settings(options.positiveInt(N.name()),
                options.positiveInt(TEST.name()), options.positiveInt(EPOCHS.name()),
                options.positiveInt(HIDDEN.name()), weight, noise, scale, options.longValue(SEED.name()),
                options.positiveInt(THREADS.name()));
        boolean json = options.flag(JSON.name());
        if (!json) {
            out.printf(Locale.ROOT, "%-12s %4s %-12s %10s %10s%n", "manifold", "d", "model", "median deg",
                    "p90 deg");
        }
        for (String name : data) {
            for (int embed : embeds) {
                for (boolean contractive : new boolean[] {true, false}) {
                    TangentBench.Row row;
                    try {
                        row = TangentBench.measure(name, embed, contractive, settings);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(name + " in R^" + embed + ": " + e.getMessage());
                    }
                    if (json) {
                        Map<String, Object> line = new LinkedHashMap<>();
                        line.put("data", row.data());
                        line.put("dimension", row.dimension());
                        line.put("model", row.model());
                        line.put("median_degrees", row.medianDegrees());
                        line.put("p90_degrees", row.percentile90Degrees());
                        out.println(Json.write(line));
                    } else {
                        out.printf(Locale.ROOT, "%-12s %4d %-12s %10.1f %10.1f%n", row.data(), row.dimension(),
                                row.model(), row.medianDegrees(), row.percentile90Degrees());
                    }
                    out.flush();
                }
            }
        }
        return 0;
    }
}
