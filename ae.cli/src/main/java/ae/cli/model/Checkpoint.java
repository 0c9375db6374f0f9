package ae.cli.model;

import ae.cli.CommandFailedException;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.data.DataSource;
import ae.models.FittedAutoencoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code --checkpoint} option that the commands working on a trained model share, and loading it. */
final class Checkpoint {
    static final Option CHECKPOINT = Option.withValue("--checkpoint", "FILE", "ae-out/model.ckpt",
            "the trained model: a checkpoint written by ae train or ae demo");
    static final Option THREADS = Option.withValue("--threads", "T",
            Integer.toString(Runtime.getRuntime().availableProcessors()),
            "compute threads (the default is the number of processors)");

    private Checkpoint() {
    }

    /** A command's own options, then those of a synthetic --data set, then --threads. */
    static List<Option> withSyntheticDataAndThreads(Option... own) {
        List<Option> options = new ArrayList<>(List.of(own));
        options.addAll(DataSource.SYNTHETIC_OPTIONS);
        options.add(THREADS);
        return options;
    }

    static Path path(ParsedOptions options) {
        return Path.of(options.value(CHECKPOINT.name()));
    }

    static FittedAutoencoder load(ParsedOptions options, int threads) throws IOException {
        return FittedAutoencoder.load(existing(options), threads);
    }

    /** The checkpoint of {@code --checkpoint} as it was saved: its training configuration, threads included. */
    static FittedAutoencoder loadAsSaved(ParsedOptions options) throws IOException {
        return FittedAutoencoder.load(existing(options));
    }

    /** The checkpoint at {@code file}, refused in one line when there is none. */
    static FittedAutoencoder load(Path file, int threads) throws IOException {
        return FittedAutoencoder.load(existing(file, ""), threads);
    }

    private static Path existing(ParsedOptions options) {
        return existing(path(options), options.isGiven(CHECKPOINT.name()) ? ""
                : " (train one with 'ae train' or 'ae demo', or name one with --checkpoint)");
    }

    private static Path existing(Path file, String hint) {
        if (!Files.exists(file)) {
            throw new CommandFailedException("no checkpoint at " + file + hint);
        }
        if (!Files.isRegularFile(file)) {
            throw new CommandFailedException(file + " is not a checkpoint file");
        }
        return file;
    }

    static FittedAutoencoder load(ParsedOptions options) throws IOException {
        return load(options, options.positiveInt(THREADS.name()));
    }

    /** Data and model must agree on the number of features; say so in one line if they do not. */
    static void requireMatchingData(FittedAutoencoder model, ae.data.Dataset data, String source) {
        int expected = model.config().inputDimension();
        if (data.dimension() != expected) {
            throw new CommandFailedException(source + " has " + data.dimension() + " features per row, but model '"
                    + model.config().name() + "' takes " + expected);
        }
    }
}
