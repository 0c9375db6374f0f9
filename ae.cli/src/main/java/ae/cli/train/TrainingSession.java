package ae.cli.train;

import ae.cli.data.LoadedData;
import ae.cli.pictures.ModelPictures;
import ae.data.Dataset;
import ae.data.TrainValidationSplit;
import ae.models.Autoencoder;
import ae.models.FittedAutoencoder;
import ae.models.ModelConfig;
import ae.models.TrainingConfig;
import ae.models.TrainingHistory;
import ae.models.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One training run of {@code ae train} or {@code ae demo}: splits off the validation data, trains with live output,
 * and leaves the checkpoint and the pictures in the output folder. Every file appears complete or not at all (the
 * checkpoint is rewritten atomically after every epoch, pictures are renamed into place).
 */
final class TrainingSession {
    static final String CHECKPOINT = "model.ckpt";

    /** What a run left behind. */
    record Result(FittedAutoencoder model, TrainingHistory history, Path checkpoint, List<Path> pictures,
                  double seconds, int trainingRows) implements AutoCloseable {
        @Override
        public void close() {
            model.close();
        }
    }

    /** How the model is trained: a new fit, or a loaded checkpoint resumed; returns the trained model. */
    @FunctionalInterface
    interface Training {
        FittedAutoencoder train(Dataset train, Dataset validation, TrainingConfig config, TrainingListener listener);
    }

    private TrainingSession() {
    }

    static Result run(ModelConfig config, TrainingConfig training, LoadedData data, Path outFolder,
                      EpochOutput.Mode mode, boolean bar, PrintStream out, PrintStream err) throws IOException {
        return run(config, training, (t, v, c, l) -> Autoencoder.of(config).fit(t, v, c, l), data, outFolder, mode,
                bar, out, err);
    }

    /**
     * Continues {@code model} (loaded from a checkpoint, whose training configuration {@code training} extends) to
     * {@code training.epochs()}; on failure the model is closed.
     */
    static Result resume(FittedAutoencoder model, TrainingConfig training, LoadedData data, Path outFolder,
                         EpochOutput.Mode mode, boolean bar, PrintStream out, PrintStream err) throws IOException {
        try {
            return run(model.config(), training, (t, v, c, l) -> {
                model.resume(t, v, c, l);
                return model;
            }, data, outFolder, mode, bar, out, err);
        } catch (IOException | RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    private static Result run(ModelConfig config, TrainingConfig training, Training how, LoadedData data,
                              Path outFolder, EpochOutput.Mode mode, boolean bar, PrintStream out, PrintStream err)
            throws IOException {
        Files.createDirectories(outFolder);
        // A run killed (SIGKILL, power loss) inside a checkpoint write left its temporary file; the checkpoint itself
        // is the old one or the new one, complete.
        deleteTemporaryFiles(outFolder, "." + CHECKPOINT + ".*.tmp");
        Thread cleanup = new Thread(() -> deleteTemporaryFiles(outFolder, ".*.tmp"),
                "ae: temporary files of " + outFolder);
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            return train(config, training, how, data, outFolder, mode, bar, out, err);
        } finally {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    /**
     * An interrupted run (Ctrl-C) ends without the finally blocks that remove a half-written temporary file, so the
     * shutdown hook removes them, and the next run removes those of a killed one's checkpoint: every writer here
     * names them {@code .<target>.<random>.tmp} beside the target.
     */
    private static void deleteTemporaryFiles(Path folder, String glob) {
        try (var files = Files.newDirectoryStream(folder, glob)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: a file left over is never read back, and at exit there is no one left to tell.
        }
    }

    private static Result train(ModelConfig config, TrainingConfig training, Training how, LoadedData data,
                                Path outFolder, EpochOutput.Mode mode, boolean bar, PrintStream out, PrintStream err)
            throws IOException {
        Path checkpoint = outFolder.resolve(CHECKPOINT);
        TrainingConfig withCheckpoint = training.withCheckpoint(checkpoint);
        long started = System.nanoTime();
        TrainValidationSplit split = training.validationFraction() > 0
                ? data.data().split(training.validationFraction(), training.seed()) : null;
        try {
            Dataset train = split == null ? data.data() : split.train();
            Dataset validation = split == null ? null : split.validation();
            EpochOutput output = new EpochOutput(data.test(), mode, bar, out, err, training.batchSize(),
                    config.procedure().plan(config, training.epochs()));
            FittedAutoencoder model;
            try {
                model = how.train(train, validation, withCheckpoint, output);
            } finally {
                output.clearBar();
            }
            try {
                model.save(checkpoint);
                Dataset shown = data.hasTest() ? data.test() : validation != null ? validation : train;
                List<Path> pictures = ModelPictures.write(outFolder, model, shown, data.classNames(),
                        output.testLosses());
                return new Result(model, model.history(), checkpoint, pictures, (System.nanoTime() - started) / 1e9,
                        train.size());
            } catch (IOException | RuntimeException | Error e) {
                model.close();
                throw e;
            }
        } finally {
            if (split != null) {
                split.close();
            }
        }
    }

    /** The files a run wrote, one per line, for the closing message. */
    static List<String> describeFiles(Result result) {
        List<String> lines = new ArrayList<>();
        lines.add(result.checkpoint() + "   the trained model");
        for (Path picture : result.pictures()) {
            String name = picture.getFileName().toString();
            String what = switch (name) {
                case ModelPictures.RECONSTRUCTIONS -> "inputs beside their reconstructions";
                case ModelPictures.FILTERS -> "the first layer's filters";
                case ModelPictures.LOSS -> "loss per epoch";
                case ModelPictures.CODES -> "the codes in 2-D, coloured by label";
                case ModelPictures.SAMPLES -> "samples from the prior, decoded";
                case ModelPictures.TRAVERSAL -> "the decoder over a grid of 2-D codes";
                case ModelPictures.DICTIONARY -> "the dictionary's atoms";
                default -> "";
            };
            lines.add(picture + "   " + what);
        }
        return lines;
    }
}
