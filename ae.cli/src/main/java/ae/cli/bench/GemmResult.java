package ae.cli.bench;

import ae.cli.json.Json;
import java.util.Locale;

/**
 * The measured speed of one implementation on one shape at one thread count. {@code relativeError} is the half-width
 * of JMH's 99.9% confidence interval over the mean, e.g. 0.05 for +-5%; NaN when JMH had too few iterations for one.
 */
public record GemmResult(GemmShape shape, int threads, String implementation, double gflops, double relativeError) {
    /** Beyond this relative error a figure says more about the machine's load than about the kernel. */
    public static final double UNSTEADY = 0.10;

    public GemmResult(GemmShape shape, int threads, String implementation, double gflops) {
        this(shape, threads, implementation, gflops, Double.NaN);
    }

    /** Throughput from the mean time of one product. */
    public static GemmResult fromSecondsPerProduct(GemmShape shape, int threads, String implementation, double seconds,
                                                   double relativeError) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("time per product must be positive, got " + seconds + " s");
        }
        return new GemmResult(shape, threads, implementation, shape.flops() / seconds / 1e9, relativeError);
    }

    public boolean unsteady() {
        return relativeError > UNSTEADY;
    }

    /** One line of {@code --json} output: {@code {"shape":"128x784x256","threads":1,"impl":"ae","gflops":123.45}}. */
    public String toJsonLine() {
        return "{\"shape\":" + Json.quote(shape.toString()) + ",\"threads\":" + threads + ",\"impl\":"
                + Json.quote(implementation) + ",\"gflops\":" + String.format(Locale.ROOT, "%.2f", gflops) + "}";
    }
}
