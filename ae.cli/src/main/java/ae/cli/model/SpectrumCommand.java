package ae.cli.model;

import ae.cli.Command;
import ae.cli.CommandFailedException;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.UsageException;
import ae.cli.data.DataSource;
import ae.cli.data.LoadedData;
import ae.cli.output.OutputFiles;
import ae.cli.pictures.LossCurves;
import ae.cli.pictures.TileGrids;
import ae.cli.pictures.TileShape;
import ae.models.FittedAutoencoder;
import ae.tensor.Tensor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ae spectrum}: the singular values of the encoder's Jacobian of several models on the same data, as one
 * picture, and the leading tangent directions of a few rows drawn as images (seed 14.7, figure of the CAE's spectrum
 * and tangent vectors).
 */
public final class SpectrumCommand implements Command {
    static final Option CHECKPOINTS = Option.withValue("--checkpoint", "FILES", "ae-out/model.ckpt",
            "the models, comma-separated checkpoints of models of the same data");
    static final Option DATA = Option.withValue("--data", "DATA", "fashion-mnist-sample", "the data: " + DataSource.HELP);
    static final Option ROWS = Option.withValue("--rows", "N", "20", "rows of the data the spectra are averaged over");
    static final Option OUT = Option.withValue("--out", "FILE", "spectrum.png",
            "where to draw the mean singular values, largest first, of each model (log scale)");
    static final Option TANGENTS = Option.withValue("--tangents", "FILE", "none",
            "also draw, for the first model, a few rows beside their top --k tangent directions (image data)");
    static final Option IMAGES = Option.withValue("--images", "N", "4", "rows drawn with their tangent directions");
    static final Option K = Option.withValue("--k", "K", "6", "tangent directions drawn per row");
    static final Option SEED = Option.withValue("--seed", "S", "0", "seed of a synthetic --data set");

    @Override
    public List<String> path() {
        return List.of("spectrum");
    }

    @Override
    public String summary() {
        return "singular values of the encoder Jacobian of several models as one picture; tangents as images";
    }

    @Override
    public String description() {
        return """
                Loads every checkpoint of --checkpoint and, on the first --rows rows of --data, computes the \
                singular values of the encoder's Jacobian J(x) = dh/dx exactly (as ae tangents does), averages them \
                per rank over the rows and draws log10 of each model's mean spectrum, largest first: the seed's claim \
                is that a contractive model's spectrum falls off fast, few directions of sensitivity, the tangent \
                plane. With --tangents, draws --images rows of the first model, each beside its top --k right \
                singular vectors (tangent directions), as image tiles.""";
    }

    @Override
    public List<Option> options() {
        return Checkpoint.withSyntheticDataAndThreads(CHECKPOINTS, DATA, ROWS, OUT, TANGENTS, IMAGES, K, SEED);
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) throws Exception {
        List<String> files = options.list(CHECKPOINTS.name());
        if (files.isEmpty()) {
            throw new UsageException(CHECKPOINTS.name() + " names no checkpoint");
        }
        int rows = options.positiveInt(ROWS.name());
        int threads = options.positiveInt(Checkpoint.THREADS.name());
        List<LossCurves.Series> spectra = new ArrayList<>();
        try (LoadedData data = DataSource.load(options.value(DATA.name()), options)) {
            int n = Math.min(rows, data.data().size());
            Tensor x = data.data().features().rows(0, n);
            for (int m = 0; m < files.size(); m++) {
                Path file = Path.of(files.get(m));
                try (FittedAutoencoder model = Checkpoint.load(file, threads)) {
                    Checkpoint.requireMatchingData(model, data.data(), data.source());
                    FittedAutoencoder.Tangents tangents;
                    int k = Math.min(options.positiveInt(K.name()), Math.min(model.config().codeSize(),
                            model.config().inputDimension()));
                    try {
                        tangents = model.tangents(x, k);
                    } catch (UnsupportedOperationException e) {
                        throw new CommandFailedException(file + ": " + e.getMessage());
                    }
                    double[] mean = new double[tangents.singularValues()[0].length];
                    for (double[] values : tangents.singularValues()) {
                        for (int r = 0; r < mean.length; r++) {
                            mean[r] += values[r] / n;
                        }
                    }
                    double[] logs = new double[mean.length];
                    for (int r = 0; r < mean.length; r++) {
                        logs[r] = mean[r] > 0 ? Math.log10(mean[r]) : Double.NaN;
                    }
                    spectra.add(new LossCurves.Series(model.config().name() + " (" + file.getFileName() + ")", logs));
                    out.printf("%s: %s, largest singular value %.4g, 10th %.4g%n", file, model.config().name(),
                            mean[0], mean[Math.min(9, mean.length - 1)]);
                    if (m == 0 && options.isGiven(TANGENTS.name())) {
                        drawTangents(Path.of(options.value(TANGENTS.name())), x, tangents,
                                Math.min(options.positiveInt(IMAGES.name()), n), k, out);
                    }
                }
            }
            Path target = Path.of(options.value(OUT.name()));
            EncodeCommand.createParent(target);
            OutputFiles.writePng(target, LossCurves.draw("singular values of dh/dx, mean over " + n + " rows of "
                    + data.source(), "rank", "log10 singular value", spectra));
            out.printf("wrote %s: the spectra of %d models%n", target, spectra.size());
            return 0;
        }
    }

    private static void drawTangents(Path target, Tensor x, FittedAutoencoder.Tangents tangents, int images, int k,
                                     PrintStream out) throws java.io.IOException {
        int d = x.cols();
        List<float[]> tiles = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            float[] image = new float[d];
            for (int p = 0; p < d; p++) {
                image[p] = (float) (x.get(i, p) - 0.5);
            }
            tiles.add(image);
            for (int t = 0; t < k; t++) {
                float[] direction = new float[d];
                for (int p = 0; p < d; p++) {
                    direction[p] = (float) tangents.directions()[i][t][p];
                }
                tiles.add(direction);
            }
        }
        EncodeCommand.createParent(target);
        OutputFiles.writePng(target, TileGrids.filters("rows (first column) and their top " + k
                + " tangent directions", tiles, TileShape.of(d), k + 1));
        out.printf("wrote %s: %d rows and %d tangent directions each%n", target, images, k);
    }
}
