package ae.cli.train;

import ae.cli.Command;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.data.DataSource;
import ae.cli.data.LoadedData;
import ae.models.ModelConfig;
import ae.models.OptimizerConfig;
import ae.models.Presets;
import ae.models.TrainingConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ae demo}: the main job on a fresh clone. A contractive autoencoder learns the embedded Fashion-MNIST sample
 * in about a minute on two cores, and the pictures show what it learned.
 */
public final class DemoCommand implements Command {
    static final String DATA = "fashion-mnist-sample";

    static final Option OUT = Option.withValue("--out", "DIR", "ae-demo", "folder for the model and the pictures");
    static final Option EPOCHS = Option.withValue("--epochs", "N", "10", "training epochs");
    static final Option THREADS = TrainCommand.THREADS;
    static final Option SEED = TrainCommand.SEED;

    private final boolean terminal;
    private final String data;

    /** {@code terminal}: whether the error stream is a terminal, where a live progress bar is drawn. */
    public DemoCommand(boolean terminal) {
        this(terminal, DATA);
    }

    /** The demo on other data than the embedded sample: how tests run it in seconds. */
    public DemoCommand(boolean terminal, String data) {
        this.terminal = terminal;
        this.data = data;
    }

    @Override
    public List<String> path() {
        return List.of("demo");
    }

    @Override
    public String summary() {
        return "train a contractive autoencoder on the embedded Fashion-MNIST sample (about a minute) and draw it";
    }

    @Override
    public String description() {
        return """
                Trains a contractive autoencoder (784 -> 256 sigmoid -> 784 sigmoid, binary cross-entropy plus \
                0.1 * ||dh/dx||_F^2, Adam at 1e-3, batch 128) on the 10,000 Fashion-MNIST images embedded in ae, \
                9,000 for training and 1,000 held out for validation, and writes the model and its pictures to --out:
                  model.ckpt           the checkpoint (try: ae inspect --checkpoint ae-demo/model.ckpt)
                  reconstructions.png  held-out images above their reconstructions
                  filters.png          the first layer's filters
                  loss.png             training and validation loss per epoch
                  codes.png            the 256-D codes of held-out images in their first two principal components
                It is 'ae train --model contractive --data fashion-mnist-sample --epochs 10 --out ae-demo' with the \
                pictures drawn on the validation images.""";
    }

    @Override
    public List<Option> options() {
        return List.of(OUT, EPOCHS, THREADS, SEED);
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) throws Exception {
        TrainingConfig training = TrainingConfig.defaults()
                .withEpochs(options.positiveInt(EPOCHS.name()))
                .withBatchSize(128)
                .withOptimizer(OptimizerConfig.adam(1e-3))
                .withThreads(options.positiveInt(THREADS.name()))
                .withSeed(options.longValue(SEED.name()))
                .withValidation(0.1, 0);
        Path folder = Path.of(options.value(OUT.name()));
        try (LoadedData data = DataSource.load(this.data)) {
            ModelConfig config = Presets.byName("contractive", data.data().dimension());
            out.println("ae demo: training " + Describe.model(config) + " on " + Describe.data(data, training));
            try (TrainingSession.Result result = TrainingSession.run(config, training, data, folder,
                    EpochOutput.Mode.PLAIN, terminal, out, err)) {
                int exit = TrainCommand.finish(result, out, err);
                out.println("open the pictures, or look at the model with: ./ae inspect --checkpoint " + result.checkpoint());
                return exit;
            }
        }
    }
}
