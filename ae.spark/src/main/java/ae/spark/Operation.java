package ae.spark;

/** What {@link SparkAutoencoder#transform} computes for each row. */
public enum Operation {
    /** The code (mean of p(h|x)): a vector of the code size. */
    ENCODE,
    /** The reconstruction r(x): a vector of the input size. */
    RECONSTRUCT,
    /** The anomaly score of {@code FittedAutoencoder.scoreSamples}: a double. */
    SCORE,
    /** The binary code (code thresholded at 0.5), as bytes in numpy's packbits order: {@code ceil(bits / 8)} bytes. */
    HASH
}
