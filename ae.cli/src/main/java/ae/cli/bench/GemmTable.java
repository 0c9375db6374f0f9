package ae.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The human-readable comparison: one row per shape and thread count, GFLOP/s of each implementation side by side,
 * and ae's speed relative to OpenBLAS measured in the same run.
 */
public final class GemmTable {
    private GemmTable() {
    }

    private record Row(GemmShape shape, int threads) {
    }

    /** Rows keep the order of first appearance; columns are the implementations in the order given. */
    public static String format(List<GemmResult> results, List<String> implementations) {
        Map<Row, Map<String, GemmResult>> rows = new LinkedHashMap<>();
        for (GemmResult result : results) {
            rows.computeIfAbsent(new Row(result.shape(), result.threads()), row -> new LinkedHashMap<>())
                    .put(result.implementation(), result);
        }
        boolean ratio = implementations.contains("ae") && implementations.contains("openblas");
        List<String> header = new ArrayList<>(List.of("shape (MxKxN)", "threads"));
        implementations.forEach(header::add);
        if (ratio) {
            header.add("ae/openblas");
        }
        List<List<String>> cells = new ArrayList<>();
        boolean anyUnsteady = false;
        for (Map.Entry<Row, Map<String, GemmResult>> row : rows.entrySet()) {
            List<String> line = new ArrayList<>(List.of(row.getKey().shape().toString(),
                    Integer.toString(row.getKey().threads())));
            Map<String, GemmResult> speeds = row.getValue();
            for (String implementation : implementations) {
                GemmResult result = speeds.get(implementation);
                line.add(result == null ? "- " : number(result.gflops(), 1) + (result.unsteady() ? "*" : " "));
                anyUnsteady |= result != null && result.unsteady();
            }
            if (ratio) {
                GemmResult ours = speeds.get("ae");
                GemmResult theirs = speeds.get("openblas");
                line.add(ours == null || theirs == null ? "-" : number(ours.gflops() / theirs.gflops(), 2));
            }
            cells.add(line);
        }
        String table = render(header, cells);
        if (anyUnsteady) {
            table += String.format(Locale.ROOT, "* unsteady: JMH's 99.9%% confidence interval is wider than +-%.0f%%"
                    + " (a busy machine, or a kernel still warming up)%n", GemmResult.UNSTEADY * 100);
        }
        return table;
    }

    private static String number(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String render(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        for (int column = 0; column < widths.length; column++) {
            widths[column] = header.get(column).length();
            for (List<String> row : rows) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        StringBuilder text = new StringBuilder();
        appendLine(text, header, widths);
        for (List<String> row : rows) {
            appendLine(text, row, widths);
        }
        return text.toString();
    }

    /** The shape column is left-aligned, the numbers right-aligned. */
    private static void appendLine(StringBuilder text, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int column = 0; column < cells.size(); column++) {
            String cell = Objects.requireNonNull(cells.get(column));
            String padding = " ".repeat(widths[column] - cell.length());
            if (column == 0) {
                line.append(cell).append(padding);
            } else {
                line.append("  ").append(padding).append(cell);
            }
        }
        text.append(line.toString().stripTrailing()).append('\n');
    }
}
