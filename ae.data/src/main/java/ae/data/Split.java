package ae.data;

/** The two published splits of a benchmark dataset. */
public enum Split {
    /** The training split ({@code train-*} files). */
    TRAIN("train"),
    /** The test split ({@code t10k-*} files). */
    TEST("t10k");

    private final String idxPrefix;

    Split(String idxPrefix) {
        this.idxPrefix = idxPrefix;
    }

    /** The file-name prefix of this split in the MNIST family's IDX file names. */
    String idxPrefix() {
        return idxPrefix;
    }
}
