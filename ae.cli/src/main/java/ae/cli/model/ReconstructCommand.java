package ae.cli.model;

import ae.cli.Command;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.data.DataSource;
import ae.cli.data.LoadedData;
import ae.data.NpyFiles;
import ae.models.FittedAutoencoder;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** {@code ae reconstruct}: every row of data through the model, as an NPY file. */
public final class ReconstructCommand implements Command {
    static final Option DATA = Option.withValue("--data", "DATA", "fashion-mnist-sample", "the data: " + DataSource.HELP);
    static final Option OUT = Option.withValue("--out", "FILE", "reconstructions.npy",
            "where to write the reconstructions: an n x d float32 NPY file");

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
                appears complete or not at all.""";
    }

    @Override
    public List<Option> options() {
        return List.of(Checkpoint.CHECKPOINT, DATA, OUT, Checkpoint.THREADS);
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
            return 0;
        }
    }
}
