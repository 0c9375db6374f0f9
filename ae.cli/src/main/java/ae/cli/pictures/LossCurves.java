package ae.cli.pictures;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** Loss per epoch: one line with markers per series, on axes with epoch ticks and round loss ticks. */
public final class LossCurves {
    public static final int WIDTH = 760;
    public static final int HEIGHT = 460;

    /** One named line; NaN values (an epoch without that loss) are left out. */
    public record Series(String name, double[] values) {
    }

    private LossCurves() {
    }

    public static BufferedImage draw(String title, String yTitle, List<Series> series) {
        return draw(title, "epoch", yTitle, series);
    }

    /** Series over a count from 1 (epochs, ranks) named {@code xTitle}. */
    public static BufferedImage draw(String title, String xTitle, String yTitle, List<Series> series) {
        int epochs = 0;
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        List<Series> shown = new ArrayList<>();
        for (Series s : series) {
            boolean any = false;
            for (double v : s.values()) {
                if (Double.isFinite(v)) {
                    low = Math.min(low, v);
                    high = Math.max(high, v);
                    any = true;
                }
            }
            if (any) {
                shown.add(s);
                epochs = Math.max(epochs, s.values().length);
            }
        }
        if (shown.isEmpty()) {
            low = 0;
            high = 1;
        }
        Rectangle2D area = new Rectangle2D.Double(86, 44, WIDTH - 86 - 24, HEIGHT - 44 - 64);
        // Epochs count from 1; an axis starting at 0 would only show an epoch that never ran.
        // Inset from the frame, so that the markers of the first and last epochs are drawn whole.
        Axis x = Axis.covering(1, Math.max(2, epochs), Math.min(11, Math.max(2, epochs)), true, area.getMinX() + 14,
                area.getMaxX() - 14).startingAtLeast(1);
        Axis y = Axis.covering(low - (high - low) * 0.05, high + (high - low) * 0.05, 7, false, area.getMaxY(),
                area.getMinY());
        try (Canvas canvas = new Canvas(WIDTH, HEIGHT)) {
            Frame.draw(canvas, area, x, y, title, xTitle, yTitle);
            var clip = Frame.clipTo(canvas, area);
            for (int i = 0; i < shown.size(); i++) {
                drawSeries(canvas, shown.get(i).values(), x, y, Frame.PALETTE[i % Frame.PALETTE.length]);
            }
            canvas.g.setClip(clip);
            legend(canvas, shown, area);
            return canvas.image;
        }
    }

    private static void drawSeries(Canvas canvas, double[] values, Axis x, Axis y, Color colour) {
        var g = canvas.g;
        g.setColor(colour);
        g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D line = new Path2D.Double();
        boolean started = false;
        for (int e = 0; e < values.length; e++) {
            if (!Double.isFinite(values[e])) {
                started = false;
                continue;
            }
            double px = x.pixel(e + 1);
            double py = y.pixel(values[e]);
            if (started) {
                line.lineTo(px, py);
            } else {
                line.moveTo(px, py);
                started = true;
            }
        }
        g.draw(line);
        double radius = values.length > 60 ? 1.5 : 3.5;
        for (int e = 0; e < values.length; e++) {
            if (Double.isFinite(values[e])) {
                g.fill(new Ellipse2D.Double(x.pixel(e + 1) - radius, y.pixel(values[e]) - radius, 2 * radius,
                        2 * radius));
            }
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static void legend(Canvas canvas, List<Series> shown, Rectangle2D area) {
        int width = 0;
        for (Series s : shown) {
            width = Math.max(width, canvas.textWidth(s.name(), Canvas.LABEL));
        }
        double boxWidth = width + 46;
        double boxHeight = 10 + 20 * shown.size();
        double left = area.getMaxX() - boxWidth - 10;
        double top = area.getMinY() + 10;
        var g = canvas.g;
        g.setColor(new Color(255, 255, 255, 230));
        g.fill(new Rectangle2D.Double(left, top, boxWidth, boxHeight));
        g.setColor(Canvas.GRID.darker());
        g.draw(new Rectangle2D.Double(left, top, boxWidth, boxHeight));
        for (int i = 0; i < shown.size(); i++) {
            double rowY = top + 15 + 20 * i;
            g.setColor(Frame.PALETTE[i % Frame.PALETTE.length]);
            g.setStroke(new BasicStroke(2.2f));
            g.draw(new java.awt.geom.Line2D.Double(left + 8, rowY, left + 30, rowY));
            g.fill(new Ellipse2D.Double(left + 19 - 3.5, rowY - 3.5, 7, 7));
            g.setStroke(new BasicStroke(1f));
            g.setColor(Canvas.INK);
            canvas.text(shown.get(i).name(), Canvas.LABEL, left + 38, rowY + 5);
        }
    }
}
