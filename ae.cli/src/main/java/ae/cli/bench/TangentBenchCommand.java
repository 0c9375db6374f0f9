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
    static final Option EPOCHS = Option.withValue("--epochs", "N", "200", "training epochs of each model");
    static final Option HIDDEN = Option.withValue("--hidden", "H", "32", "sigmoid units of the code");
    static final Option CONTRACTIVE = Option.withValue("--contractive", "W", "1",
            "weight of the contractive penalty of the contractive model");
    static final Option SITE = Option.withValue("--site", "SITE", "encoder",
            "where the contractive penalty sits: encoder (||dh/dx||^2) or reconstruction (||dr/dx||^2)");
    static final Option HESSIAN = Option.withValue("--hessian", "W", "10",
            "weight of the higher-order term E||J(x) - J(x + eps)||^2 added to the contractive model (CAE+H); 0: none");
    static final Option HESSIAN_SIGMA = Option.withValue("--hessian-sigma", "S", "1",
            "standard deviation of eps in the higher-order term, in the scaled data's units");
    static final Option MODELS = Option.withValue("--models", "NAMES", "contractive,plain",
            "which models to train, comma-separated: contractive, plain");
    static final Option NOISE = Option.withValue("--noise", "X", Double.toString(SyntheticData.DEFAULT_NOISE),
            "standard deviation of the data's noise");
    static final Option SCALE = Option.withValue("--scale", "S", "3",
            "the total standard deviation the data is scaled to (with tied weights it sets how far the sigmoid units"
                    + " are driven: at 1 they stay nearly linear)");
    static final Option AT = Option.withValue("--at", "POINTS", "noisy",
            "where the angles are measured: noisy (the held-out points as drawn; the true tangent is the one at the"
                    + " clean point each was drawn from) or clean (those clean points themselves)");
    static final Option SEED = Option.withValue("--seed", "S", "0", "seed of the data and the models");
    static final Option SEEDS = Option.withValue("--seeds", "N", "1",
            "repeat every measurement with N consecutive seeds from --seed and print the medians over seeds");
    static final Option THREADS = Option.withValue("--threads", "T", "1", "compute threads of each model");
    static final Option JSON = Option.flag("--json", "print one JSON object per line: data, dimension, model,"
            + " median_degrees, p90_degrees, seeds, lowest_median_degrees, highest_median_degrees");

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
                linear output, tied weights, squared error; Adam at 3e-3 with cosine annealing, batch 64) with the \
                contractive penalty --contractive and the higher-order term --hessian (CAE+H) and without either, on \
                --n points centred and scaled to a total standard deviation of \
                --scale, and measures at --test held-out \
                points the largest principal angle between the span of the top-k right singular vectors of the \
                encoder's Jacobian J(x) (k the manifold's dimension) and the true tangent space. Prints the median \
                and the 90th percentile in degrees; with --seeds N, their medians over N seeds and the lowest and \
                highest of the N medians.""";
    }

    @Override
    public List<Option> options() {
        return List.of(DATA, EMBED, N, TEST, EPOCHS, HIDDEN, CONTRACTIVE, SITE, HESSIAN, HESSIAN_SIGMA, MODELS, NOISE, SCALE, AT, SEED, SEEDS, THREADS, JSON);
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
        double hessian = options.finiteDouble(HESSIAN.name());
        double hessianSigma = options.finiteDouble(HESSIAN_SIGMA.name());
        if (!(weight > 0) || noise < 0 || !(scale > 0) || hessian < 0 || !(hessianSigma > 0)) {
            throw new UsageException(CONTRACTIVE.name() + ", " + SCALE.name() + " and " + HESSIAN_SIGMA.name()
                    + " must be > 0, " + NOISE.name() + " and " + HESSIAN.name() + " >= 0");
        }
        String site = options.value(SITE.name());
        if (!site.equals("encoder") && !site.equals("reconstruction")) {
            throw new UsageException(SITE.name() + ": '" + site + "' is neither encoder nor reconstruction");
        }
        String at = options.value(AT.name());
        if (!at.equals("noisy") && !at.equals("clean")) {
            throw new UsageException(AT.name() + ": '" + at + "' is neither noisy nor clean");
        }
        TangentBench.Settings settings = new TangentBench.Settings(options.positiveInt(N.name()),
                options.positiveInt(TEST.name()), options.positiveInt(EPOCHS.name()),
                options.positiveInt(HIDDEN.name()), weight, site.equals("reconstruction"), hessian, hessianSigma,
                noise, scale, at.equals("clean"), options.longValue(SEED.name()),
                options.positiveInt(THREADS.name()));
        int seeds = options.positiveInt(SEEDS.name());
        List<Boolean> models = new ArrayList<>();
        for (String model : options.list(MODELS.name())) {
            switch (model) {
                case "contractive" -> models.add(true);
                case "plain" -> models.add(false);
                default -> throw new UsageException(MODELS.name() + ": '" + model + "' is neither contractive nor"
                        + " plain");
            }
        }
        boolean json = options.flag(JSON.name());
        if (!json) {
            out.printf(Locale.ROOT, "%-12s %4s %-12s %10s %10s %17s%n", "manifold", "d", "model", "median deg",
                    "p90 deg", "seeds' medians");
        }
        for (String name : data) {
            for (int embed : embeds) {
                for (boolean contractive : models) {
                    TangentBench.SeedSummary summary;
                    try {
                        summary = TangentBench.measureOverSeeds(name, embed, contractive, settings, seeds);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(name + " in R^" + embed + ": " + e.getMessage());
                    }
                    TangentBench.Row row = summary.median();
                    if (json) {
                        Map<String, Object> line = new LinkedHashMap<>();
                        line.put("data", row.data());
                        line.put("dimension", row.dimension());
                        line.put("model", row.model());
                        line.put("median_degrees", row.medianDegrees());
                        line.put("p90_degrees", row.percentile90Degrees());
                        line.put("seeds", summary.seeds());
                        line.put("lowest_median_degrees", summary.lowestMedianDegrees());
                        line.put("highest_median_degrees", summary.highestMedianDegrees());
                        out.println(Json.write(line));
                    } else {
                        out.printf(Locale.ROOT, "%-12s %4d %-12s %10.1f %10.1f %8.1f - %6.1f%n", row.data(),
                                row.dimension(), row.model(), row.medianDegrees(), row.percentile90Degrees(),
                                summary.lowestMedianDegrees(), summary.highestMedianDegrees());
                    }
                    out.flush();
                }
            }
        }
        return 0;
    }
}
