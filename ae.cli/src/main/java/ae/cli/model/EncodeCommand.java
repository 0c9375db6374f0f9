package ae.cli.model;

import ae.cli.Command;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.data.DataSource;
import ae.cli.data.LoadedData;
import ae.data.NpyFiles;
import ae.cli.UsageException;
import ae.models.FittedAutoencoder;
import ae.models.PredictiveSparseDecomposition;
import ae.models.SparseCodeSolver;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code ae encode}: the codes of data under a trained model, as an NPY file. */
public final class EncodeCommand implements Command {
    static final Option DATA = Option.withValue("--data", "DATA", "fashion-mnist-sample", "the data: " + DataSource.HELP);
    static final Option OUT = Option.withValue("--out", "FILE", "codes.npy",
            "where to write the codes: an n x code-size float32 NPY file");
    static final Option LABELS = Option.withValue("--labels", "FILE", "none",
            "also write the data's labels here, as an int32 NPY file (the data must have labels)");

    static final Option INFERENCE = Option.withValue("--inference", "METHOD", "none",
            "none: the encoder's f(x); fista or ista: codes optimized from f(x) (a model trained by predictive sparse"
                    + " decomposition)");
    static final Option ITERATIONS = Option.withValue("--iterations", "N", "100",
            "iterations of --inference's optimization");

    @Override
    public List<String> path() {
        return List.of("encode");
    }

    @Override
    public String summary() {
        return "the codes of data under a trained model, to an NPY file";
    }

    @Override
    public String description() {
        return """
                Loads --checkpoint, encodes every row of --data (clean, without corruption) and writes the codes as \
                a float32 NPY array of shape (rows, code size), row i the code of data row i; numpy.load reads it. \
                The file appears complete or not at all. For a model trained by predictive sparse decomposition, \
                --inference fista (or ista) writes the codes that minimize its loss instead, found by --iterations \
                iterations from f(x), and reports the fraction of code values below 1e-3 in magnitude.""";
    }

    @Override
    public List<Option> options() {
        return List.of(Checkpoint.CHECKPOINT, DATA, OUT, LABELS, INFERENCE, ITERATIONS, Checkpoint.THREADS);
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) throws Exception {
        Path codesFile = Path.of(options.value(OUT.name()));
        Path labelsFile = options.isGiven(LABELS.name()) ? Path.of(options.value(LABELS.name())) : null;
        SparseCodeSolver.Method inference = inference(options.value(INFERENCE.name()));
        int iterations = options.nonNegativeInt(ITERATIONS.name());
        try (FittedAutoencoder model = Checkpoint.load(options);
             LoadedData data = DataSource.load(options.value(DATA.name()));
             TensorScope scope = TensorScope.open("codes")) {
            Checkpoint.requireMatchingData(model, data.data(), data.source());
            if (labelsFile != null && !data.data().hasLabels()) {
                throw new ae.cli.CommandFailedException(data.source() + " has no labels to write to " + labelsFile);
            }
            Tensor codes;
            if (inference == null) {
                codes = model.encode(data.data().features(), scope);
            } else {
                PredictiveSparseDecomposition psd;
                try {
                    psd = PredictiveSparseDecomposition.of(model);
                } catch (IllegalArgumentException e) {
                    throw new ae.cli.CommandFailedException("--inference " + options.value(INFERENCE.name()) + ": "
                            + e.getMessage());
                }
                codes = psd.inferCodes(model, data.data().features(), inference, iterations, scope);
                out.printf("%s, %d iterations from f(x): %.1f%% of the code values are below %s in magnitude%n",
                        options.value(INFERENCE.name()), iterations,
                        100 * PredictiveSparseDecomposition.fractionNearZero(codes),
                        PredictiveSparseDecomposition.ZERO);
            }
            createParent(codesFile);
            NpyFiles.write(codesFile, codes);
            out.printf("wrote %s: codes of %,d rows, %d values each (float32)%n", codesFile, codes.rows(), codes.cols());
            if (labelsFile != null) {
                createParent(labelsFile);
                NpyFiles.write(labelsFile, data.data().labels());
                out.printf("wrote %s: the %,d labels (int32)%n", labelsFile, codes.rows());
            }
            return 0;
        }
    }

    /** The method --inference names, or null for none. */
    private static SparseCodeSolver.Method inference(String text) {
        return switch (text) {
            case "none" -> null;
            case "fista" -> SparseCodeSolver.Method.FISTA;
            case "ista" -> SparseCodeSolver.Method.ISTA;
            default -> throw new UsageException("--inference takes none, fista or ista, not '" + text + "'");
        };
    }

    static void createParent(Path file) throws java.io.IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }
}
