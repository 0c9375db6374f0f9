package ae.cli.bench;

import ae.cli.json.Json;
import java.util.Locale;

/** The measured speed of one implementation on one shape at one thread count. */
public record GemmResult(GemmShape shape, int threads, String implementation, double gflops) {

    /** Throughput from the mean time of one product. */
    public static GemmResult fromSecondsPerProduct(GemmShape shape, int threads, String implementation, double seconds) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("time per product must be positive, got " + seconds + " s");
        }
        return new GemmResult(shape, threads, implementation, shape.flops() / seconds / 1e9);
    }

    /** One line of {@code --json} output: {@code {"shape":"128x784x256","threads":1,"impl":"ae","gflops":123.45}}. */
    public String toJsonLine() {
        return "{\"shape\":" + Json.quote(shape.toString()) + ",\"threads\":" + threads + ",\"impl\":"
                + Json.quote(implementation) + ",\"gflops\":" + String.format(Locale.ROOT, "%.2f", gflops) + "}";
    }
}
