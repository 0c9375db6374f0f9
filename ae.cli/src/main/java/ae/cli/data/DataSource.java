package ae.cli.data;

import ae.cli.Option;
import ae.cli.ParsedOptions;
import ae.cli.UsageException;
import ae.data.CsvFiles;
import ae.data.CsvOptions;
import ae.data.Dataset;
import ae.data.Datasets;
import ae.data.FashionMnist;
import ae.data.IdxFiles;
import ae.data.NpyFiles;
import ae.data.Split;
import ae.data.SyntheticData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Resolves the {@code --data} of a command, in this order: an existing folder of IDX files in the MNIST layout
 * ({@code {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]}), an existing file (NPY, CSV or an IDX image file,
 * recognised by name), or the name of a built-in dataset. Reading and checking are ae.data's readers' job; this
 * class only chooses the reader.
 */
public final class DataSource {
    /** The labels of Fashion-MNIST, in the order of their values. */
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    public static final String HELP = "a folder of IDX files in the MNIST layout ({train,t10k}-{images-idx3,"
            + "labels-idx1}-ubyte[.gz]; t10k becomes the test split), an .npy file (n x d), a .csv or .tsv file "
            + "(header line; a column named 'label' holds labels), an IDX image file (labels from the matching "
            + "labels-idx1 file if present), or a built-in name: " + String.join(", ", Datasets.names())
            + ", or a synthetic set (--n points, --noise, --seed, --embed): " + String.join(", ", SyntheticData.NAMES);

    public static final Option N = Option.withValue("--n", "N", Integer.toString(SyntheticData.DEFAULT_N),
            "points of a synthetic --data set");
    public static final Option NOISE = Option.withValue("--noise", "X", Double.toString(SyntheticData.DEFAULT_NOISE),
            "standard deviation of the Gaussian noise added to every coordinate of a synthetic --data set");
    public static final Option EMBED = Option.withValue("--embed", "D", "0", "embed a synthetic --data set in R^D by"
            + " a seeded random rotation; 0 keeps its own dimension (2, or 3 for swiss-roll, s-curve and sphere)");
    /** The options of synthetic data, for commands that read {@code --data} (with their own {@code --seed}). */
    public static final List<Option> SYNTHETIC_OPTIONS = List.of(N, NOISE, EMBED);

    private DataSource() {
    }

    /**
     * {@link #load(String)}, a synthetic set drawn with the command's {@link #SYNTHETIC_OPTIONS} and its
     * {@code --seed} (which the command must declare).
     */
    public static LoadedData load(String spec, ParsedOptions options) throws IOException {
        if (!Files.exists(Path.of(spec)) && SyntheticData.isName(spec)) {
            double noise = options.finiteDouble(NOISE.name());
            if (noise < 0) {
                throw new UsageException(NOISE.name() + " must be >= 0, got " + noise);
            }
            try {
                return synthetic(spec, options.positiveInt(N.name()), noise, options.longValue("--seed"),
                        options.nonNegativeInt(EMBED.name()));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--data " + spec + ": " + e.getMessage());
            }
        }
        return load(spec);
    }

    private static LoadedData synthetic(String spec, int n, double noise, long seed, int embed) {
        SyntheticData data = SyntheticData.generate(spec, n, noise, seed, embed);
        return new LoadedData(spec + " (n " + n + ", noise " + noise + ", seed " + seed
                + (embed == 0 ? "" : ", in R^" + embed) + ")", data.data(), null, List.of());
    }

    /**
     * The number of features {@code spec} will load with, when known without reading it (the built-in
     * Fashion-MNIST sets): what lets a command start warming up a model while the data loads.
     */
    public static java.util.OptionalInt knownDimension(String spec) {
        String name = spec.trim().toLowerCase(Locale.ROOT);
        return Datasets.names().contains(name) && !Files.exists(Path.of(spec))
                ? java.util.OptionalInt.of(FashionMnist.PIXELS) : java.util.OptionalInt.empty();
    }

    /** Data by name or path; a synthetic set with its defaults. */
    public static LoadedData load(String spec) throws IOException {
        Path path = Path.of(spec);
        if (Files.isDirectory(path)) {
            return folder(spec, path);
        }
        if (Files.exists(path)) {
            return new LoadedData(spec, file(path), null, List.of());
        }
        String name = spec.trim().toLowerCase(Locale.ROOT);
        if (SyntheticData.isName(name)) {
            return synthetic(name, SyntheticData.DEFAULT_N, SyntheticData.DEFAULT_NOISE, 0, 0);
        }
        if (Datasets.names().contains(name)) {
            Dataset data = Datasets.load(name);
            if (!name.equals("fashion-mnist")) {
                return new LoadedData(spec, data, null, FASHION_MNIST_CLASSES);
            }
            try {
                return new LoadedData(spec, data, Datasets.load(name, Split.TEST), FASHION_MNIST_CLASSES);
            } catch (IOException | RuntimeException e) {
                data.close();
                throw e;
            }
        }
        throw new NoSuchFileException(spec, null, "neither a file, a folder, nor a built-in dataset ("
                + String.join(", ", Datasets.names()) + ", " + String.join(", ", SyntheticData.NAMES) + ")");
    }

    private static LoadedData folder(String spec, Path folder) throws IOException {
        boolean hasTrain = hasIdx(folder, "train");
        boolean hasTest = hasIdx(folder, "t10k");
        if (!hasTrain && !hasTest) {
            throw new NoSuchFileException(folder.toString(), null, "the folder holds no train-images-idx3-ubyte[.gz]"
                    + " or t10k-images-idx3-ubyte[.gz] with its labels file");
        }
        List<String> classes = isFashionMnistFolder(folder) ? FASHION_MNIST_CLASSES : List.of();
        if (!hasTrain) {
            return new LoadedData(spec, FashionMnist.load(folder, Split.TEST), null, classes);
        }
        Dataset train = FashionMnist.load(folder, Split.TRAIN);
        try {
            return new LoadedData(spec, train, hasTest ? FashionMnist.load(folder, Split.TEST) : null, classes);
        } catch (IOException | RuntimeException e) {
            train.close();
            throw e;
        }
    }

    private static boolean isFashionMnistFolder(Path folder) {
        return folder.toAbsolutePath().normalize().equals(FashionMnist.defaultFolder().toAbsolutePath().normalize());
    }

    private static boolean hasIdx(Path folder, String prefix) {
        for (String suffix : new String[] {"", ".gz"}) {
            if (Files.isRegularFile(folder.resolve(prefix + "-images-idx3-ubyte" + suffix))
                    && Files.isRegularFile(folder.resolve(prefix + "-labels-idx1-ubyte" + suffix))) {
                return true;
            }
        }
        return false;
    }

    private static Dataset file(Path file) throws IOException {
        String fileName = file.getFileName().toString();
        String lower = fileName.toLowerCase(Locale.ROOT);
        String base = lower.endsWith(".gz") ? lower.substring(0, lower.length() - 3) : lower;
        String name = base.contains(".") ? fileName.substring(0, base.lastIndexOf('.')) : fileName;
        if (base.endsWith(".npy")) {
            return NpyFiles.read(file, name);
        }
        if (lower.endsWith(".csv") || lower.endsWith(".tsv")) {
            CsvOptions options = CsvOptions.defaults().withDelimiter(lower.endsWith(".tsv") ? '\t' : ',');
            if (headerHasLabelColumn(file, options.delimiter())) {
                options = options.withLabelColumn("label");
            }
            return CsvFiles.read(file, options, name);
        }
        if (fileName.contains("images-idx3-ubyte")) {
            Path labels = file.resolveSibling(fileName.replace("images-idx3-ubyte", "labels-idx1-ubyte"));
            return Files.isRegularFile(labels) ? IdxFiles.read(file, labels, name) : IdxFiles.readImages(file, name);
        }
        if (base.endsWith("-ubyte") || base.endsWith(".idx")) {
            return IdxFiles.readImages(file, name);
        }
        throw new IllegalArgumentException(file + ": unknown data format; --data takes " + HELP);
    }

    private static boolean headerHasLabelColumn(Path file, char delimiter) throws IOException {
        try (var lines = Files.newBufferedReader(file)) {
            String header = lines.readLine();
            if (header == null) {
                return false;
            }
            for (String cell : header.split(String.valueOf(delimiter), -1)) {
                if (cell.trim().replace("\"", "").equals("label")) {
                    return true;
                }
            }
            return false;
        } catch (java.nio.charset.MalformedInputException e) {
            // Not UTF-8 text: let the CSV reader report where.
            return false;
        }
    }
}
