package ae.data;

/** The two parts of {@link Dataset#split}: each owns its memory; closing the split closes both. */
public record TrainValidationSplit(Dataset train, Dataset validation) implements AutoCloseable {
    @Override
    public void close() {
        try {
            train.close();
        } finally {
            validation.close();
        }
    }
}
