package ae.cli.pictures;

/**
 * How a row of {@code d} features is drawn as a small image: a square when d is a square number (28 x 28 for
 * Fashion-MNIST), otherwise the most nearly square rectangle of exactly d cells, so no feature is hidden and none is
 * invented.
 */
public record TileShape(int height, int width) {
    public static TileShape of(int d) {
        int height = (int) Math.floor(Math.sqrt(d));
        while (d % height != 0) {
            height--;
        }
        return new TileShape(height, d / height);
    }

    /** Screen pixels per cell, so that a tile is drawn at least about 56 pixels on its longer side. */
    public int scale() {
        return Math.max(1, Math.min(16, (int) Math.ceil(56.0 / Math.max(height, width))));
    }

    public int pixelHeight() {
        return height * scale();
    }

    public int pixelWidth() {
        return width * scale();
    }
}
