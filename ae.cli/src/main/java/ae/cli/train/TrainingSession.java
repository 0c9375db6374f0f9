package ae.cli.train;

import ae.cli.CommandFailedException;
import ae.cli.data.LoadedData;
import ae.cli.pictures.ModelPictures;
import ae.data.Dataset;
import ae.data.TrainValidationSplit;
import ae.models.Autoencoder;
import ae.models.FittedAutoencoder;
import ae.models.ModelConfig;
import ae.models.TrainingConfig;
import ae.models.TrainingHistory;
import ae.models.TrainingProcedure;
import ae.tensor.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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

    private TrainingSession() {
    }

    static Result run(ModelConfig config, TrainingConfig training, LoadedData data, Path outFolder,
                      EpochOutput.Mode mode, boolean bar, PrintStream out, PrintStream err) throws IOException {
        requireUnitInterval(data.data(), config);
        if (data.hasTest()) {
            requireUnitInterval(data.test(), config);
        }
        Files.createDirectories(outFolder);
        Thread cleanup = new Thread(() -> deleteTemporaryFiles(outFolder), "ae: temporary files of " + outFolder);
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            return train(config, training, data, outFolder, mode, bar, out, err);
        } finally {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    /**
     * An interrupted run (Ctrl-C) ends without the finally blocks that remove a half-written temporary file, so the
     * shutdown hook removes them: every writer here names them {@code .<target>.<random>.tmp} beside the target.
     */
    private static void deleteTemporaryFiles(Path folder) {
        try (var files = Files.newDirectoryStream(folder, ".*.tmp")) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        } catch (IOException | RuntimeException e) {
            // The process is ending; there is no one left to tell.
        }
    }

    private static Result train(ModelConfig config, TrainingConfig training, LoadedData data, Path outFolder,
                                EpochOutput.Mode mode, boolean bar, PrintStream out, PrintStream err)
            throws IOException {
        Path checkpoint = outFolder.resolve(CHECKPOINT);
        TrainingConfig withCheckpoint = training.withCheckpoint(checkpoint);
        long started = System.nanoTime();
        TrainValidationSplit split = training.validationFraction() > 0
                ? data.data().split(training.validationFraction(), training.seed()) : null;
        try {
            Dataset train = split == null ? data.data() : split.train();
            Dataset validation = split == null ? null : split.validation();
            boolean greedy = config.procedure() instanceof TrainingProcedure.GreedyLayerWise;
            EpochOutput output = new EpochOutput(data.test(), mode, bar, out, err, training.batchSize(),
                    training.epochs(), greedy ? config.architecture().encoder().size() : 0,
                    greedy ? ((TrainingProcedure.GreedyLayerWise) config.procedure()).pretrainEpochs() : 0);
            FittedAutoencoder model;
            try {
                model = Autoencoder.of(config).fit(train, validation, withCheckpoint, output);
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

    /**
     * Binary cross-entropy compares reconstructions with targets in [0, 1]; other data would train to nonsense
     * without an error, so it is refused up front.
     */
    private static void requireUnitInterval(Dataset data, ModelConfig config) {
        if (config.loss() != ae.models.ReconstructionLoss.BINARY_CROSS_ENTROPY) {
            return;
        }
        Tensor x = data.features();
        MemorySegment values = x.segment();
        long base = x.offset() * Float.BYTES;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (long i = 0; i < x.size(); i++) {
            float v = values.get(ValueLayout.JAVA_FLOAT_UNALIGNED, base + i * Float.BYTES);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (min < 0 || max > 1) {
            throw new CommandFailedException("model '" + config.name() + "' reconstructs with binary cross-entropy,"
                    + " which needs features in [0, 1]; " + data.name() + " has values from " + min + " to " + max
                    + " (scale them to [0, 1] first)");
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
                default -> "";
            };
            lines.add(picture + "   " + what);
        }
        return lines;
    }
}
