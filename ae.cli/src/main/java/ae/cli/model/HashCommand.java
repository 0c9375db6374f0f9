package ae.cli.model;

import ae.cli.CommandFailedException;
import ae.cli.Command;
import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.UsageException;
import ae.cli.data.DataSource;
import ae.cli.data.LoadedData;
import ae.data.Dataset;
import ae.models.FittedAutoencoder;
import ae.models.retrieval.BinaryCodes;
import ae.models.retrieval.HammingIndex;
import ae.models.retrieval.IndexFiles;
import ae.models.retrieval.PackedCodeFiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code ae hash}: the binary codes of data under a semantic-hashing model, as an index file or packed NPY. */
public final class HashCommand implements Command {
    static final Option DATA = Option.withValue("--data", "DATA", "fashion-mnist-sample", "the data: " + DataSource.HELP);
    static final Option SPLIT = Option.withValue("--split", "SPLIT", "train",
            "which part of data with a test split to hash: train or test");
    static final Option OUT = Option.withValue("--out", "FILE", "index.aeh",
            "where to write the codes: an index file (.aeh: codes, row ids, labels; docs/index-format.md) or an NPY"
                    + " file (.npy: n x bits/8 uint8 in numpy's packbits order)");

    @Override
    public List<String> path() {
        return List.of("hash");
    }

    @Override
    public String summary() {
        return "binary codes of data under a semantic-hashing model, to an index (.aeh) or packed NPY file";
    }

    @Override
    public String description() {
        return """
                Loads --checkpoint, which must have a binary (sigmoid) code, encodes every row of --data (clean), \
                thresholds the code at 0.5 and writes the bits. An .aeh file is an index for ae search and ae \
                eval-retrieval: the codes, their row ids (the data's row numbers) and the data's labels if it has \
                them, with a checksum. An .npy file is an n x ceil(bits/8) uint8 array in numpy's packbits order: \
                np.unpackbits(np.load(f), axis=1)[:, :bits] gives the bits. The file appears complete or not at all.""";
    }

    @Override
    public List<Option> options() {
        return List.of(Checkpoint.CHECKPOINT, DATA, SPLIT, OUT, Checkpoint.THREADS);
    }

    @Override
    public int run(ParsedOptions options, PrintStream out, PrintStream err) throws Exception {
        Path file = Path.of(options.value(OUT.name()));
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean index = name.endsWith(".aeh");
        if (!index && !name.endsWith(".npy")) {
            throw new UsageException(OUT.name() + " " + file + ": an index file ends in .aeh, packed codes in .npy");
        }
        String split = options.value(SPLIT.name()).trim();
        if (!split.equals("train") && !split.equals("test")) {
            throw new UsageException(SPLIT.name() + " expects train or test, got '" + split + "'");
        }
        try (FittedAutoencoder model = Checkpoint.load(options)) {
            try {
                model.requireBinaryCode();
            } catch (IllegalArgumentException e) {
                throw new CommandFailedException(Checkpoint.path(options) + ": " + e.getMessage());
            }
            try (LoadedData data = DataSource.load(options.value(DATA.name()))) {
                Dataset rows = data.data();
                if (split.equals("test")) {
                    if (!data.hasTest()) {
                        throw new CommandFailedException(data.source() + " has no test split to hash");
                    }
                    rows = data.test();
                }
                Checkpoint.requireMatchingData(model, rows, data.source());
                BinaryCodes codes = model.hash(rows.features());
                if (index) {
                    IndexFiles.write(file, HammingIndex.of(codes, rows.hasLabels() ? rows.labels() : null));
                    out.printf(Locale.ROOT, "wrote %s: an index of %,d codes of %d bits%s%n", file, codes.count(),
                            codes.bits(), rows.hasLabels() ? ", with labels" : "");
                } else {
                    PackedCodeFiles.write(file, codes);
                    out.printf(Locale.ROOT, "wrote %s: %,d codes of %d bits as %d uint8 each (packbits order)%n",
                            file, codes.count(), codes.bits(), (codes.bits() + 7) / 8);
                }
            }
        }
        return 0;
    }
}
