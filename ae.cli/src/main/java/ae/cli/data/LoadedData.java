package ae.cli.data;

import ae.data.Dataset;
import java.util.List;

/**
 * What {@code --data} named: the data itself and, when the source has one (the full Fashion-MNIST, or a folder of
 * IDX files holding both splits), its separate test split.
 *
 * @param data the training data (or the data to evaluate)
 * @param test the test split, or null
 * @param classNames names of the label values 0, 1, ... for pictures, or empty when only numbers are known
 */
public record LoadedData(String source, Dataset data, Dataset test, List<String> classNames) implements AutoCloseable {
    public LoadedData {
        classNames = List.copyOf(classNames);
    }

    public boolean hasTest() {
        return test != null;
    }

    /** The name of label value {@code label}: its class name if known, else the number. */
    public String className(int label) {
        return label >= 0 && label < classNames.size() ? classNames.get(label) : Integer.toString(label);
    }

    @Override
    public void close() {
        try {
            data.close();
        } finally {
            if (test != null) {
                test.close();
            }
        }
    }
}
