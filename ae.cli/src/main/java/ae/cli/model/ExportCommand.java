package ae.cli.model;

import ae.autodiff.Parameter;
import ae.cli.Command;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.models.FittedAutoencoder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** {@code ae export --npz}: a trained model's weights as an NPZ archive that numpy reads. */
public final class ExportCommand implements Command {
    static final Option NPZ = Option.flag("--npz",
            "write an NPZ archive (numpy.load), one float32 array per parameter; NPZ is the one export format, so"
                    + " this is also what happens without the flag");
    static final Option OUT = Option.withValue("--out", "FILE", "the checkpoint's name with .npz",
            "where to write the archive");

    @Override
    public List<String> path() {
        return List.of("export");
    }

    @Override
    public String summary() {
        return "a trained model's weights as an NPZ archive for numpy";
    }

    @Override
    public String description() {
        return """
                Loads --checkpoint and writes its parameters as an NPZ archive: one float32 array per parameter, \
                named encoder.<i>.weight (shape [out, in]), encoder.<i>.bias, decoder.<i>.weight and \
                decoder.<i>.bias, so that in numpy the code of a row x of a one-layer model is
                  sigmoid(x @ w["encoder.0.weight"].T + w["encoder.0.bias"])
                (with that layer's activation). A tied decoder layer has no weight of its own: it uses the \
                transposed weight of its mirror encoder layer.""";
    }

    @Override
    public List<Option> options() {
        return List.of(Checkpoint.CHECKPOINT, NPZ, OUT);
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) throws Exception {
        Path checkpoint = Checkpoint.path(options);
        Path target = options.isGiven(OUT.name()) ? Path.of(options.value(OUT.name())) : withExtension(checkpoint);
        try (FittedAutoencoder model = Checkpoint.load(options, 1)) {
            EncodeCommand.createParent(target);
            model.exportNpz(target);
            out.println("wrote " + target + ":");
            for (Parameter p : model.parameters()) {
                out.println("  " + p.name() + "  " + Arrays.stream(p.value().shape()).mapToObj(Integer::toString)
                        .collect(Collectors.joining(" x ")) + "  float32");
            }
            return 0;
        }
    }

    private static Path withExtension(Path checkpoint) {
        String name = checkpoint.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return checkpoint.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".npz");
    }
}
