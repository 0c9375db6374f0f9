package ae.data;

/**
 * How a {@link Batcher} cuts a dataset: the batch size, whether each epoch is shuffled (and from which seed),
 * and whether a final batch smaller than the batch size is dropped.
 */
public record BatchOptions(int batchSize, boolean shuffle, boolean dropLast, long seed) {
    /** Checks the options; throws {@link IllegalArgumentException} if {@code batchSize < 1}. */
    public BatchOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
    }

    /** Shuffled every epoch from {@code seed}, keeping a short final batch. */
    public static BatchOptions shuffled(int batchSize, long seed) {
        return new BatchOptions(batchSize, true, false, seed);
    }

    /** Dataset order, keeping a short final batch: for evaluation. */
    public static BatchOptions inOrder(int batchSize) {
        return new BatchOptions(batchSize, false, false, 0);
    }

    /** These options with the short final batch of an epoch dropped ({@code true}) or kept. */
    public BatchOptions withDropLast(boolean drop) {
        return new BatchOptions(batchSize, shuffle, drop, seed);
    }
}
