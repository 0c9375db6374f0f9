package ae.data;

/**
 * How ae.data turns one user seed into independent random streams, so that every seeded result can be
 * reproduced from the seed alone and does not depend on what ran before.
 *
 * <p>{@code derive(seed, stream, index) = mix(mix(seed ^ stream * G) + (index + 1) * G)} where {@code G} is
 * 0x9E3779B97F4A7C15 and {@code mix} is the SplitMix64 finalizer. Streams in use: {@link #SPLIT_STREAM} (index 0)
 * for {@link Dataset#split}, {@link #EPOCH_STREAM} (index = epoch) for {@link Batcher}'s per-epoch shuffle,
 * {@link #SAMPLE_STREAM} for the points of synthetic sets and {@link #ROTATION_STREAM} for their random
 * embedding. A shuffle of {@code n} items is a Fisher-Yates shuffle of the identity driven by SplitMix64 seeded with
 * the derived seed; a bounded draw in {@code [0, b)} is {@code ((next >>> 32) * b) >>> 32}, whose bias of at most
 * {@code b / 2^32} is negligible for datasets that fit in memory.
 */
public final class Seeds {
    /** The stream of training/validation splits. */
    public static final long SPLIT_STREAM = 1;
    /** The stream of each epoch's batch order. */
    public static final long EPOCH_STREAM = 2;
    /** The stream of the points of synthetic sets. */
    public static final long SAMPLE_STREAM = 3;
    /** The stream of the random embedding of synthetic manifolds. */
    public static final long ROTATION_STREAM = 4;

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /** The seed of stream {@code stream}, item {@code index}, derived from a user {@code seed}. */
    public static long derive(long seed, long stream, long index) {
        return mix(mix(seed ^ (stream * GOLDEN)) + (index + 1) * GOLDEN);
    }

    /** The SplitMix64 finalizer: a bijection on 64-bit values that spreads every input bit over the output. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A permutation of {@code 0..n-1}, a Fisher-Yates shuffle of the identity seeded with {@code derivedSeed}. */
    static int[] permutation(int n, long derivedSeed) {
        int[] order = new int[n];
        shuffleIdentity(order, n, derivedSeed);
        return order;
    }

    /** Fills {@code order[0..n)} with a shuffled identity; allocates nothing. */
    static void shuffleIdentity(int[] order, int n, long derivedSeed) {
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        long state = derivedSeed;
        for (int i = n - 1; i > 0; i--) {
            state += GOLDEN;
            long next = mix(state);
            int j = (int) (((next >>> 32) * (i + 1)) >>> 32);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
