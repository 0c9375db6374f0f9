package ae.cli.model;

import ae.cli.Command;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.UsageException;
import ae.cli.data.DataSource;
import ae.cli.data.LoadedData;
import ae.cli.output.OutputFiles;
import ae.cli.pictures.VectorFieldPicture;
import ae.data.Dataset;
import ae.models.FittedAutoencoder;
import ae.models.GaussianNoise;
import ae.tensor.Rng;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** {@code ae field}: the picture of a 2-D model's vector field r(x) - x and of the chain it defines. */
public final class FieldCommand implements Command {
    static final Option DATA = Option.withValue("--data", "DATA", "circle", "the 2-D data drawn under the field: "
            + DataSource.HELP);
    static final Option OUT = Option.withValue("--out", "FILE", "field.png", "where to write the picture (PNG)");
    static final Option GRID = Option.withValue("--grid", "G", "21", "arrows per side of the grid");
    static final Option CHAINS = Option.withValue("--chains", "C", "6", "chains drawn, from random grid points");
    static final Option STEPS = Option.withValue("--steps", "S", "40", "steps of each chain");
    static final Option SEED = Option.withValue("--seed", "S", "0",
            "seed of the chains' starting points and noise, and of a synthetic --data set");

    @Override
    public List<String> path() {
        return List.of("field");
    }

    @Override
    public String summary() {
        return "picture of a 2-D model's vector field r(x) - x over its data, and of the chain it defines";
    }

    @Override
    public String description() {
        return """
                Loads --checkpoint (a model of 2-D data, such as denoising-score trained on a synthetic set) and \
                draws --data as grey points, r(x) - x as arrows on a --grid x --grid grid over them (to scale: each \
                arrow ends at r(x); for a denoising autoencoder with Gaussian corruption sigma, sigma^2 times the \
                estimated score), and --chains paths of the chain the model defines, x <- r(x + noise) with the \
                model's own Gaussian corruption (none for other models), for --steps steps: the seed's figure of \
                14.5.1, the field pulling points onto the data.""";
    }

    @Override
    public List<Option> options() {
        return Checkpoint.withSyntheticDataAndThreads(Checkpoint.CHECKPOINT, DATA, OUT, GRID, CHAINS, STEPS, SEED);
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) throws Exception {
        Path target = Path.of(options.value(OUT.name()));
        int grid = options.positiveInt(GRID.name());
        int chains = options.nonNegativeInt(CHAINS.name());
        int steps = options.positiveInt(STEPS.name());
        long seed = options.longValue(SEED.name());
        try (FittedAutoencoder model = Checkpoint.load(options);
             LoadedData data = DataSource.load(options.value(DATA.name()), options);
             TensorScope scope = TensorScope.open("field")) {
            if (model.config().inputDimension() != 2) {
                throw new UsageException("ae field draws models of 2-D data; model '" + model.config().name()
                        + "' reads " + model.config().inputDimension() + " features");
            }
            Checkpoint.requireMatchingData(model, data.data(), data.source());
            Dataset points = data.data();
            double[][] xy = new double[points.size()][];
            double[] low = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
            double[] high = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
            for (int i = 0; i < xy.length; i++) {
                xy[i] = new double[] {points.get(i, 0), points.get(i, 1)};
                for (int j = 0; j < 2; j++) {
                    low[j] = Math.min(low[j], xy[i][j]);
                    high[j] = Math.max(high[j], xy[i][j]);
                }
            }
            Tensor at = scope.allocateFloat(grid * grid, 2);
            for (int a = 0; a < grid; a++) {
                for (int b = 0; b < grid; b++) {
                    double u = grid == 1 ? 0.5 : (double) a / (grid - 1);
                    double v = grid == 1 ? 0.5 : (double) b / (grid - 1);
                    double padX = 0.15 * (high[0] - low[0]);
                    double padY = 0.15 * (high[1] - low[1]);
                    at.set(a * grid + b, 0, low[0] - padX + u * (high[0] - low[0] + 2 * padX));
                    at.set(a * grid + b, 1, low[1] - padY + v * (high[1] - low[1] + 2 * padY));
                }
            }
            Tensor field = model.vectorField(at, scope);
            double sigma = model.config().corruption() instanceof GaussianNoise noise ? noise.stddev() : 0;
            double[][][] paths = chains(model, at, chains, steps, sigma, seed, scope);
            BufferedImage picture = VectorFieldPicture.draw(model.config().name() + ": r(x) - x on " + data.source(),
                    xy, rows(at), rows(field), paths);
            EncodeCommand.createParent(target);
            OutputFiles.writePng(target, picture);
            out.printf("wrote %s: %d arrows over %,d points, %d chains of %d steps (corruption sigma %s)%n", target,
                    grid * grid, xy.length, chains, steps, sigma);
            return 0;
        }
    }

    private static double[][][] chains(FittedAutoencoder model, Tensor grid, int count, int steps, double sigma,
                                       long seed, TensorScope scope) {
        double[][][] paths = new double[count][steps + 1][];
        if (count == 0) {
            return paths;
        }
        Rng rng = Rng.seeded(seed);
        Tensor state = scope.allocateFloat(count, 2);
        Tensor noise = scope.allocateFloat(count, 2);
        Tensor pick = scope.allocateFloat(count, 1);
        rng.fillUniform(pick, 0, grid.rows());
        for (int c = 0; c < count; c++) {
            int from = Math.min(grid.rows() - 1, (int) pick.get(c, 0));
            state.set(c, 0, grid.get(from, 0));
            state.set(c, 1, grid.get(from, 1));
            paths[c][0] = new double[] {state.get(c, 0), state.get(c, 1)};
        }
        for (int s = 1; s <= steps; s++) {
            if (sigma > 0) {
                rng.fillNormal(noise, 0, sigma);
            }
            for (int c = 0; c < count; c++) {
                for (int j = 0; j < 2; j++) {
                    state.set(c, j, state.get(c, j) + (sigma > 0 ? noise.get(c, j) : 0));
                }
            }
            try (TensorScope stepScope = TensorScope.open("chain step")) {
                state.copyFrom(model.reconstruct(state, stepScope));
            }
            for (int c = 0; c < count; c++) {
                paths[c][s] = new double[] {state.get(c, 0), state.get(c, 1)};
            }
        }
        return paths;
    }

    private static double[][] rows(Tensor t) {
        double[][] out = new double[t.rows()][];
        for (int i = 0; i < t.rows(); i++) {
            out[i] = new double[] {t.get(i, 0), t.get(i, 1)};
        }
        return out;
    }
}
