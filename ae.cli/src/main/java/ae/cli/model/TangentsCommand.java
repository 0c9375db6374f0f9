package ae.cli.model;

import ae.cli.Command;
import ae.cli.CommandFailedException;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.UsageException;
import ae.cli.data.DataSource;
import ae.cli.data.LoadedData;
import ae.data.NpyFiles;
import ae.models.FittedAutoencoder;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** {@code ae tangents}: the encoder's top singular directions (the learned tangent planes) of every row of data. */
public final class TangentsCommand implements Command {
    static final Option DATA = Option.withValue("--data", "DATA", "fashion-mnist-sample", "the data: " + DataSource.HELP);
    static final Option K = Option.withValue("--k", "K", "2", "directions per row: the top-k right singular vectors");
    static final Option OUT = Option.withValue("--out", "FILE", "tangents.npy",
            "where to write the directions: a rows x k x d float32 NPY file");
    static final Option SINGULAR_VALUES = Option.withValue("--singular-values", "FILE", "none",
            "also write the singular values of every row's Jacobian, largest first: rows x min(code, d) float32");
    static final Option SEED = Option.withValue("--seed", "S", "0", "seed of a synthetic --data set");

    @Override
    public List<String> path() {
        return List.of("tangents");
    }

    @Override
    public String summary() {
        return "the encoder Jacobian's top right singular vectors (learned tangent planes) of data, to an NPY file";
    }

    @Override
    public String description() {
        return """
                Loads --checkpoint and, for every row x of --data, computes the encoder's Jacobian J(x) = dh/dx \
                exactly (forward-mode products through the encoder's layers, of the code's mean for a stochastic \
                encoder) and its singular value decomposition in float64. Writes the top --k right singular vectors, \
                the input directions the code is most sensitive to (for a contractive model, the tangent plane of \
                the data manifold; seed 14.6, 14.7), as a float32 NPY array of shape (rows, k, d), unit vectors; with \
                --singular-values, the singular values too. A model whose encoder is not a stack of dense layers has \
                no Jacobian to give and is refused.""";
    }

    @Override
    public List<Option> options() {
        return Checkpoint.withSyntheticDataAndThreads(Checkpoint.CHECKPOINT, DATA, K, OUT, SINGULAR_VALUES, SEED);
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) throws Exception {
        Path target = Path.of(options.value(OUT.name()));
        int k = options.positiveInt(K.name());
        try (FittedAutoencoder model = Checkpoint.load(options);
             LoadedData data = DataSource.load(options.value(DATA.name()), options);
             TensorScope scope = TensorScope.open("tangents")) {
            Checkpoint.requireMatchingData(model, data.data(), data.source());
            int d = model.config().inputDimension();
            int most = Math.min(d, model.config().codeSize());
            if (k > most) {
                throw new UsageException(K.name() + " " + k + ": the Jacobian of a " + model.config().codeSize()
                        + "-unit code over " + d + " features has " + most + " singular directions");
            }
            FittedAutoencoder.Tangents tangents;
            try {
                tangents = model.tangents(data.data().features(), k);
            } catch (UnsupportedOperationException e) {
                throw new CommandFailedException(e.getMessage());
            }
            int n = data.data().size();
            Tensor directions = scope.allocateFloat(n, k, d);
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < k; t++) {
                    for (int p = 0; p < d; p++) {
                        directions.setFlat(((long) i * k + t) * d + p, tangents.directions()[i][t][p]);
                    }
                }
            }
            EncodeCommand.createParent(target);
            NpyFiles.write(target, directions);
            out.printf("wrote %s: %d tangent directions of %,d rows, %d values each (float32)%n", target, k, n, d);
            if (options.isGiven(SINGULAR_VALUES.name())) {
                Path valuesFile = Path.of(options.value(SINGULAR_VALUES.name()));
                Tensor values = scope.allocateFloat(n, most);
                for (int i = 0; i < n; i++) {
                    for (int s = 0; s < most; s++) {
                        values.set(i, s, tangents.singularValues()[i][s]);
                    }
                }
                EncodeCommand.createParent(valuesFile);
                NpyFiles.write(valuesFile, values);
                out.printf("wrote %s: %d singular values of %,d rows (float32)%n", valuesFile, most, n);
            }
            return 0;
        }
    }
}
