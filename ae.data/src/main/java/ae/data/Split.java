package ae.data;

/** The two published splits of a benchmark dataset. */
public enum Split {
    TRAIN("train"),
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
