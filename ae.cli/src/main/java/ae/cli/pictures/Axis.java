package ae.cli.pictures;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One axis of a chart: a data range widened to round tick values (1, 2 or 5 times a power of ten), so ticks fall on
 * numbers people read at a glance, and the mapping from data values to pixels.
 */
final class Axis {
    final double min;
    final double max;
    final double step;
    private final double pixelFrom;
    private final double pixelTo;

    private Axis(double min, double max, double step, double pixelFrom, double pixelTo) {
        this.min = min;
        this.max = max;
        this.step = step;
        this.pixelFrom = pixelFrom;
        this.pixelTo = pixelTo;
    }

    /**
     * An axis covering [{@code low}, {@code high}] with about {@code ticks} ticks, drawn from pixel {@code pixelFrom}
     * (at the minimum) to {@code pixelTo} (at the maximum); {@code integers} keeps ticks on whole numbers.
     */
    static Axis covering(double low, double high, int ticks, boolean integers, double pixelFrom, double pixelTo) {
        if (!(high > low)) {
            double pad = low == 0 ? 1 : Math.abs(low) * 0.1;
            low -= pad;
            high += pad;
        }
        double step = niceStep((high - low) / Math.max(1, ticks - 1));
        if (integers) {
            step = Math.max(1, Math.round(step));
        }
        double min = Math.floor(low / step) * step;
        double max = Math.ceil(high / step) * step;
        return new Axis(min, max, step, pixelFrom, pixelTo);
    }

    /** This axis with its minimum raised to {@code floor} if below it; ticks stay on multiples of the step. */
    Axis startingAtLeast(double floor) {
        return min >= floor ? this : new Axis(floor, max, step, pixelFrom, pixelTo);
    }

    private static double niceStep(double rough) {
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        double fraction = rough / power;
        double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * power;
    }

    double pixel(double value) {
        return pixelFrom + (value - min) / (max - min) * (pixelTo - pixelFrom);
    }

    /** The multiples of the step within the axis, and its minimum when that is not one. */
    List<Double> ticks() {
        List<Double> ticks = new ArrayList<>();
        long first = (long) Math.ceil(min / step - 1e-9);
        long last = (long) Math.floor(max / step + 1e-9);
        if (Math.abs(first * step - min) > step * 1e-9) {
            ticks.add(min);
        }
        for (long i = first; i <= last; i++) {
            ticks.add(i * step);
        }
        return ticks;
    }

    /** A tick's label with as many decimals as the step needs, and no more. */
    String label(double value) {
        double magnitude = Math.max(Math.abs(min), Math.abs(max));
        if (magnitude >= 1e6 || (magnitude < 1e-3 && magnitude > 0)) {
            return String.format(Locale.ROOT, "%.1e", value);
        }
        int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(value) < step / 2 ? 0.0 : value);
    }
}
