package ae.cli;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Small labelled image sets in the MNIST layout, written as IDX files, so the end-to-end tests train in seconds:
 * each class is a bright bar at its own place on a dark, slightly noisy background.
 */
final class TinyData {
    private TinyData() {
    }

    /** A folder with train-* (trainRows) and t10k-* (testRows) IDX files of side x side images of 3 classes. */
    static Path folder(Path folder, int side, int trainRows, int testRows, long seed) throws IOException {
        Files.createDirectories(folder);
        Random random = new Random(seed);
        write(folder, "train", side, trainRows, random);
        write(folder, "t10k", side, testRows, random);
        return folder;
    }

    private static void write(Path folder, String prefix, int side, int rows, Random random) throws IOException {
        byte[] pixels = new byte[rows * side * side];
        byte[] labels = new byte[rows];
        for (int i = 0; i < rows; i++) {
            int label = i % 3;
            labels[i] = (byte) label;
            int band = (label + 1) * side / 4;
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    boolean bright = label == 1 ? Math.abs(c - band) <= side / 8 : Math.abs(r - band) <= side / 8;
                    int value = bright ? 200 + random.nextInt(56) : random.nextInt(40);
                    pixels[i * side * side + r * side + c] = (byte) value;
                }
            }
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(folder.resolve(prefix
                + "-images-idx3-ubyte")))) {
            out.writeInt(0x00000803);
            out.writeInt(rows);
            out.writeInt(side);
            out.writeInt(side);
            out.write(pixels);
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(folder.resolve(prefix
                + "-labels-idx1-ubyte")))) {
            out.writeInt(0x00000801);
            out.writeInt(rows);
            out.write(labels);
        }
    }
}
