package ae.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Fashion-MNIST (Zalando Research, MIT licence): 28 x 28 grey images of 10 clothing classes, 60,000 for training
 * and 10,000 for testing, read as {@code n x 784} float32 pixels in [0, 1] with labels 0..9.
 *
 * <p>The full set is read from a folder holding the four IDX files, by default {@value #DEFAULT_FOLDER} where
 * Debian's {@code dataset-fashion-mnist} installs them; the system property {@value #FOLDER_PROPERTY} overrides it.
 * The 10,000-image test split also ships inside this module as {@link #sample()}, so that demos run with no set-up.
 */
public final class FashionMnist {
    /** Where Debian's {@code dataset-fashion-mnist} installs the IDX files. */
    public static final String DEFAULT_FOLDER = "/usr/share/datasets/fashion-mnist";
    /** The system property that names another folder of the IDX files. */
    public static final String FOLDER_PROPERTY = "ae.data.fashion-mnist.dir";
    /** Width and height of an image, in pixels. */
    public static final int IMAGE_SIDE = 28;
    /** Pixels per image, the dimension of an example (784). */
    public static final int PIXELS = IMAGE_SIDE * IMAGE_SIDE;
    /** The number of classes (labels 0 to 9). */
    public static final int CLASSES = 10;
    static final String SAMPLE_NAME = "fashion-mnist-sample";
    private static final String RESOURCE_FOLDER = "fashion-mnist/";

    private FashionMnist() {
    }

    /** The folder {@link #load(Split)} reads: the system property if set, else the Debian location. */
    public static Path defaultFolder() {
        return Path.of(System.getProperty(FOLDER_PROPERTY, DEFAULT_FOLDER));
    }

    /**
     * A split from {@link #defaultFolder()}.
     *
     * @throws IOException if the files are missing (the message names the folder) or malformed
     */
    public static Dataset load(Split split) throws IOException {
        return load(defaultFolder(), split);
    }

    /**
     * A split from {@code folder}, which holds {@code {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]}.
     *
     * @throws IOException if the files are missing or malformed
     */
    public static Dataset load(Path folder, Split split) throws IOException {
        Path images = find(folder, split.idxPrefix() + "-images-idx3-ubyte");
        Path labels = find(folder, split.idxPrefix() + "-labels-idx1-ubyte");
        return IdxFiles.read(images, labels, "fashion-mnist-" + split.name().toLowerCase(java.util.Locale.ROOT));
    }

    private static Path find(Path folder, String baseName) throws NoSuchFileException {
        for (String candidate : new String[] {baseName + ".gz", baseName}) {
            Path p = folder.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new NoSuchFileException(folder.resolve(baseName + ".gz").toString(), null,
                "Fashion-MNIST not found: install the Debian package dataset-fashion-mnist, set -D" + FOLDER_PROPERTY
                        + " to a folder holding the IDX files, or use the embedded " + SAMPLE_NAME);
    }

    /**
     * The embedded test split (10,000 images with labels), named {@value #SAMPLE_NAME}.
     *
     * @throws IOException if the embedded resource cannot be read
     */
    public static Dataset sample() throws IOException {
        return IdxFiles.read(ByteSource.resource(FashionMnist.class, RESOURCE_FOLDER + "t10k-images-idx3-ubyte.gz"),
                ByteSource.resource(FashionMnist.class, RESOURCE_FOLDER + "t10k-labels-idx1-ubyte.gz"), SAMPLE_NAME);
    }
}
