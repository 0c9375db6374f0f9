package ae.data;

/**
 * How to read a CSV file: the delimiter, whether the first line is a header, and which column (if any) holds
 * integer labels, chosen by zero-based index or by header name.
 */
public record CsvOptions(char delimiter, boolean header, int labelIndex, String labelName) {
    /**
     * Checks the options; throws {@link IllegalArgumentException} for a quote or line break as delimiter, or a label
     * column both by index and by name.
     */
    public CsvOptions {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("delimiter cannot be a quote or a line break");
        }
        if (labelIndex < -1) {
            throw new IllegalArgumentException("label column index must be >= 0, or -1 for none, got " + labelIndex);
        }
        if (labelIndex >= 0 && labelName != null) {
            throw new IllegalArgumentException("choose the label column by index or by name, not both");
        }
        if (labelName != null && !header) {
            throw new IllegalArgumentException("a label column chosen by name needs a header line");
        }
    }

    /** Comma-separated, with a header line, no label column. */
    public static CsvOptions defaults() {
        return new CsvOptions(',', true, -1, null);
    }

    /** These options with cells separated by {@code d}. */
    public CsvOptions withDelimiter(char d) {
        return new CsvOptions(d, header, labelIndex, labelName);
    }

    /** These options with ({@code true}) or without a header line naming the columns. */
    public CsvOptions withHeader(boolean h) {
        return new CsvOptions(delimiter, h, labelIndex, h ? labelName : null);
    }

    /** These options with the 0-based column {@code index} read as integer labels. */
    public CsvOptions withLabelColumn(int index) {
        return new CsvOptions(delimiter, header, index, null);
    }

    /** These options with the header column named {@code name} read as integer labels. */
    public CsvOptions withLabelColumn(String name) {
        return new CsvOptions(delimiter, header, -1, java.util.Objects.requireNonNull(name, "name"));
    }

    boolean hasLabels() {
        return labelIndex >= 0 || labelName != null;
    }
}
