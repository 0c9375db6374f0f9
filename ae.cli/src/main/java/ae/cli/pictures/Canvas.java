package ae.cli.pictures;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** A white picture with antialiased drawing and the few text helpers the pictures share. */
final class Canvas implements AutoCloseable {
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    static final Color INK = new Color(0x22, 0x22, 0x22);
    static final Color GRID = new Color(0xE4, 0xE4, 0xE4);

    final BufferedImage image;
    final Graphics2D g;

    Canvas(int width, int height) {
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(INK);
        g.setStroke(new BasicStroke(1f));
    }

    /** Text whose left end is at x and whose baseline is at y. */
    void text(String text, Font font, double x, double y) {
        g.setFont(font);
        g.drawString(text, (float) x, (float) y);
    }

    /** Text centred on x, with its baseline at y. */
    void centred(String text, Font font, double x, double y) {
        g.setFont(font);
        g.drawString(text, (float) (x - g.getFontMetrics().stringWidth(text) / 2.0), (float) y);
    }

    /** Text whose right end is at x, vertically centred on y. */
    void rightAligned(String text, Font font, double x, double y) {
        g.setFont(font);
        FontMetrics metrics = g.getFontMetrics();
        g.drawString(text, (float) (x - metrics.stringWidth(text)), (float) (y + metrics.getAscent() / 2.0 - 1));
    }

    /** Text turned a quarter left, centred on (x, y): a vertical axis title. */
    void vertical(String text, Font font, double x, double y) {
        Graphics2D turned = (Graphics2D) g.create();
        turned.translate(x, y);
        turned.rotate(-Math.PI / 2);
        turned.setFont(font);
        turned.drawString(text, (float) (-turned.getFontMetrics().stringWidth(text) / 2.0), 0f);
        turned.dispose();
    }

    int textWidth(String text, Font font) {
        return g.getFontMetrics(font).stringWidth(text);
    }

    /** A grey level in [0, 1] (values beyond are clamped) as a colour: 0 black, 1 white. */
    static int grey(double level) {
        int v = (int) Math.round(255 * Math.max(0, Math.min(1, level)));
        return v << 16 | v << 8 | v;
    }

    /** Draws one row of features as a tile at (x, y), each feature mapped to grey by {@code level}. */
    void tile(float[] row, TileShape shape, int x, int y, java.util.function.DoubleUnaryOperator level) {
        int scale = shape.scale();
        for (int r = 0; r < shape.height(); r++) {
            for (int c = 0; c < shape.width(); c++) {
                int rgb = grey(level.applyAsDouble(row[r * shape.width() + c]));
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        image.setRGB(x + c * scale + dx, y + r * scale + dy, rgb);
                    }
                }
            }
        }
        g.setColor(GRID);
        g.drawRect(x - 1, y - 1, shape.pixelWidth() + 1, shape.pixelHeight() + 1);
        g.setColor(INK);
    }

    @Override
    public void close() {
        g.dispose();
    }
}
