package ae.cli.pictures;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Shape;
import java.awt.geom.Rectangle2D;

/** The frame of a chart: plot area, light grid lines at the ticks, tick marks and labels, axis titles, a title. */
final class Frame {
    private Frame() {
    }

    static void draw(Canvas canvas, Rectangle2D area, Axis x, Axis y, String title, String xTitle, String yTitle) {
        var g = canvas.g;
        g.setStroke(new BasicStroke(1f));
        for (double tick : x.ticks()) {
            double px = x.pixel(tick);
            g.setColor(Canvas.GRID);
            g.draw(new java.awt.geom.Line2D.Double(px, area.getMinY(), px, area.getMaxY()));
            g.setColor(Canvas.INK);
            g.draw(new java.awt.geom.Line2D.Double(px, area.getMaxY(), px, area.getMaxY() + 5));
            canvas.centred(x.label(tick), Canvas.SMALL, px, area.getMaxY() + 18);
        }
        for (double tick : y.ticks()) {
            double py = y.pixel(tick);
            g.setColor(Canvas.GRID);
            g.draw(new java.awt.geom.Line2D.Double(area.getMinX(), py, area.getMaxX(), py));
            g.setColor(Canvas.INK);
            g.draw(new java.awt.geom.Line2D.Double(area.getMinX() - 5, py, area.getMinX(), py));
            canvas.rightAligned(y.label(tick), Canvas.SMALL, area.getMinX() - 8, py);
        }
        g.setColor(Canvas.INK);
        g.draw(area);
        canvas.centred(title, Canvas.TITLE, canvas.image.getWidth() / 2.0, 24);
        canvas.centred(xTitle, Canvas.LABEL, area.getCenterX(), area.getMaxY() + 40);
        canvas.vertical(yTitle, Canvas.LABEL, 18, area.getCenterY());
    }

    /** Restricts drawing to the plot area, so that nothing spills over the axes. */
    static Shape clipTo(Canvas canvas, Rectangle2D area) {
        Shape before = canvas.g.getClip();
        canvas.g.clip(area);
        return before;
    }

    /** Ten colours that stay apart from each other, also for the common forms of colour blindness (Tableau 10). */
    static final Color[] PALETTE = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
        new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0x79706E)
    };
}
