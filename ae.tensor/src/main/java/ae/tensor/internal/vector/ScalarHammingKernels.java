package ae.tensor.internal.vector;

import ae.tensor.HammingKernels;

/** The reference Hamming kernels: one code at a time, {@link Long#bitCount} per word. */
public final class ScalarHammingKernels implements HammingKernels {
    public static final ScalarHammingKernels INSTANCE = new ScalarHammingKernels();

    private ScalarHammingKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    static int distance(long[] codes, int stride, int words, long[] query, int i) {
        int d = 0;
        for (int w = 0; w < words; w++) {
            d += Long.bitCount(codes[w * stride + i] ^ query[w]);
        }
        return d;
    }

    @Override
    public void distances(long[] codes, int stride, int words, long[] query, int from, int to, int[] out,
                          int outOffset) {
        for (int i = from; i < to; i++) {
            out[outOffset + i - from] = distance(codes, stride, words, query, i);
        }
    }

    @Override
    public int scan(long[] codes, int stride, int words, long[] query, int from, int to, int bound,
                    Candidates sink) {
        for (int i = from; i < to; i++) {
            int d = distance(codes, stride, words, query, i);
            if (d < bound) {
                bound = sink.offer(i, d);
            }
        }
        return bound;
    }
}
