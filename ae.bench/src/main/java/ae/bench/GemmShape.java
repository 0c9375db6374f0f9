package ae.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One GEMM problem {@code C = op(A) * op(B)} as the benchmarks name it: {@code "MxKxN"}, where op(A) is M x K and
 * op(B) is K x N, followed by {@code " AT"} when A is stored transposed (K x M) and {@code " BT"} when B is
 * (N x K). {@code "784x128x256 AT"} is a weight gradient {@code X^T * delta} with X stored 128 x 784.
 */
public record GemmShape(int m, int k, int n, boolean transA, boolean transB) {
    private static final Pattern FORMAT = Pattern.compile("(\\d+)x(\\d+)x(\\d+)( AT)?( BT)?");

    public GemmShape {
        if (m < 1 || k < 1 || n < 1) {
            throw new IllegalArgumentException("GEMM dimensions must be >= 1, got " + m + "x" + k + "x" + n);
        }
    }

    public static GemmShape parse(String text) {
        Matcher matcher = FORMAT.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a GEMM shape: '" + text + "' (expected MxKxN, optionally followed by ' AT' and/or ' BT')");
        }
        return new GemmShape(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                Integer.parseInt(matcher.group(3)), matcher.group(4) != null, matcher.group(5) != null);
    }

    /** Rows of A as stored. */
    public int aRows() {
        return transA ? k : m;
    }

    /** Columns of A as stored, which is also its leading dimension. */
    public int aCols() {
        return transA ? m : k;
    }

    public int bRows() {
        return transB ? n : k;
    }

    public int bCols() {
        return transB ? k : n;
    }

    /** Multiply-adds count twice, the usual GEMM convention. */
    public double flops() {
        return 2.0 * m * k * n;
    }

    @Override
    public String toString() {
        return m + "x" + k + "x" + n + (transA ? " AT" : "") + (transB ? " BT" : "");
    }
}
