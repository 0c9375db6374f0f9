package ae.cli.pictures;

import ae.autodiff.Parameter;
import ae.cli.output.OutputFiles;
import ae.data.Dataset;
import ae.models.EpochReport;
import ae.models.FittedAutoencoder;
import ae.models.PredictiveSparseDecomposition;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The pictures of a trained model, written as PNG files into a folder: {@value #RECONSTRUCTIONS},
 * {@value #FILTERS}, {@value #LOSS} and {@value #CODES}; for a model with a prior (a VAE) also {@value #SAMPLES},
 * and {@value #TRAVERSAL} when its code is 2-D; for a model trained by predictive sparse decomposition also
 * {@value #DICTIONARY}.
 */
public final class ModelPictures {
    public static final String RECONSTRUCTIONS = "reconstructions.png";
    public static final String FILTERS = "filters.png";
    public static final String LOSS = "loss.png";
    public static final String CODES = "codes.png";
    public static final String SAMPLES = "samples.png";
    public static final String TRAVERSAL = "traversal.png";
    public static final String DICTIONARY = "dictionary.png";
    /** Samples from the prior shown: an 8 x 8 grid. */
    static final int SAMPLE_COLUMNS = 8;
    /** Codes of the traversal per axis, evenly from {@code -TRAVERSAL_EXTENT} to {@code +TRAVERSAL_EXTENT}. */
    static final int TRAVERSAL_STEPS = 15;
    static final double TRAVERSAL_EXTENT = 2;
    /** Examples shown as reconstructions: two of each of ten classes fill two pairs of rows. */
    static final int RECONSTRUCTION_COLUMNS = 10;
    static final int RECONSTRUCTION_EXAMPLES = 20;
    static final int MAX_FILTERS = 100;
    static final int MAX_SCATTER_POINTS = 2000;

    private ModelPictures() {
    }

    /**
     * Writes the pictures of {@code model}, drawn on {@code data} (held-out data, ideally), and returns their paths.
     *
     * @param testLosses the test loss after each end-to-end epoch, or null when there was no test data
     */
    public static List<Path> write(Path folder, FittedAutoencoder model, Dataset data, List<String> classNames,
                                   double[] testLosses) throws IOException {
        String modelName = model.config().name();
        TileShape shape = TileShape.of(data.dimension());
        List<Path> written = new ArrayList<>();
        try (TensorScope scope = TensorScope.open("pictures of " + modelName)) {
            int[] shown = reconstructionRows(data);
            Tensor inputs = rows(scope, data, shown);
            Tensor outputs = model.reconstruct(inputs, scope);
            List<String> captions = new ArrayList<>();
            for (int row : shown) {
                captions.add(data.hasLabels() ? CodeScatter.names(classNames).apply(data.label(row)) : "");
            }
            written.add(png(folder, RECONSTRUCTIONS, TileGrids.reconstructions(
                    "Inputs from " + data.name() + " and their reconstructions by " + modelName,
                    split(inputs), split(outputs), captions, shape, RECONSTRUCTION_COLUMNS)));

            written.add(png(folder, FILTERS, filters(model, shape)));
            if (model.config().procedure() instanceof PredictiveSparseDecomposition) {
                written.add(png(folder, DICTIONARY, dictionary(model, shape)));
            }
            written.add(png(folder, LOSS, loss(model, testLosses)));

            int points = Math.min(MAX_SCATTER_POINTS, data.size());
            Tensor sample = scope.allocateFloat(points, data.dimension());
            data.copyRows(0, points, sample);
            Tensor codes = model.encode(sample, scope);
            int[] labels = data.hasLabels() ? java.util.Arrays.copyOf(data.labels(), points) : null;
            written.add(png(folder, CODES, codes(modelName, split(codes), labels, classNames)));
            if (model.config().encoder().hasPrior()) {
                Tensor samples = model.sample(SAMPLE_COLUMNS * SAMPLE_COLUMNS, 0, scope);
                written.add(png(folder, SAMPLES, TileGrids.images("Samples of " + modelName
                        + ": codes drawn from the prior N(0, I), decoded (the means of p(x|h))", split(samples), shape,
                        SAMPLE_COLUMNS)));
                if (model.config().codeSize() == 2) {
                    written.add(png(folder, TRAVERSAL, traversal(model, shape, scope)));
                }
            }
        }
        return written;
    }

    /**
     * A picture of {@code data}'s rows (two per label when labelled) above their reconstructions by each model, one
     * row per model, named by {@code modelNames}.
     */
    public static java.awt.image.BufferedImage compareReconstructions(List<FittedAutoencoder> models,
                                                                      List<String> modelNames, Dataset data,
                                                                      List<String> classNames) {
        TileShape shape = TileShape.of(data.dimension());
        try (TensorScope scope = TensorScope.open("reconstruction comparison")) {
            int[] shown = reconstructionRows(data);
            Tensor inputs = rows(scope, data, shown);
            List<List<float[]>> tiles = new ArrayList<>();
            tiles.add(split(inputs));
            List<String> rowNames = new ArrayList<>();
            rowNames.add("input");
            for (int m = 0; m < models.size(); m++) {
                tiles.add(split(models.get(m).reconstruct(inputs, scope)));
                rowNames.add(modelNames.get(m));
            }
            List<String> captions = new ArrayList<>();
            for (int row : shown) {
                captions.add(data.hasLabels() ? CodeScatter.names(classNames).apply(data.label(row)) : "");
            }
            return TileGrids.labelledRows("Inputs from " + data.name() + " and their reconstructions", rowNames,
                    tiles, captions, shape);
        }
    }

    /** The decoder over a grid of 2-D codes: rows run down the second unit, columns across the first. */
    private static java.awt.image.BufferedImage traversal(FittedAutoencoder model, TileShape shape, TensorScope scope) {
        Tensor codes = scope.allocateFloat(TRAVERSAL_STEPS * TRAVERSAL_STEPS, 2);
        for (int row = 0; row < TRAVERSAL_STEPS; row++) {
            for (int column = 0; column < TRAVERSAL_STEPS; column++) {
                int i = row * TRAVERSAL_STEPS + column;
                codes.set(i, 0, gridCoordinate(column));
                codes.set(i, 1, -gridCoordinate(row));
            }
        }
        return TileGrids.images(String.format(Locale.ROOT, "The decoder of %s over codes from %.0f to %.0f in each"
                        + " unit (unit 1 across, unit 2 up)", model.config().name(), -TRAVERSAL_EXTENT,
                TRAVERSAL_EXTENT), split(model.decode(codes, scope)), shape, TRAVERSAL_STEPS);
    }

    static double gridCoordinate(int step) {
        return -TRAVERSAL_EXTENT + 2 * TRAVERSAL_EXTENT * step / (TRAVERSAL_STEPS - 1);
    }

    private static Path png(Path folder, String name, java.awt.image.BufferedImage image) throws IOException {
        Path file = folder.resolve(name);
        OutputFiles.writePng(file, image);
        return file;
    }

    /** Two rows of each label in label order when there are labels, otherwise the first rows. */
    private static int[] reconstructionRows(Dataset data) {
        int count = Math.min(RECONSTRUCTION_EXAMPLES, data.size());
        if (!data.hasLabels()) {
            return java.util.stream.IntStream.range(0, count).toArray();
        }
        int[] labels = data.labels();
        int[] distinct = java.util.Arrays.stream(labels).distinct().sorted().toArray();
        int perLabel = Math.max(1, count / Math.max(1, Math.min(distinct.length, RECONSTRUCTION_COLUMNS)));
        List<Integer> chosen = new ArrayList<>();
        for (int round = 0; round < perLabel && chosen.size() < count; round++) {
            for (int label : distinct) {
                int seen = 0;
                for (int row = 0; row < labels.length; row++) {
                    if (labels[row] == label && seen++ == round) {
                        if (chosen.size() < count) {
                            chosen.add(row);
                        }
                        break;
                    }
                }
            }
        }
        for (int row = 0; chosen.size() < count && row < labels.length; row++) {
            if (!chosen.contains(row)) {
                chosen.add(row);
            }
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Tensor rows(TensorScope scope, Dataset data, int[] rows) {
        Tensor out = scope.allocateFloat(rows.length, data.dimension());
        data.copyRows(rows, out);
        return out;
    }

    /** The rows of {@code matrix}, one float array each: the tiles of a picture of its rows. */
    public static List<float[]> split(Tensor matrix) {
        float[] all = matrix.toFloatArray();
        int cols = matrix.cols();
        List<float[]> rows = new ArrayList<>();
        for (int r = 0; r < matrix.rows(); r++) {
            rows.add(java.util.Arrays.copyOfRange(all, r * cols, (r + 1) * cols));
        }
        return rows;
    }

    private static java.awt.image.BufferedImage filters(FittedAutoencoder model, TileShape shape) {
        Parameter first = model.parameters().stream().filter(p -> p.name().equals("encoder.0.weight")).findFirst()
                .orElseThrow(() -> new IllegalStateException("model '" + model.config().name()
                        + "' has no encoder.0.weight"));
        List<float[]> units = split(first.value());
        int total = units.size();
        List<float[]> shown = units.subList(0, Math.min(MAX_FILTERS, total));
        int columns = (int) Math.ceil(Math.sqrt(shown.size()));
        String title = (shown.size() == total ? "First-layer filters: all " + total : "First-layer filters: "
                + shown.size() + " of " + total) + " units (mid grey 0, light positive, dark negative)";
        return TileGrids.filters(title, shown, shape, columns);
    }

    /** The atoms of a sparse-coding dictionary: the columns of decoder.0.weight, each the image of one code unit. */
    private static java.awt.image.BufferedImage dictionary(FittedAutoencoder model, TileShape shape) {
        List<float[]> atoms = split(model.parameter("decoder.0.weight").value().transpose());
        int total = atoms.size();
        List<float[]> shown = atoms.subList(0, Math.min(MAX_FILTERS, total));
        int columns = (int) Math.ceil(Math.sqrt(shown.size()));
        String title = (shown.size() == total ? "Dictionary: all " + total : "Dictionary: " + shown.size() + " of "
                + total) + " unit-norm atoms (columns of D; mid grey 0, light positive, dark negative)";
        return TileGrids.filters(title, shown, shape, columns);
    }

    private static java.awt.image.BufferedImage loss(FittedAutoencoder model, double[] testLosses) {
        List<EpochReport> epochs = model.history().epochs().stream().filter(r -> r.phase().equals("train")).toList();
        double[] train = epochs.stream().mapToDouble(EpochReport::trainLoss).toArray();
        double[] validation = epochs.stream().mapToDouble(EpochReport::validationLoss).toArray();
        List<LossCurves.Series> series = new ArrayList<>();
        String loss = model.config().lossDescription();
        series.add(new LossCurves.Series("train (the objective, with penalties)", train));
        series.add(new LossCurves.Series("validation (" + loss + ")", validation));
        if (testLosses != null) {
            series.add(new LossCurves.Series("test (" + loss + ")", testLosses));
        }
        return LossCurves.draw("Loss of " + model.config().name() + " per epoch", "mean loss per sample", series);
    }

    private static java.awt.image.BufferedImage codes(String model, List<float[]> codes, int[] labels,
                                                      List<String> classNames) {
        int k = codes.getFirst().length;
        double[] xs;
        double[] ys;
        String xTitle;
        String yTitle;
        String how;
        if (k == 2) {
            xs = codes.stream().mapToDouble(c -> c[0]).toArray();
            ys = codes.stream().mapToDouble(c -> c[1]).toArray();
            xTitle = "code unit 1";
            yTitle = "code unit 2";
            how = "the 2-D codes";
        } else if (k == 1) {
            xs = codes.stream().mapToDouble(c -> c[0]).toArray();
            ys = java.util.stream.IntStream.range(0, codes.size()).asDoubleStream().toArray();
            xTitle = "code";
            yTitle = "example number";
            how = "the 1-D codes";
        } else {
            float[][] points = codes.toArray(float[][]::new);
            PrincipalComponents pca = PrincipalComponents.fit(points, 2);
            xs = pca.project(points, 0);
            ys = pca.project(points, 1);
            xTitle = String.format(Locale.ROOT, "principal component 1 (%.0f%% of the variance)",
                    100 * pca.explainedFraction(0));
            yTitle = String.format(Locale.ROOT, "principal component 2 (%.0f%% of the variance)",
                    100 * pca.explainedFraction(1));
            how = "first two principal components of " + k + "-D codes";
        }
        String title = "Codes of " + codes.size() + " examples by " + model + ": " + how;
        return CodeScatter.draw(title, xTitle, yTitle, xs, ys, labels, CodeScatter.names(classNames));
    }
}
