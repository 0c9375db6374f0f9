package ae.cli.bench;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GEMM problem {@code C = op(A) * op(B)} named as in the results: {@code "MxKxN"}, op(A) being M x K and op(B)
 * K x N, followed by {@code " AT"} when A is stored transposed and {@code " BT"} when B is. The benchmark module
 * parses the same notation; the CLI does not depend on it, so it keeps its own copy of these few lines.
 */
public record GemmShape(int m, int k, int n, boolean transA, boolean transB) {
    // Before WORKLOAD, which parses with it during class initialization.
    private static final Pattern FORMAT = Pattern.compile("(\\d+)x(\\d+)x(\\d+)( AT)?( BT)?");

    /** The GEMMs of the reference workloads at batch 128, plus a square one to compare with published figures. */
    public static final List<GemmShape> WORKLOAD = List.of(
            parse("128x784x256"),     // R1..R5 encoder forward: X (128x784) * W (784x256)
            parse("128x256x784"),     // decoder forward, and the encoder's input gradient
            parse("784x128x256 AT"),  // weight gradient X^T * delta, X stored 128x784
            parse("128x784x512"),     // R2's first layer
            parse("128x512x256"),     // R2's second layer
            parse("1024x1024x1024"));

    public GemmShape {
        if (m < 1 || k < 1 || n < 1) {
            throw new IllegalArgumentException("GEMM dimensions must be >= 1, got " + m + "x" + k + "x" + n);
        }
    }

    public static GemmShape parse(String text) {
        Matcher matcher = FORMAT.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a GEMM shape: '" + text
                    + "' (expected MxKxN, optionally followed by ' AT' and/or ' BT')");
        }
        return new GemmShape(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                Integer.parseInt(matcher.group(3)), matcher.group(4) != null, matcher.group(5) != null);
    }

    /** Floating-point operations of one product: a multiply and an add per term, 2*M*N*K. */
    public double flops() {
        return 2.0 * m * n * k;
    }

    @Override
    public String toString() {
        return m + "x" + k + "x" + n + (transA ? " AT" : "") + (transB ? " BT" : "");
    }
}
