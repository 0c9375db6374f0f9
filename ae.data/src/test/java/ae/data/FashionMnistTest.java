package ae.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Needs Debian's dataset-fashion-mnist, which .ci/run installs. */
class FashionMnistTest {
    private static void assertBalancedClasses(Dataset d, int perClass) {
        int[] counts = new int[FashionMnist.CLASSES];
        for (int label : d.labels()) {
            counts[label]++;
        }
        for (int c = 0; c < counts.length; c++) {
            assertEquals(perClass, counts[c], "class " + c);
        }
    }

    @Test
    void trainingSplitHasSixtyThousandImagesInTheUnitInterval() throws IOException {
        try (Dataset train = Datasets.load("fashion-mnist")) {
            assertEquals("fashion-mnist-train", train.name());
            assertEquals(60_000, train.size());
            assertEquals(784, train.dimension());
            assertBalancedClasses(train, 6_000);
            MemorySegment pixels = train.features().segment();
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (long i = 0; i < 60_000L * 784; i++) {
                float v = pixels.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertEquals(0f, min);
            assertEquals(1f, max);
        }
    }

    @Test
    void embeddedSampleIsTheTestSplitByteForByte() throws IOException {
        try (Dataset sample = Datasets.load("fashion-mnist-sample");
                Dataset test = FashionMnist.load(Path.of(FashionMnist.DEFAULT_FOLDER), Split.TEST)) {
            assertEquals("fashion-mnist-sample", sample.name());
            assertEquals(10_000, sample.size());
            assertEquals(FashionMnist.PIXELS, sample.dimension());
            assertBalancedClasses(sample, 1_000);
            assertArrayEquals(test.labels(), sample.labels());
            assertArrayEquals(test.features().toFloatArray(), sample.features().toFloatArray());
            // The first test image of Fashion-MNIST is an ankle boot (class 9).
            assertEquals(9, sample.label(0));
        }
    }

    @Test
    void sampleIsOnlyTheTestSplit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Datasets.load("fashion-mnist-sample", Split.TRAIN));
        assertTrue(e.getMessage().contains("test"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Datasets.load("mnist-digits"));
    }

    @Test
    void missingFolderSaysHowToInstall(@TempDir Path empty) {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> FashionMnist.load(empty, Split.TRAIN));
        assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
    }
}
