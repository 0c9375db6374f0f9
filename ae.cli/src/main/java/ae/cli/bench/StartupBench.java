package ae.cli.bench;

import ae.cli.json.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The arithmetic of {@code ae bench startup}, apart from the processes it starts: reading the per-epoch lines a
 * run prints, medians over runs, and the table and JSON of the comparison.
 */
final class StartupBench {
    private StartupBench() {
    }

    /** One whole process: wall time from start to exit, its peak resident set, and its epochs' samples/s. */
    record Run(double wallSeconds, long peakRssKib, double[] samplesPerSecond) {
    }

    /**
     * The medians over the runs of one implementation, and the fastest and slowest wall time; NaN where nothing was
     * measured.
     */
    record Summary(String impl, int runs, double wallSeconds, double fastestWallSeconds, double slowestWallSeconds,
                   double firstEpochSamplesPerSecond, double steadySamplesPerSecond, double peakRssMib) {
        double firstOverSteady() {
            return firstEpochSamplesPerSecond / steadySamplesPerSecond;
        }
    }

    /**
     * The {@code samples_per_s} of each line of {@code output} that is a JSON object holding it (the epoch lines of
     * {@code ae train --json} and of {@code ae.bench/pytorch/startup.py}), in order; other lines are skipped.
     */
    static double[] samplesPerSecond(String output) {
        List<Double> rates = new ArrayList<>();
        for (String line : output.split("\n")) {
            String trimmed = line.trim();
            if (!trimmed.startsWith("{")) {
                continue;
            }
            Object parsed;
            try {
                parsed = Json.parse(trimmed);
            } catch (RuntimeException notJson) {
                continue;
            }
            if (parsed instanceof Map<?, ?> object && object.get("samples_per_s") instanceof Number rate) {
                rates.add(rate.doubleValue());
            }
        }
        return rates.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The median, the mean of the middle two for an even count; NaN for none. */
    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /**
     * Medians of {@code jobs} (the timed job: wall time, peak RSS, first epoch) and of {@code steadyRuns} (longer
     * runs whose last epoch gives the steady samples/s).
     */
    static Summary summarize(String impl, List<Run> jobs, List<Run> steadyRuns) {
        double[] walls = jobs.stream().mapToDouble(Run::wallSeconds).toArray();
        return new Summary(impl, jobs.size(), median(walls),
                Arrays.stream(walls).min().orElse(Double.NaN), Arrays.stream(walls).max().orElse(Double.NaN),
                median(jobs.stream().filter(r -> r.samplesPerSecond().length > 0)
                        .mapToDouble(r -> r.samplesPerSecond()[0]).toArray()),
                median(steadyRuns.stream().filter(r -> r.samplesPerSecond().length > 0)
                        .mapToDouble(r -> r.samplesPerSecond()[r.samplesPerSecond().length - 1]).toArray()),
                median(jobs.stream().mapToDouble(r -> r.peakRssKib() / 1024.0).toArray()));
    }

    /**
     * ae's wall time over PyTorch's run by run: the runs are interleaved (ae, PyTorch, ae, ...), so each pair saw
     * nearly the same machine, and the spread of these ratios says how much the load moved the comparison.
     */
    record PairedWall(double median, double lowest, double highest) {
        static PairedWall of(List<Run> ae, List<Run> pytorch) {
            int pairs = Math.min(ae.size(), pytorch.size());
            double[] ratios = new double[pairs];
            for (int i = 0; i < pairs; i++) {
                ratios[i] = ae.get(i).wallSeconds() / pytorch.get(i).wallSeconds();
            }
            return new PairedWall(StartupBench.median(ratios), Arrays.stream(ratios).min().orElse(Double.NaN),
                    Arrays.stream(ratios).max().orElse(Double.NaN));
        }
    }

    /**
     * The table: a row per figure, a column per implementation, and ae's over PyTorch's when both ran (then
     * {@code paired} is not null, and a last line gives the wall-time ratios of the interleaved pairs).
     */
    static String table(Summary ae, Summary pytorch, PairedWall paired) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-26s %12s", "median of " + ae.runs() + " runs", ae.impl()));
        if (pytorch != null) {
            out.append(String.format(Locale.ROOT, " %12s %12s", pytorch.impl(), "ae/pytorch"));
        }
        out.append('\n');
        row(out, "wall time (s)", "%12.2f", ae.wallSeconds(), pytorch == null ? null : pytorch.wallSeconds());
        out.append(String.format(Locale.ROOT, "%-26s %12s", "  fastest-slowest", range(ae)));
        if (pytorch != null) {
            out.append(String.format(Locale.ROOT, " %12s", range(pytorch)));
        }
        out.append('\n');
        row(out, "first epoch (samples/s)", "%12.0f", ae.firstEpochSamplesPerSecond(),
                pytorch == null ? null : pytorch.firstEpochSamplesPerSecond());
        row(out, "steady (samples/s)", "%12.0f", ae.steadySamplesPerSecond(),
                pytorch == null ? null : pytorch.steadySamplesPerSecond());
        row(out, "first / steady", "%12.2f", ae.firstOverSteady(), pytorch == null ? null : pytorch.firstOverSteady());
        row(out, "peak RSS (MiB)", "%12.0f", ae.peakRssMib(), pytorch == null ? null : pytorch.peakRssMib());
        if (pytorch != null && paired != null) {
            out.append(String.format(Locale.ROOT, "ae/pytorch wall time run by run (interleaved pairs): median %.2f,"
                    + " %.2f to %.2f%n", paired.median(), paired.lowest(), paired.highest()));
        }
        return out.toString();
    }

    private static String range(Summary s) {
        return String.format(Locale.ROOT, "%.2f-%.2f", s.fastestWallSeconds(), s.slowestWallSeconds());
    }

    private static void row(StringBuilder out, String name, String format, double ae, Double pytorch) {
        out.append(String.format(Locale.ROOT, "%-26s " + format, name, ae));
        if (pytorch != null) {
            out.append(String.format(Locale.ROOT, " " + format + " %12.2f", pytorch, ae / pytorch));
        }
        out.append('\n');
    }

    /**
     * One JSON object per implementation, and one of the ratios ae/pytorch when both ran (then {@code paired} is
     * not null).
     */
    static List<String> json(Summary ae, Summary pytorch, PairedWall paired, Map<String, Object> job) {
        List<String> lines = new ArrayList<>();
        lines.add(Json.write(object(ae, job)));
        if (pytorch != null) {
            lines.add(Json.write(object(pytorch, job)));
            Map<String, Object> ratios = new LinkedHashMap<>(job);
            ratios.put("impl", "ae/pytorch");
            ratios.put("wall_s", ae.wallSeconds() / pytorch.wallSeconds());
            if (paired != null) {
                ratios.put("wall_s_paired_median", paired.median());
                ratios.put("wall_s_paired_min", paired.lowest());
                ratios.put("wall_s_paired_max", paired.highest());
            }
            ratios.put("first_epoch_samples_per_s", ae.firstEpochSamplesPerSecond()
                    / pytorch.firstEpochSamplesPerSecond());
            ratios.put("steady_samples_per_s", ae.steadySamplesPerSecond() / pytorch.steadySamplesPerSecond());
            ratios.put("peak_rss_mib", ae.peakRssMib() / pytorch.peakRssMib());
            lines.add(Json.write(ratios));
        }
        return lines;
    }

    private static Map<String, Object> object(Summary s, Map<String, Object> job) {
        Map<String, Object> line = new LinkedHashMap<>(job);
        line.put("impl", s.impl());
        line.put("runs", s.runs());
        line.put("wall_s", s.wallSeconds());
        line.put("wall_s_min", s.fastestWallSeconds());
        line.put("wall_s_max", s.slowestWallSeconds());
        line.put("first_epoch_samples_per_s", s.firstEpochSamplesPerSecond());
        line.put("steady_samples_per_s", s.steadySamplesPerSecond());
        line.put("first_over_steady", s.firstOverSteady());
        line.put("peak_rss_mib", s.peakRssMib());
        return line;
    }
}
