package ae.cli.train;

import ae.cli.Command;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.data.DataSource;
import ae.cli.CommandFailedException;
import ae.cli.data.LoadedData;
import ae.cli.data.UnitInterval;
import ae.data.Dataset;
import ae.models.FittedAutoencoder;
import ae.models.KernelWarmup;
import ae.models.ModelConfig;
import ae.models.Likelihood;
import ae.tensor.Activation;
import ae.models.LearningRateSchedule;
import ae.models.OptimizerConfig;
import ae.models.TrainingConfig;
import ae.models.TrainingHistory;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/** {@code ae train}: trains a preset on data, with live output, and writes the checkpoint and pictures. */
public final class TrainCommand implements Command {
    static final Option DATA = Option.withValue("--data", "DATA", "fashion-mnist-sample", "the training data: "
            + DataSource.HELP);
    static final Option EPOCHS = Option.withValue("--epochs", "N", "10", "end-to-end training epochs (0: after a"
            + " pretraining, none)");
    static final Option BATCH = Option.withValue("--batch", "B", "128", "examples per training step");
    static final Option LR = Option.withValue("--lr", "X", "1e-3", "learning rate of Adam (betas 0.9, 0.999)");
    static final Option SCHEDULE = Option.withValue("--schedule", "NAME", "constant",
            "the learning rate over the end-to-end epochs: constant, or cosine (annealed step by step from --lr to 0"
                    + " over --epochs)");
    static final Option THREADS = Option.withValue("--threads", "T",
            Integer.toString(Runtime.getRuntime().availableProcessors()),
            "compute threads (the default is the number of processors)");
    static final Option SEED = Option.withValue("--seed", "S", "0",
            "seed of the initialization, the shuffling, the noise and the validation split; a seed and a thread"
                    + " count give the same bits every run");
    static final Option OUT = Option.withValue("--out", "DIR", "ae-out",
            "folder for the checkpoint (model.ckpt, rewritten after every epoch) and the pictures");
    static final Option JSON = Option.flag("--json", "print one JSON object per epoch instead of text lines: phase,"
            + " epoch, train_loss, val_loss, test_loss (when the data has a test split), samples_per_s, seconds");
    static final Option VALIDATION = Option.withValue("--validation", "F", "0.1",
            "fraction of the data held out (seeded) for the validation loss; 0 for none");
    static final Option PATIENCE = Option.withValue("--patience", "N", "0",
            "stop after N epochs without a better validation loss, keeping the best epoch's model; 0 never stops");

    static final Option RESUME = Option.withValue("--resume", "CHECKPOINT", "none",
            "continue the training of a checkpoint, bit for bit as if never interrupted, to --epochs (default: the"
                    + " checkpoint's own) on the same --data; writes to --out (default: the checkpoint's folder)");
    /** What a checkpoint fixes: given with --resume they could only break the bit-for-bit promise. */
    private static final List<Option> FIXED_BY_CHECKPOINT = List.of(BATCH, LR, SCHEDULE, SEED, VALIDATION,
            PATIENCE);

    private final boolean terminal;

    /** {@code terminal}: whether the error stream is a terminal, where a live progress bar is drawn. */
    public TrainCommand(boolean terminal) {
        this.terminal = terminal;
    }

    @Override
    public List<String> path() {
        return List.of("train");
    }

    @Override
    public String summary() {
        return "train an autoencoder preset on data; write its checkpoint and pictures";
    }

    @Override
    public String description() {
        return """
                Trains the preset named by --model on --data with Adam, holding out --validation of it for a \
                validation loss after every epoch; when the data has a test split (the full fashion-mnist, or a \
                folder holding t10k files), the test loss is measured after every epoch too. On a terminal a \
                progress bar shows the step, loss, samples/s and the time left; every epoch prints one line, or \
                with --json one JSON object, e.g.
                  {"phase":"train","epoch":1,"train_loss":291.8,"val_loss":268.1,"samples_per_s":8410.2,"seconds":1.2}
                Losses are means per example: train_loss is the objective minimized (the reconstruction loss plus \
                the penalties, on corrupted input for denoising models), val_loss and test_loss the reconstruction \
                loss on clean input. Greedy pretraining epochs of the stacked preset have phase \
                "pretrain-layer-<l>"; RBM pretraining epochs (--pretrain rbm) have phase "rbm-layer-<l>", \
                their train_loss the mean squared reconstruction error per example of CD-1.

                Writes to --out: model.ckpt (the checkpoint, for ae eval, encode, score, export and inspect), \
                reconstructions.png, filters.png, loss.png and codes.png. The variant options change the preset's \
                hyperparameters; a penalty option on a preset without that penalty adds it, e.g.
                  ae train --model denoising-masking --corruption 0.5 --contractive 0.05 --hidden 128""";
    }

    @Override
    public List<Option> options() {
        List<Option> options = new ArrayList<>(List.of(ModelOptions.MODEL, DATA, EPOCHS, BATCH, LR, SCHEDULE,
                THREADS, SEED, OUT,
                JSON, VALIDATION, PATIENCE, RESUME));
        options.addAll(DataSource.SYNTHETIC_OPTIONS);
        options.addAll(ModelOptions.ALL.subList(1, ModelOptions.ALL.size()));
        return options;
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) throws Exception {
        if (options.isGiven(RESUME.name())) {
            return resume(options, out, err);
        }
        TrainingConfig training = training(options);
        boolean json = options.flag(JSON.name());
        // While the data loads, a copy of the model trains on synthetic rows so that the JIT compiles the kernels.
        OptionalInt dimension = DataSource.knownDimension(options.value(DATA.name()));
        KernelWarmup warmup = dimension.isPresent()
                ? KernelWarmup.start(ModelOptions.build(options, dimension.getAsInt()), training)
                : KernelWarmup.none();
        LoadedData loaded;
        try {
            loaded = DataSource.load(options.value(DATA.name()), options);
        } finally {
            warmup.close();
        }
        try (LoadedData data = loaded) {
            PrintStream notes = json ? err : out;
            ModelConfig config = forData(ModelOptions.build(options, data.data().dimension()), data,
                    options.isGiven(ModelOptions.LOSS.name()), notes);
            if (config.procedure().plan(config, training.epochs()).stream().allMatch(p -> p.epochs() == 0)) {
                throw new ae.cli.UsageException(EPOCHS.name() + " 0 trains nothing here: it skips the end-to-end"
                        + " training, which only makes sense after a pretraining (--pretrain rbm or greedy)");
            }
            notes.println("training " + Describe.model(config) + " on " + Describe.data(data, training));
            try (TrainingSession.Result result = TrainingSession.run(config, training, data,
                    Path.of(options.value(OUT.name())), json ? EpochOutput.Mode.JSON : EpochOutput.Mode.PLAIN,
                    terminal && !json, out, err)) {
                return finish(result, notes, err);
            }
        }
    }

    /**
     * {@code --resume}: the model, the training configuration and where training stands come from the checkpoint;
     * only the epoch count, the thread count (which must match the checkpoint's for the same bits), the data, the
     * output folder and the output mode may be given.
     */
    private int resume(ParsedOptions options, PrintStream out, PrintStream err) throws Exception {
        List<String> fixed = new ArrayList<>();
        for (Option o : FIXED_BY_CHECKPOINT) {
            if (options.isGiven(o.name())) {
                fixed.add(o.name());
            }
        }
        for (Option o : ModelOptions.ALL) {
            if (options.isGiven(o.name())) {
                fixed.add(o.name());
            }
        }
        if (!fixed.isEmpty()) {
            throw new ae.cli.UsageException("--resume continues the checkpoint's own model and training; "
                    + String.join(", ", fixed) + " cannot change them");
        }
        Path checkpoint = Path.of(options.value(RESUME.name()));
        Path outFolder = options.isGiven(OUT.name()) ? Path.of(options.value(OUT.name()))
                : checkpoint.toAbsolutePath().getParent();
        boolean json = options.flag(JSON.name());
        PrintStream notes = json ? err : out;
        FittedAutoencoder model = options.isGiven(THREADS.name())
                ? FittedAutoencoder.load(checkpoint, options.positiveInt(THREADS.name()))
                : FittedAutoencoder.load(checkpoint);
        try (LoadedData data = DataSource.load(options.value(DATA.name()))) {
            TrainingConfig before = model.trainingConfig();
            TrainingConfig training = before.withEpochs(options.isGiven(EPOCHS.name())
                    ? options.positiveInt(EPOCHS.name()) : before.epochs());
            ModelConfig config = model.config();
            if (data.data().dimension() != config.inputDimension()) {
                throw new CommandFailedException(checkpoint + " holds a model of " + config.inputDimension()
                        + " inputs but " + data.source() + " has " + data.data().dimension() + " features");
            }
            forData(config, data, true, notes); // refuses data the checkpoint's likelihood cannot read
            notes.println("resuming " + Describe.model(config) + " from " + checkpoint + " (" + model.history()
                    .epochs().size() + " epochs done) to " + training.epochs() + " epochs on "
                    + Describe.data(data, training));
            try (TrainingSession.Result result = TrainingSession.resume(model, training, data, outFolder,
                    json ? EpochOutput.Mode.JSON : EpochOutput.Mode.PLAIN, terminal && !json, out, err)) {
                return finish(result, notes, err);
            }
        } catch (Exception | Error e) {
            model.close();
            throw e;
        }
    }

    /**
     * A Bernoulli likelihood reads features in [0, 1]; other data would train to nonsense. With {@code --loss}
     * given, such data is refused; without, the model trains with a Gaussian decoder (squared error, a linear output)
     * instead, and a note says so.
     */
    static ModelConfig forData(ModelConfig config, LoadedData data, boolean lossGiven, PrintStream notes) {
        if (!config.likelihood().needsUnitInterval()) {
            return config;
        }
        for (Dataset part : data.hasTest() ? List.of(data.data(), data.test()) : List.of(data.data())) {
            UnitInterval range = UnitInterval.of(part);
            if (range.contains()) {
                continue;
            }
            String where = range.describe(part == data.data() ? data.source() : data.source() + "'s test split");
            if (lossGiven) {
                throw new CommandFailedException("model '" + config.name() + "' reconstructs with "
                        + config.likelihood().lossDescription() + ", which needs features in [0, 1]; " + where
                        + "; scale them to [0, 1], or choose --loss squared-error or gaussian");
            }
            notes.println("note: " + where + "; training with squared error and a linear output instead of "
                    + config.likelihood().lossDescription() + " (--loss chooses)");
            return config.withLikelihood(Likelihood.squaredError())
                    .withDecoder(config.decoder().withOutputActivation(Activation.IDENTITY));
        }
        return config;
    }

    static TrainingConfig training(ParsedOptions options) {
        return TrainingConfig.defaults()
                .withEpochs(options.nonNegativeInt(EPOCHS.name()))
                .withBatchSize(options.positiveInt(BATCH.name()))
                .withOptimizer(OptimizerConfig.adam(positive(options, LR)))
                .withSchedule(schedule(options))
                .withThreads(options.positiveInt(THREADS.name()))
                .withSeed(options.longValue(SEED.name()))
                .withValidation(options.doubleIn(VALIDATION.name(), 0, 0.9), options.nonNegativeInt(PATIENCE.name()));
    }

    private static LearningRateSchedule schedule(ParsedOptions options) {
        String name = options.value(SCHEDULE.name());
        return switch (name) {
            case "constant" -> new LearningRateSchedule.Constant();
            case "cosine" -> new LearningRateSchedule.Cosine(options.positiveInt(EPOCHS.name()), 0);
            default -> throw new ae.cli.UsageException(SCHEDULE.name() + " expects constant or cosine, got " + name);
        };
    }

    private static double positive(ParsedOptions options, Option option) {
        double value = options.finiteDouble(option.name());
        if (!(value > 0)) {
            throw new ae.cli.UsageException(option.name() + " expects a number > 0, got " + options.value(option.name()));
        }
        return value;
    }

    /** The closing lines: how training ended and which files hold the results. Exit 1 if training diverged. */
    static int finish(TrainingSession.Result result, PrintStream notes, PrintStream err) {
        TrainingHistory history = result.history();
        boolean diverged = history.outcome() == TrainingHistory.Outcome.DIVERGED;
        (diverged ? err : notes).println((diverged ? "ae: " : "") + history.message() + String.format(
                java.util.Locale.ROOT, " (%.1f s)", result.seconds()));
        notes.println("wrote:");
        for (String line : TrainingSession.describeFiles(result)) {
            notes.println("  " + line);
        }
        return diverged ? 1 : 0;
    }
}
