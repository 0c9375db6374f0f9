package ae.data;

import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reader for numeric CSV files (UTF-8): one example per line, every cell a decimal number, optionally a header line
 * and one integer label column.
 *
 * <p>Cells may be double-quoted ({@code ""} inside quotes is a quote); surrounding spaces are ignored; blank lines
 * are skipped; {@code \n} and {@code \r\n} both end a line. A cell must be a plain decimal number
 * ({@code -1.5}, {@code 2e-3}): names such as {@code NaN} or {@code Infinity}, hex floats and Java's {@code f}/{@code d}
 * suffixes are rejected, as are values beyond float32's range. Every row must have as many cells as the first.
 * Any violation is a {@link MalformedDataException} naming the file, the line and the column.
 *
 * <p>Memory grows with the rows actually read, so no line of the file can make the reader allocate more than a
 * small multiple of the file's own size.
 */
public final class CsvFiles {
    private CsvFiles() {
    }

    /**
     * Reads a CSV file as a dataset named {@code name}, with the delimiter, header and label column of
     * {@code options}.
     *
     * @throws MalformedDataException with the file, line and field of the first bad cell or row
     * @throws IOException if the file cannot be read
     */
    public static Dataset read(Path file, CsvOptions options, String name) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder),
                1 << 16)) {
            return new Parser(file.toString(), options).parse(reader, name);
        }
    }

    private static final class Parser {
        private final String source;
        private final CsvOptions options;
        private final List<String> cells = new ArrayList<>();
        private final StringBuilder cell = new StringBuilder();
        private String[] columnNames;
        private int labelColumn = -1;
        private int columns = -1;
        private float[] values = new float[1024];
        private int valueCount;
        private int[] labels = new int[256];
        private int rows;
        private long lineNumber;

        Parser(String source, CsvOptions options) {
            this.source = source;
            this.options = options;
        }

        Dataset parse(BufferedReader reader, String name) throws IOException {
            String line;
            boolean headerPending = options.header();
            while ((line = readLine(reader)) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                split(line);
                if (headerPending) {
                    headerPending = false;
                    acceptHeader();
                    continue;
                }
                if (columns < 0) {
                    acceptShape(cells.size());
                }
                if (cells.size() != columns) {
                    throw MalformedDataException.atLine(source, lineNumber, "row",
                            "has " + cells.size() + " cells but the " + (columnNames != null ? "header has " : "first row has ")
                                    + columns + ": ragged rows");
                }
                addRow();
            }
            if (rows == 0) {
                throw MalformedDataException.atLine(source, Math.max(lineNumber, 1), "rows", "the file has no data rows");
            }
            int d = columns - (labelColumn >= 0 ? 1 : 0);
            TensorScope scope = TensorScope.open(name);
            try {
                Tensor features = FeatureAllocation.allocate(scope, rows, d);
                MemorySegment.copy(values, 0, features.segment(), ValueLayout.JAVA_FLOAT_UNALIGNED,
                        features.offset() * Float.BYTES, valueCount);
                return Dataset.owning(name, scope, features, labelColumn >= 0 ? Arrays.copyOf(labels, rows) : null);
            } catch (RuntimeException e) {
                scope.close();
                throw e;
            }
        }

        private String readLine(BufferedReader reader) throws IOException {
            try {
                return reader.readLine();
            } catch (CharacterCodingException e) {
                throw MalformedDataException.atLine(source, lineNumber + 1, "text", "not valid UTF-8");
            }
        }

        private void acceptHeader() throws MalformedDataException {
            columnNames = cells.toArray(new String[0]);
            if (options.labelName() != null) {
                labelColumn = Arrays.asList(columnNames).indexOf(options.labelName());
                if (labelColumn < 0) {
                    throw MalformedDataException.atLine(source, lineNumber, "header",
                            "no column named '" + options.labelName() + "' for the labels");
                }
            }
            acceptShape(columnNames.length);
        }

        private void acceptShape(int cellCount) throws MalformedDataException {
            columns = cellCount;
            if (options.labelIndex() >= 0) {
                labelColumn = options.labelIndex();
            }
            if (labelColumn >= columns) {
                throw MalformedDataException.atLine(source, lineNumber, "column " + (labelColumn + 1),
                        "label column " + labelColumn + " (zero-based) is past the " + columns + " columns");
            }
            if (columns - (labelColumn >= 0 ? 1 : 0) < 1) {
                throw MalformedDataException.atLine(source, lineNumber, "row", "no feature columns");
            }
        }

        private String columnName(int column) {
            String base = "column " + (column + 1);
            return columnNames != null ? base + " '" + columnNames[column] + "'" : base;
        }

        private void addRow() throws MalformedDataException {
            int d = columns - (labelColumn >= 0 ? 1 : 0);
            if (valueCount + d > values.length) {
                long grown = Math.max((long) values.length * 2, (long) valueCount + d);
                if (grown > Integer.MAX_VALUE - 8) {
                    throw MalformedDataException.atLine(source, lineNumber, "rows",
                            "more than " + (Integer.MAX_VALUE - 8) + " values do not fit one dataset");
                }
                values = Arrays.copyOf(values, (int) grown);
            }
            if (rows == labels.length && labelColumn >= 0) {
                labels = Arrays.copyOf(labels, labels.length * 2);
            }
            for (int c = 0; c < columns; c++) {
                String text = cells.get(c);
                if (c == labelColumn) {
                    labels[rows] = parseLabel(text, c);
                } else {
                    values[valueCount++] = parseValue(text, c);
                }
            }
            rows++;
        }

        private int parseLabel(String text, int column) throws MalformedDataException {
            if (text.isEmpty()) {
                throw MalformedDataException.atLine(source, lineNumber, columnName(column), "empty label");
            }
            for (int i = 0; i < text.length(); i++) {
                char ch = text.charAt(i);
                if (!(ch >= '0' && ch <= '9') && !(i == 0 && (ch == '-' || ch == '+') && text.length() > 1)) {
                    throw MalformedDataException.atLine(source, lineNumber, columnName(column),
                            "label '" + text + "' is not an integer");
                }
            }
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw MalformedDataException.atLine(source, lineNumber, columnName(column),
                        "label '" + text + "' does not fit an int");
            }
        }

        private float parseValue(String text, int column) throws MalformedDataException {
            if (!isPlainDecimal(text)) {
                String what = text.isEmpty() ? "empty cell" : "'" + abbreviate(text) + "' is not a number";
                if (text.equalsIgnoreCase("nan") || text.toLowerCase(java.util.Locale.ROOT).contains("inf")) {
                    what = "'" + abbreviate(text) + "': NaN and infinities are not allowed";
                }
                throw MalformedDataException.atLine(source, lineNumber, columnName(column), what);
            }
            double v = Double.parseDouble(text);
            float f = (float) v;
            if (!Float.isFinite(f)) {
                throw MalformedDataException.atLine(source, lineNumber, columnName(column),
                        "'" + abbreviate(text) + "' is beyond float32's range");
            }
            return f;
        }

        private static String abbreviate(String text) {
            return text.length() <= 40 ? text : text.substring(0, 40) + "...";
        }

        /** Sign, digits with at most one point, then an optional exponent: what every CSV writer emits. */
        static boolean isPlainDecimal(String s) {
            int i = 0;
            int n = s.length();
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int digits = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                digits++;
            }
            if (i < n && s.charAt(i) == '.') {
                i++;
                while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                    i++;
                    digits++;
                }
            }
            if (digits == 0) {
                return false;
            }
            if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                i++;
                if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                    i++;
                }
                int expDigits = 0;
                while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                    i++;
                    expDigits++;
                }
                if (expDigits == 0) {
                    return false;
                }
            }
            return i == n;
        }

        /** Splits one line into {@link #cells}, unquoting and trimming. */
        private void split(String line) throws MalformedDataException {
            cells.clear();
            char delimiter = options.delimiter();
            int i = 0;
            int n = line.length();
            while (true) {
                cell.setLength(0);
                while (i < n && line.charAt(i) == ' ') {
                    i++;
                }
                if (i < n && line.charAt(i) == '"') {
                    int open = i++;
                    while (true) {
                        if (i >= n) {
                            throw MalformedDataException.atLine(source, lineNumber, "column " + (cells.size() + 1),
                                    "quote opened at character " + (open + 1) + " is never closed");
                        }
                        char ch = line.charAt(i++);
                        if (ch == '"') {
                            if (i < n && line.charAt(i) == '"') {
                                cell.append('"');
                                i++;
                            } else {
                                break;
                            }
                        } else {
                            cell.append(ch);
                        }
                    }
                    while (i < n && line.charAt(i) == ' ') {
                        i++;
                    }
                    if (i < n && line.charAt(i) != delimiter) {
                        throw MalformedDataException.atLine(source, lineNumber, "column " + (cells.size() + 1),
                                "text after a closing quote");
                    }
                    cells.add(cell.toString());
                } else {
                    int start = i;
                    while (i < n && line.charAt(i) != delimiter) {
                        i++;
                    }
                    cells.add(line.substring(start, i).strip());
                }
                if (i >= n) {
                    return;
                }
                i++; // the delimiter
            }
        }
    }
}
