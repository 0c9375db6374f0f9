package ae.cli.model;

import ae.cli.Command;
import ae.cli.CommandFailedException;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.data.DataSource;
import ae.cli.data.LoadedData;
import ae.cli.output.OutputFiles;
import ae.cli.pictures.ModelPictures;
import ae.data.Dataset;
import ae.data.NpyFiles;
import ae.models.FittedAutoencoder;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code ae reconstruct}: every row of data through the model, as an NPY file. */
public final class ReconstructCommand implements Command {
    static final Option DATA = Option.withValue("--data", "DATA", "fashion-mnist-sample", "the data: " + DataSource.HELP);
    static final Option OUT = Option.withValue("--out", "FILE", "reconstructions.npy",
            "where to write the reconstructions: an n x d float32 NPY file");

    static final Option PICTURE = Option.withValue("--picture", "FILE", "", "also draw a PNG of some rows (two per"
            + " label) above their reconstructions; empty for none");
    static final Option COMPARE = Option.withValue("--compare", "FILES", "", "more checkpoints, comma-separated, whose"
            + " reconstructions --picture draws too, one row each (a deep model against PCA, say)");

    @Override
    public List<String> path() {
        return List.of("reconstruct");
    }

    @Override
    public String summary() {
        return "the reconstructions r(x) of data under a trained model, to an NPY file";
    }

    @Override
    public String description() {
        return """
                Loads --checkpoint and writes r(x) for every row of --data (clean, without corruption): the mean of \
                p(x|h) at the code's mean (for a stochastic encoder, the mean of p(h|x)), in the data's units. \
                Writes a float32 NPY array of shape (rows, d), row i for data row i; numpy.load reads it. The file \
                appears complete or not at all. With --picture, also draws some rows of the data (of its test split \
                when it has one) above their reconstructions by the model and by each --compare checkpoint, one row \
                of pictures per model.""";
    }

    @Override
    public List<Option> options() {
        return List.of(Checkpoint.CHECKPOINT, DATA, OUT, PICTURE, COMPARE, Checkpoint.THREADS);
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) throws Exception {
        Path target = Path.of(options.value(OUT.name()));
        try (FittedAutoencoder model = Checkpoint.load(options);
             LoadedData data = DataSource.load(options.value(DATA.name()));
             TensorScope scope = TensorScope.open("reconstructions")) {
            Checkpoint.requireMatchingData(model, data.data(), data.source());
            Tensor reconstructions = model.reconstruct(data.data().features(), scope);
            EncodeCommand.createParent(target);
            NpyFiles.write(target, reconstructions);
            out.printf("wrote %s: reconstructions of %,d rows, %d values each (float32)%n", target,
                    reconstructions.rows(), reconstructions.cols());
            if (!options.value(PICTURE.name()).isEmpty()) {
                Path picture = Path.of(options.value(PICTURE.name()));
                drawComparison(options, model, data, picture);
                out.printf("wrote %s: inputs above their reconstructions%n", picture);
            }
            return 0;
        }
    }

    private static void drawComparison(ParsedOptions options, FittedAutoencoder model, LoadedData data, Path picture)
            throws IOException {
        List<FittedAutoencoder> models = new ArrayList<>();
        List<String> names = new ArrayList<>();
        models.add(model);
        names.add(model.config().name());
        try {
            for (String file : options.value(COMPARE.name()).split(",")) {
                if (file.isBlank()) {
                    continue;
                }
                Path path = Path.of(file.strip());
                if (!Files.isRegularFile(path)) {
                    throw new CommandFailedException(COMPARE.name() + ": no checkpoint at " + path);
                }
                FittedAutoencoder other = FittedAutoencoder.load(path, options.positiveInt(Checkpoint.THREADS.name()));
                models.add(other);
                names.add(other.config().name());
                Checkpoint.requireMatchingData(other, data.data(), data.source());
            }
            Dataset shown = data.hasTest() ? data.test() : data.data();
            EncodeCommand.createParent(picture);
            OutputFiles.writePng(picture, ModelPictures.compareReconstructions(models, names, shown,
                    data.classNames()));
        } finally {
            for (int i = 1; i < models.size(); i++) {
                models.get(i).close();
            }
        }
    }
}
