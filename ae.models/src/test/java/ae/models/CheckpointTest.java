package ae.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.autodiff.Parameter;
import ae.data.Dataset;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    private static final int D = 12;

    @TempDir
    Path dir;

    private static ModelConfig denoisingContractive() {
        return Presets.denoising(D, 6, new MaskingNoise(0.2))
                .withPenalties(List.of(new ContractivePenalty(0.1), new KlSparsityPenalty(0.1, 0.1)));
    }

    @Test
    void roundTripKeepsConfigurationParametersStateAndOutputs() throws IOException {
        Path file = dir.resolve("model.aeckpt");
        try (Dataset data = TestData.swissRoll(200, D, 1);
             FittedAutoencoder model = Autoencoder.of(denoisingContractive()).fit(data, TestData.quick(2),
                     TrainingListener.none());
             TensorScope scope = TensorScope.open("outputs")) {
            model.save(file);
            try (FittedAutoencoder loaded = FittedAutoencoder.load(file)) {
                assertEquals(model.config(), loaded.config());
                assertEquals(model.trainingConfig().withCheckpoint(null), loaded.trainingConfig());
                assertEquals(model.history().epochs(), loaded.history().epochs());
                for (int i = 0; i < model.parameters().size(); i++) {
                    Parameter a = model.parameters().get(i);
                    Parameter b = loaded.parameters().get(i);
                    assertEquals(a.name(), b.name());
                    assertArrayEquals(a.value().toFloatArray(), b.value().toFloatArray(), a.name());
                }
                Tensor codesA = model.encode(data.features(), scope);
                Tensor codesB = loaded.encode(data.features(), scope);
                assertArrayEquals(codesA.toFloatArray(), codesB.toFloatArray());
                assertArrayEquals(model.scoreSamples(data), loaded.scoreSamples(data));
            }
        }
    }

    @Test
    void resumedTrainingEqualsUninterruptedTrainingBitForBit() throws IOException {
        Path file = dir.resolve("half.aeckpt");
        TrainingConfig four = TestData.quick(4).withThreads(2);
        try (Dataset data = TestData.swissRoll(200, D, 2);
             FittedAutoencoder straight = Autoencoder.of(denoisingContractive()).fit(data, four, TrainingListener.none());
             FittedAutoencoder half = Autoencoder.of(denoisingContractive()).fit(data, four.withEpochs(2),
                     TrainingListener.none())) {
            half.save(file);
            try (FittedAutoencoder resumed = FittedAutoencoder.load(file)) {
                resumed.resume(data, four, TrainingListener.none());
                assertSameParameters(straight, resumed);
                assertEquals(straight.history().epochs().stream().map(EpochReport::trainLoss).toList(),
                        resumed.history().epochs().stream().map(EpochReport::trainLoss).toList());
            }
        }
    }

    @Test
    void perEpochCheckpointsOfStackedTrainingResumeMidPretraining() throws IOException {
        Path file = dir.resolve("stacked.aeckpt");
        ModelConfig stacked = Presets.stacked(D, new int[] {8, 4}, 2, List.of(new ContractivePenalty(0.05)),
                new GaussianNoise(0.05));
        TrainingConfig training = TestData.quick(2);
        int[] epochsSeen = {0};
        try (Dataset data = TestData.swissRoll(160, D, 3)) {
            IllegalStateException crash = assertThrows(IllegalStateException.class, () -> Autoencoder.of(stacked)
                    .fit(data, training.withCheckpoint(file), new TrainingListener() {
                        @Override
                        public void onEpoch(EpochReport report) {
                            // A crash right after layer 1's first pretraining epoch was checkpointed.
                            if (++epochsSeen[0] == 3) {
                                throw new IllegalStateException("simulated crash");
                            }
                        }
                    }));
            assertEquals("simulated crash", crash.getMessage());
        }
        try (Dataset data = TestData.swissRoll(160, D, 3);
             FittedAutoencoder straight = Autoencoder.of(stacked).fit(data, training, TrainingListener.none());
             FittedAutoencoder resumed = FittedAutoencoder.load(file)) {
            assertEquals(3, resumed.history().epochs().size(), "checkpoint after the third epoch");
            resumed.resume(data, training, TrainingListener.none());
            assertSameParameters(straight, resumed);
        }
    }

    @Test
    void anInterruptedSaveLeavesThePreviousFileIntact() throws IOException {
        Path file = dir.resolve("model.aeckpt");
        try (Dataset data = TestData.swissRoll(128, D, 4);
             FittedAutoencoder first = Autoencoder.of(Presets.undercomplete(D, 4)).fit(data, TestData.quick(1),
                     TrainingListener.none());
             FittedAutoencoder second = Autoencoder.of(Presets.undercomplete(D, 4)).fit(data, TestData.quick(3),
                     TrainingListener.none())) {
            first.save(file);
            byte[] before = Files.readAllBytes(file);
            IOException e = assertThrows(IOException.class, () -> Checkpoints.save(second, file, 300));
            assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
            assertArrayEquals(before, Files.readAllBytes(file));
            try (var files = Files.list(dir)) {
                assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
            }
            try (FittedAutoencoder loaded = FittedAutoencoder.load(file)) {
                assertSameParameters(first, loaded);
            }
        }
    }

    @Test
    void aCheckpointIsReadableLikeAnyFileTheUserCreates() throws IOException {
        // Whatever the umask, a checkpoint gets the permissions a plain new file gets in the same folder (a temporary
        // file of Files.createTempFile would have kept 0600 through the rename).
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path file = dir.resolve("model.aeckpt");
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        try (Dataset data = TestData.swissRoll(64, D, 4);
             FittedAutoencoder model = Autoencoder.of(Presets.undercomplete(D, 4)).fit(data, TestData.quick(1),
                     TrainingListener.none())) {
            model.save(file);
        }
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
    }

    @Test
    void damagedFilesAreRejectedWithTheReason() throws IOException {
        Path file = dir.resolve("model.aeckpt");
        try (Dataset data = TestData.swissRoll(64, D, 4);
             FittedAutoencoder model = Autoencoder.of(Presets.undercomplete(D, 4)).fit(data, TestData.quick(1),
                     TrainingListener.none())) {
            model.save(file);
        }
        byte[] good = Files.readAllBytes(file);
        assertRejected(file, flip(good, good.length / 2), "checksum mismatch");
        assertRejected(file, java.util.Arrays.copyOf(good, good.length - 100), "checksum mismatch");
        assertRejected(file, java.util.Arrays.copyOf(good, 10), "shorter than the smallest checkpoint");
        assertRejected(file, flip(good, 0), "not an ae checkpoint");
        byte[] otherVersion = good.clone();
        otherVersion[8] = 3;
        assertRejected(file, otherVersion, "version 3 is not supported; this ae reads versions 1 to 2 (the file was"
                + " written by a newer ae");
        otherVersion[8] = 0;
        assertRejected(file, otherVersion, "version 0 is not supported");
    }

    @Test
    void everyTruncationAndByteFlipGivesAFormatExceptionNeverAnotherFailure() throws IOException {
        Path file = dir.resolve("model.aeckpt");
        try (Dataset data = TestData.swissRoll(64, D, 4);
             FittedAutoencoder model = Autoencoder.of(denoisingContractive()).fit(data, TestData.quick(1),
                     TrainingListener.none())) {
            model.save(file);
        }
        byte[] good = Files.readAllBytes(file);
        Path damaged = dir.resolve("damaged.aeckpt");
        org.quicktheories.QuickTheory.qt().withExamples(150).forAll(
                org.quicktheories.generators.SourceDSL.integers().between(0, good.length - 1),
                org.quicktheories.generators.SourceDSL.integers().between(1, 255),
                org.quicktheories.generators.SourceDSL.booleans().all()).checkAssert((at, xor, truncate) -> {
                    byte[] bytes = truncate ? java.util.Arrays.copyOf(good, at) : good.clone();
                    if (!truncate) {
                        bytes[at] ^= (byte) (int) xor;
                    }
                    try {
                        Files.write(damaged, bytes);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    assertThrows(CheckpointFormatException.class, () -> FittedAutoencoder.load(damaged).close(),
                            (truncate ? "truncated at " : "flipped byte ") + at);
                });
    }

    private static byte[] flip(byte[] bytes, int at) {
        byte[] copy = bytes.clone();
        copy[at] ^= 0x40;
        return copy;
    }

    private static void assertRejected(Path file, byte[] content, String reason) throws IOException {
        Files.write(file, content);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> FittedAutoencoder.load(file));
        assertTrue(e.getMessage().contains(reason) && e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void resumingWithAnotherOptimizerIsRefused() throws IOException {
        try (Dataset data = TestData.swissRoll(64, D, 4);
             FittedAutoencoder model = Autoencoder.of(Presets.undercomplete(D, 4)).fit(data, TestData.quick(1),
                     TrainingListener.none())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.resume(data,
                    TestData.quick(2).withOptimizer(OptimizerConfig.sgd(0.1)), TrainingListener.none()));
            assertTrue(e.getMessage().contains("optimizer"), e.getMessage());
        }
    }

    static void assertSameParameters(FittedAutoencoder a, FittedAutoencoder b) {
        assertEquals(a.parameters().size(), b.parameters().size());
        for (int i = 0; i < a.parameters().size(); i++) {
            Parameter pa = a.parameters().get(i);
            Parameter pb = b.parameters().get(i);
            assertEquals(pa.name(), pb.name());
            float[] x = pa.value().toFloatArray();
            float[] y = pb.value().toFloatArray();
            for (int k = 0; k < x.length; k++) {
                if (Float.floatToRawIntBits(x[k]) != Float.floatToRawIntBits(y[k])) {
                    throw new AssertionError(pa.name() + "[" + k + "]: " + x[k] + " != " + y[k]);
                }
            }
        }
        assertFalse(a.parameters().isEmpty());
    }
}
