package ae.cli.bench;

import ae.cli.json.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the GEMM benchmark's entries from a JMH result file written with {@code -rf json}. */
public final class JmhResults {
    private JmhResults() {
    }

    public static List<GemmResult> read(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    /** {@code source} names the file in error messages. */
    static List<GemmResult> parse(String json, String source) {
        List<GemmResult> results = new ArrayList<>();
        if (!(Json.parse(json) instanceof List<?> entries)) {
            throw new IllegalArgumentException(source + ": a JMH result file holds a JSON array");
        }
        for (Object entry : entries) {
            results.add(toResult(asObject(entry, "benchmark entry", source), source));
        }
        return results;
    }

    private static GemmResult toResult(Map<?, ?> entry, String source) {
        String benchmark = asString(entry.get("benchmark"), "benchmark", source);
        String implementation = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        // JMH's own "threads" field counts benchmark threads (always 1 here); ours is the "threads" parameter.
        Map<?, ?> params = asObject(entry.get("params"), "params of " + benchmark, source);
        GemmShape shape = GemmShape.parse(asString(params.get("shape"), "shape parameter", source));
        int threads = Integer.parseInt(asString(params.get("threads"), "threads parameter", source));
        Map<?, ?> metric = asObject(entry.get("primaryMetric"), "primaryMetric of " + benchmark, source);
        if (!(metric.get("score") instanceof BigDecimal score)) {
            throw new IllegalArgumentException(source + ": " + benchmark + " has no numeric score");
        }
        String unit = asString(metric.get("scoreUnit"), "scoreUnit", source);
        // JMH writes "NaN" (a string) when it had too few iterations for a confidence interval.
        double relativeError = metric.get("scoreError") instanceof BigDecimal error
                ? error.doubleValue() / score.doubleValue() : Double.NaN;
        return GemmResult.fromSecondsPerProduct(shape, threads, implementation,
                secondsPerOperation(score.doubleValue(), unit), relativeError);
    }

    /** Converts a JMH score to seconds per operation: average-time units ("us/op") or throughput ("ops/s"). */
    static double secondsPerOperation(double score, String unit) {
        int slash = unit.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("unknown JMH score unit '" + unit + "'");
        }
        String numerator = unit.substring(0, slash);
        String denominator = unit.substring(slash + 1);
        if (denominator.equals("op")) {
            return score * secondsPer(numerator, unit);
        }
        if (numerator.equals("ops")) {
            return secondsPer(denominator, unit) / score;
        }
        throw new IllegalArgumentException("unknown JMH score unit '" + unit + "'");
    }

    private static double secondsPer(String timeUnit, String unit) {
        return switch (timeUnit) {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            case "hr" -> 3600;
            default -> throw new IllegalArgumentException("unknown time unit in JMH score unit '" + unit + "'");
        };
    }

    private static Map<?, ?> asObject(Object value, String what, String source) {
        if (value instanceof Map<?, ?> object) {
            return object;
        }
        throw new IllegalArgumentException(source + ": " + what + " is not a JSON object");
    }

    private static String asString(Object value, String what, String source) {
        if (value instanceof String text) {
            return text;
        }
        throw new IllegalArgumentException(source + ": " + what + " is not a JSON string");
    }
}
