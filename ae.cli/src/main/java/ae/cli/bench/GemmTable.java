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
        Map<Row, Map<String, Double>> rows = new LinkedHashMap<>();
        for (GemmResult result : results) {
            rows.computeIfAbsent(new Row(result.shape(), result.threads()), row -> new LinkedHashMap<>())
                    .put(result.implementation(), result.gflops());
        }
        boolean ratio = implementations.contains("ae") && implementations.contains("openblas");
        List<String> header = new ArrayList<>(List.of("shape (MxKxN)", "threads"));
        implementations.forEach(header::add);
        if (ratio) {
            header.add("ae/openblas");
        }
        List<List<String>> cells = new ArrayList<>();
        for (Map.Entry<Row, Map<String, Double>> row : rows.entrySet()) {
            List<String> line = new ArrayList<>(List.of(row.getKey().shape().toString(),
                    Integer.toString(row.getKey().threads())));
            Map<String, Double> speeds = row.getValue();
            for (String implementation : implementations) {
                line.add(number(speeds.get(implementation), 1));
            }
            if (ratio) {
                Double ours = speeds.get("ae");
                Double theirs = speeds.get("openblas");
                line.add(ours == null || theirs == null ? "-" : number(ours / theirs, 2));
            }
            cells.add(line);
        }
        return render(header, cells);
    }

    private static String number(Double value, int decimals) {
        return value == null ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
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
        for (int column = 0; column < cells.size(); column++) {
            String cell = Objects.requireNonNull(cells.get(column));
            String padding = " ".repeat(widths[column] - cell.length());
            if (column == 0) {
                text.append(cell).append(padding);
            } else {
                text.append("  ").append(padding).append(cell);
            }
        }
        text.append('\n');
    }
}
