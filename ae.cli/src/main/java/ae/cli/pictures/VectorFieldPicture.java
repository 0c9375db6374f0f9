package ae.cli.pictures;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/**
 * The seed's picture of a denoising autoencoder's vector field (14.5.1): the 2-D data as grey points, r(x) - x as
 * arrows on a grid (drawn to scale, so that an arrow ends at r(x)), and paths of the chain the model defines
 * (corrupt, reconstruct, repeat) from a few starting points.
 */
public final class VectorFieldPicture {
    private static final int PLOT = 600;
    private static final Color ARROW = new Color(0x1f, 0x5f, 0xbf);
    private static final Color CHAIN = new Color(0xd6, 0x3a, 0x1f);

    private VectorFieldPicture() {
    }

    /**
     * @param data the data points, {@code [n][2]}
     * @param at where the arrows start, {@code [m][2]}
     * @param field r(x) - x at each of {@code at}, {@code [m][2]}
     * @param chains paths of the chain, {@code [c][steps][2]}
     */
    public static BufferedImage draw(String title, double[][] data, double[][] at, double[][] field,
                                     double[][][] chains) {
        double lowX = Double.POSITIVE_INFINITY;
        double highX = Double.NEGATIVE_INFINITY;
        double lowY = Double.POSITIVE_INFINITY;
        double highY = Double.NEGATIVE_INFINITY;
        for (double[][] set : new double[][][] {data, at}) {
            for (double[] p : set) {
                lowX = Math.min(lowX, p[0]);
                highX = Math.max(highX, p[0]);
                lowY = Math.min(lowY, p[1]);
                highY = Math.max(highY, p[1]);
            }
        }
        Rectangle2D area = new Rectangle2D.Double(86, 44, PLOT, PLOT);
        Axis x = Axis.covering(lowX, highX, 7, false, area.getMinX(), area.getMaxX());
        Axis y = Axis.covering(lowY, highY, 7, false, area.getMaxY(), area.getMinY());
        try (Canvas canvas = new Canvas(86 + PLOT + 40, 44 + PLOT + 60)) {
            Frame.draw(canvas, area, x, y, title, "x1", "x2");
            var clip = Frame.clipTo(canvas, area);
            canvas.g.setColor(new Color(0x99, 0x99, 0x99, 140));
            for (double[] p : data) {
                canvas.g.fill(new Ellipse2D.Double(x.pixel(p[0]) - 1.6, y.pixel(p[1]) - 1.6, 3.2, 3.2));
            }
            canvas.g.setColor(ARROW);
            canvas.g.setStroke(new BasicStroke(1.3f));
            for (int i = 0; i < at.length; i++) {
                arrow(canvas, x.pixel(at[i][0]), y.pixel(at[i][1]), x.pixel(at[i][0] + field[i][0]),
                        y.pixel(at[i][1] + field[i][1]));
            }
            canvas.g.setColor(CHAIN);
            canvas.g.setStroke(new BasicStroke(1.6f));
            for (double[][] chain : chains) {
                Path2D path = new Path2D.Double();
                path.moveTo(x.pixel(chain[0][0]), y.pixel(chain[0][1]));
                for (int s = 1; s < chain.length; s++) {
                    path.lineTo(x.pixel(chain[s][0]), y.pixel(chain[s][1]));
                }
                canvas.g.draw(path);
                canvas.g.fill(new Ellipse2D.Double(x.pixel(chain[0][0]) - 3.5, y.pixel(chain[0][1]) - 3.5, 7, 7));
            }
            canvas.g.setClip(clip);
            canvas.g.setColor(Canvas.INK);
            canvas.text("arrows: r(x) - x to scale; red: the chain x <- r(x + noise) from each dot", Canvas.SMALL,
                    area.getMinX(), area.getMaxY() + 50);
            return canvas.image;
        }
    }

    private static void arrow(Canvas canvas, double x0, double y0, double x1, double y1) {
        double dx = x1 - x0;
        double dy = y1 - y0;
        double length = Math.hypot(dx, dy);
        canvas.g.draw(new Line2D.Double(x0, y0, x1, y1));
        if (length < 2) {
            return;
        }
        double head = Math.min(6, 0.4 * length);
        double ux = dx / length;
        double uy = dy / length;
        Path2D tip = new Path2D.Double();
        tip.moveTo(x1, y1);
        tip.lineTo(x1 - head * ux + 0.5 * head * uy, y1 - head * uy - 0.5 * head * ux);
        tip.lineTo(x1 - head * ux - 0.5 * head * uy, y1 - head * uy + 0.5 * head * ux);
        tip.closePath();
        canvas.g.fill(tip);
    }
}
