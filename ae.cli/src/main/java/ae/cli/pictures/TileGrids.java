package ae.cli.pictures;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/** Pictures made of tiles, one tile per row of features: reconstructions beside inputs, and first-layer filters. */
public final class TileGrids {
    private static final int GAP = 6;
    private static final int MARGIN = 16;
    private static final int TITLE_SPACE = 40;

    private TileGrids() {
    }

    /**
     * Pairs of rows: each input row of tiles above the row of its reconstructions, with a caption per column
     * (empty captions are left out). Features are drawn as grey levels, 0 black and 1 white.
     */
    public static BufferedImage reconstructions(String title, List<float[]> inputs, List<float[]> outputs,
                                                List<String> captions, TileShape shape, int columns) {
        int rows = (inputs.size() + columns - 1) / columns;
        int rowLabelWidth;
        try (Canvas measure = new Canvas(1, 1)) {
            rowLabelWidth = measure.textWidth("reconstruction", Canvas.LABEL) + 14;
        }
        boolean anyCaption = captions.stream().anyMatch(c -> !c.isEmpty());
        int captionSpace = anyCaption ? 16 : 0;
        int tileWidth = Math.max(shape.pixelWidth(), 56);
        int pairHeight = captionSpace + 2 * shape.pixelHeight() + GAP + 2 * GAP;
        int width = MARGIN + rowLabelWidth + columns * (tileWidth + GAP) + MARGIN;
        int height = TITLE_SPACE + rows * pairHeight + MARGIN;
        try (Canvas canvas = new Canvas(width, height)) {
            canvas.centred(title, Canvas.TITLE, width / 2.0, 24);
            for (int row = 0; row < rows; row++) {
                int top = TITLE_SPACE + row * pairHeight + captionSpace;
                canvas.rightAligned("input", Canvas.LABEL, MARGIN + rowLabelWidth - 10, top + shape.pixelHeight() / 2.0);
                canvas.rightAligned("reconstruction", Canvas.LABEL, MARGIN + rowLabelWidth - 10,
                        top + shape.pixelHeight() + GAP + shape.pixelHeight() / 2.0);
                for (int column = 0; column < columns; column++) {
                    int i = row * columns + column;
                    if (i >= inputs.size()) {
                        break;
                    }
                    int left = MARGIN + rowLabelWidth + column * (tileWidth + GAP) + (tileWidth - shape.pixelWidth()) / 2;
                    if (anyCaption) {
                        String caption = fit(canvas, captions.get(i), tileWidth + GAP - 2);
                        canvas.centred(caption, Canvas.SMALL, left + shape.pixelWidth() / 2.0, top - 4);
                    }
                    canvas.tile(inputs.get(i), shape, left, top, v -> v);
                    canvas.tile(outputs.get(i), shape, left, top + shape.pixelHeight() + GAP, v -> v);
                }
            }
            return canvas.image;
        }
    }

    /**
     * Rows of tiles under a title, one row per entry of {@code rows} (the inputs, say, then each model's
     * reconstructions of them), each named on its left, with a caption per column above the first row. Features are
     * drawn as grey levels, 0 black and 1 white.
     */
    public static BufferedImage labelledRows(String title, List<String> rowNames, List<List<float[]>> rows,
                                             List<String> captions, TileShape shape) {
        int columns = rows.getFirst().size();
        int labelWidth;
        int titleWidth;
        try (Canvas measure = new Canvas(1, 1)) {
            labelWidth = rowNames.stream().mapToInt(n -> measure.textWidth(n, Canvas.LABEL)).max().orElse(0) + 14;
            titleWidth = measure.textWidth(title, Canvas.TITLE) + 2 * MARGIN;
        }
        int tileWidth = Math.max(shape.pixelWidth(), 56);
        int captionSpace = captions.stream().anyMatch(c -> !c.isEmpty()) ? 16 : 0;
        int width = Math.max(MARGIN + labelWidth + columns * (tileWidth + GAP) + MARGIN, titleWidth);
        int height = TITLE_SPACE + captionSpace + rows.size() * (shape.pixelHeight() + GAP) + MARGIN;
        try (Canvas canvas = new Canvas(width, height)) {
            canvas.centred(title, Canvas.TITLE, width / 2.0, 24);
            for (int row = 0; row < rows.size(); row++) {
                int top = TITLE_SPACE + captionSpace + row * (shape.pixelHeight() + GAP);
                canvas.rightAligned(rowNames.get(row), Canvas.LABEL, MARGIN + labelWidth - 10,
                        top + shape.pixelHeight() / 2.0);
                for (int column = 0; column < columns; column++) {
                    int left = MARGIN + labelWidth + column * (tileWidth + GAP) + (tileWidth - shape.pixelWidth()) / 2;
                    if (row == 0 && captionSpace > 0) {
                        canvas.centred(fit(canvas, captions.get(column), tileWidth + GAP - 2), Canvas.SMALL,
                                left + shape.pixelWidth() / 2.0, top - 4);
                    }
                    canvas.tile(rows.get(row).get(column), shape, left, top, v -> v);
                }
            }
            return canvas.image;
        }
    }

    /**
     * One tile per hidden unit: the weights from every input to that unit, drawn on a grey scale centred on zero
     * (mid grey), light for positive and dark for negative weights, each filter scaled by its own largest magnitude
     * so that weak units stay visible.
     */
    public static BufferedImage filters(String title, List<float[]> filters, TileShape shape, int columns) {
        return grid(title, filters, shape, columns, filter -> {
            double largest = 0;
            for (float w : filter) {
                largest = Math.max(largest, Math.abs(w));
            }
            double scale = largest == 0 ? 1 : largest;
            return w -> 0.5 + 0.5 * w / scale;
        });
    }

    /** A grid of images, {@code columns} to a row, features drawn as grey levels, 0 black and 1 white. */
    public static BufferedImage images(String title, List<float[]> images, TileShape shape, int columns) {
        return grid(title, images, shape, columns, image -> v -> v);
    }

    /** Tiles under a title, each drawn with the grey level its {@code shading} gives each value. */
    private static BufferedImage grid(String title, List<float[]> tiles, TileShape shape, int columns,
                                      Function<float[], DoubleUnaryOperator> shading) {
        int rows = (tiles.size() + columns - 1) / columns;
        int titleWidth;
        try (Canvas measure = new Canvas(1, 1)) {
            titleWidth = measure.textWidth(title, Canvas.TITLE) + 2 * MARGIN;
        }
        int gridWidth = MARGIN + columns * (shape.pixelWidth() + GAP) - GAP + MARGIN;
        int width = Math.max(gridWidth, titleWidth);
        int height = TITLE_SPACE + rows * (shape.pixelHeight() + GAP) - GAP + MARGIN;
        try (Canvas canvas = new Canvas(width, height)) {
            canvas.centred(title, Canvas.TITLE, width / 2.0, 24);
            int offset = (width - gridWidth) / 2;
            for (int i = 0; i < tiles.size(); i++) {
                int left = offset + MARGIN + (i % columns) * (shape.pixelWidth() + GAP);
                int top = TITLE_SPACE + (i / columns) * (shape.pixelHeight() + GAP);
                canvas.tile(tiles.get(i), shape, left, top, shading.apply(tiles.get(i)));
            }
            return canvas.image;
        }
    }

    private static String fit(Canvas canvas, String text, int width) {
        if (canvas.textWidth(text, Canvas.SMALL) <= width) {
            return text;
        }
        String cut = text;
        while (cut.length() > 1 && canvas.textWidth(cut + "…", Canvas.SMALL) > width) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + "…";
    }
}
