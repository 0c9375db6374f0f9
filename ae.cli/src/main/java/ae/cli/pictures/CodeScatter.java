package ae.cli.pictures;

import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.IntFunction;

/** Points in two dimensions coloured by their label, with a legend of the labels' names beside the plot. */
public final class CodeScatter {
    public static final int HEIGHT = 640;
    private static final int PLOT = 540;

    private CodeScatter() {
    }

    /**
     * @param labels one per point, or null to draw every point in one colour
     * @param names the name of each label value, for the legend
     */
    public static BufferedImage draw(String title, String xTitle, String yTitle, double[] xs, double[] ys, int[] labels,
                                     IntFunction<String> names) {
        int[] legendLabels = labels == null ? new int[0] : java.util.Arrays.stream(labels).distinct().sorted().toArray();
        int legendWidth = 0;
        int titleWidth;
        try (Canvas measure = new Canvas(1, 1)) {
            for (int label : legendLabels) {
                legendWidth = Math.max(legendWidth, measure.textWidth(names.apply(label), Canvas.LABEL));
            }
            titleWidth = measure.textWidth(title, Canvas.TITLE);
        }
        int width = Math.max(86 + PLOT + 30 + (legendLabels.length == 0 ? 0 : legendWidth + 40), titleWidth + 32);
        Rectangle2D area = new Rectangle2D.Double(86, 44, PLOT, PLOT);
        Axis x = Axis.covering(min(xs), max(xs), 7, false, area.getMinX(), area.getMaxX());
        Axis y = Axis.covering(min(ys), max(ys), 7, false, area.getMaxY(), area.getMinY());
        try (Canvas canvas = new Canvas(width, HEIGHT)) {
            Frame.draw(canvas, area, x, y, title, xTitle, yTitle);
            var clip = Frame.clipTo(canvas, area);
            double radius = xs.length > 3000 ? 1.8 : 2.6;
            for (int i = 0; i < xs.length; i++) {
                Color colour = labels == null ? Frame.PALETTE[0] : colour(labels[i]);
                canvas.g.setColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 190));
                canvas.g.fill(new Ellipse2D.Double(x.pixel(xs[i]) - radius, y.pixel(ys[i]) - radius, 2 * radius,
                        2 * radius));
            }
            canvas.g.setClip(clip);
            double left = area.getMaxX() + 24;
            for (int i = 0; i < legendLabels.length; i++) {
                double rowY = area.getMinY() + 14 + 22 * i;
                canvas.g.setColor(colour(legendLabels[i]));
                canvas.g.fill(new Ellipse2D.Double(left, rowY - 6, 12, 12));
                canvas.g.setColor(Canvas.INK);
                canvas.text(names.apply(legendLabels[i]), Canvas.LABEL, left + 20, rowY + 5);
            }
            return canvas.image;
        }
    }

    private static Color colour(int label) {
        return Frame.PALETTE[Math.floorMod(label, Frame.PALETTE.length)];
    }

    private static double min(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
        }
        return values.length == 0 ? 0 : min;
    }

    private static double max(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        return values.length == 0 ? 1 : max;
    }

    /** The names of label values 0, 1, ...; others by number. */
    public static IntFunction<String> names(List<String> classNames) {
        return label -> label >= 0 && label < classNames.size() ? classNames.get(label) : "class " + label;
    }
}
