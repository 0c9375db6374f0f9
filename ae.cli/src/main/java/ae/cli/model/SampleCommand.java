package ae.cli.model;

import ae.cli.CommandFailedException;
import ae.cli.Command;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.output.OutputFiles;
import ae.cli.pictures.ModelPictures;
import ae.cli.pictures.TileGrids;
import ae.cli.pictures.TileShape;
import ae.data.NpyFiles;
import ae.models.FittedAutoencoder;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code ae sample}: draws from a variational autoencoder's prior, decoded, as a picture or an NPY file. */
public final class SampleCommand implements Command {
    static final Option COUNT = Option.withValue("--n", "N", "64", "how many samples");
    static final Option SEED = Option.withValue("--seed", "S", "0", "seed of the draws; the same seed gives the same"
            + " samples");
    static final Option OUT = Option.withValue("--out", "FILE", "samples.png",
            "where to write them: .png (a grid of images) or .npy (an n x d float32 array of the pixels)");
    static final Option OBSERVATIONS = Option.flag("--observations",
            "draw x ~ p(x|h) for each code (Bernoulli pixels are then 0 or 1) instead of taking the means of p(x|h)");

    @Override
    public List<String> path() {
        return List.of("sample");
    }

    @Override
    public String summary() {
        return "draws from a variational autoencoder's prior, decoded, to a picture or an NPY file";
    }

    @Override
    public String description() {
        return """
                Loads --checkpoint, which must hold a model with a prior p(h) (the vae preset, R6), draws --n codes \
                from the prior N(0, I) and decodes them: the means of p(x|h), or with --observations a draw of x \
                from p(x|h). Writes a PNG grid of images (square tiles when the width is a square, as 784 is) or the \
                pixels as an n x d float32 NPY array. The same --seed gives the same samples.""";
    }

    @Override
    public List<Option> options() {
        return List.of(Checkpoint.CHECKPOINT, COUNT, SEED, OUT, OBSERVATIONS, Checkpoint.THREADS);
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) throws Exception {
        Path target = Path.of(options.value(OUT.name()));
        boolean png = OutputFiles.endsInFirst(OUT, target, ".png", ".npy");
        int n = options.positiveInt(COUNT.name());
        long seed = options.longValue(SEED.name());
        try (FittedAutoencoder model = Checkpoint.load(options); TensorScope scope = TensorScope.open("samples")) {
            if (!model.config().encoder().hasPrior()) {
                throw new CommandFailedException("ae sample needs a model with a prior p(h) (a variational"
                        + " autoencoder, e.g. --model vae); " + Checkpoint.path(options) + " holds model '"
                        + model.config().name() + "', whose encoder is " + model.config().encoder().kind().name());
            }
            Tensor samples = options.flag(OBSERVATIONS.name())
                    ? model.sampleObservations(model.samplePrior(n, seed, scope), seed, scope)
                    : model.sample(n, seed, scope);
            EncodeCommand.createParent(target);
            if (png) {
                int columns = (int) Math.ceil(Math.sqrt(n));
                OutputFiles.writePng(target, TileGrids.images(String.format(Locale.ROOT, "%d samples of %s (seed"
                        + " %d)%s", n, model.config().name(), seed, options.flag(OBSERVATIONS.name())
                        ? ": draws of p(x|h)" : ": means of p(x|h)"), ModelPictures.split(samples),
                        TileShape.of(model.config().inputDimension()), columns));
            } else {
                NpyFiles.write(target, samples);
            }
            out.printf(Locale.ROOT, "wrote %s: %,d samples of %s from its prior (seed %d)%n", target, n,
                    model.config().name(), seed);
            return 0;
        }
    }
}
