package ae.tensor;


/**
 * Hamming distances between packed binary codes and a query: XOR and bit count over 64-bit words.
 *
 * <p>Layout: the codes are stored in word planes, so that consecutive codes are consecutive longs and a vector
 * lane holds one code: word {@code w} of code {@code i} is {@code codes[w * stride + i]} ({@code stride} is at least
 * the number of codes). The query is {@code words} longs. Distances are exact integers, so both providers give the
 * same results whatever the vector length.
 */
public interface HammingKernels {
    /** Receives the codes a {@link #scan} finds nearer than its bound. */
    @FunctionalInterface
    interface Candidates {
        /**
         * Code {@code index} is at {@code distance}, below the current bound; returns the new bound (only codes at a
         * distance strictly below it are offered from now on).
         */
        int offer(int index, int distance);
    }

    /** Short name for reports: "simd" or "scalar". */
    String name();

    /** {@code out[outOffset + i - from]} = the distance of code {@code i} to {@code query}, for i in [from, to). */
    void distances(long[] codes, int stride, int words, long[] query, int from, int to, int[] out, int outOffset);

    /**
     * Offers every code {@code i} in [from, to) whose distance to {@code query} is below the bound, in ascending
     * order of {@code i}, starting from {@code bound} and then the bound each offer returns; returns the last bound.
     * A sink that keeps the k nearest codes and returns the k-th distance once it has k gets them with ties broken
     * toward the lower index, and is offered only the few codes that beat the k-th so far.
     */
    int scan(long[] codes, int stride, int words, long[] query, int from, int to, int bound, Candidates sink);
}
