package ae.models.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.data.NpyFiles;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packed codes in numpy's packbits order: numpy's unpackbits reads what ae writes, and ae reads what numpy's packbits
 * writes. Needs python3 with numpy ($AE_PYTHON if set; Debian's python3-numpy, which .ci/run installs).
 */
class PackedCodesNumpyTest {
    private static final int PYTHON_TIMEOUT_SECONDS = 120;

    @TempDir
    Path dir;

    @Test
    void numpyUnpacksWhatAeWritesAndAeReadsWhatNumpyPacks() throws IOException, InterruptedException {
        SplittableRandom r = new SplittableRandom(4);
        int[] bitCounts = {16, 32, 64, 70, 128};
        StringBuilder script = new StringBuilder("import numpy as np\n");
        BinaryCodes[] all = new BinaryCodes[bitCounts.length];
        for (int c = 0; c < bitCounts.length; c++) {
            int bits = bitCounts[c];
            BinaryCodes codes = HammingIndexTest.codes(r, 37, bits);
            all[c] = codes;
            PackedCodeFiles.write(dir.resolve("codes" + bits + ".npy"), codes);
            try (TensorScope scope = TensorScope.open("bits")) {
                Tensor expected = scope.allocateFloat(37, bits);
                for (int i = 0; i < 37; i++) {
                    for (int j = 0; j < bits; j++) {
                        expected.set(i, j, codes.bit(i, j) ? 1 : 0);
                    }
                }
                NpyFiles.write(dir.resolve("bits" + bits + ".npy"), expected);
            }
            script.append(String.format("""
                    packed = np.load("codes%1$d.npy")
                    assert packed.dtype == np.uint8 and packed.shape == (37, %2$d), (packed.dtype, packed.shape)
                    bits = np.load("bits%1$d.npy").astype(np.uint8)
                    unpacked = np.unpackbits(packed, axis=1)
                    assert np.array_equal(unpacked[:, :%1$d], bits), "%1$d bits differ"
                    assert not unpacked[:, %1$d:].any(), "padding bits set"
                    np.save("numpy%1$d.npy", np.packbits(bits, axis=1))
                    """, bits, (bits + 7) / 8));
        }
        script.append("print('ok')\n");
        Files.writeString(dir.resolve("check.py"), script);
        Process p = new ProcessBuilder(System.getenv().getOrDefault("AE_PYTHON", "python3"), "check.py")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        boolean finished = p.waitFor(PYTHON_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(finished, "python3 did not finish: " + output);
        assertEquals(0, p.exitValue(), "python3 with numpy failed (is python3-numpy installed?):\n" + output);
        assertEquals("ok", output);
        for (int c = 0; c < bitCounts.length; c++) {
            int bits = bitCounts[c];
            assertEquals(all[c], PackedCodeFiles.read(dir.resolve("numpy" + bits + ".npy"), bits));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PackedCodeFiles.read(dir.resolve("numpy16.npy"), 32));
        assertTrue(e.getMessage().contains("numpy16.npy: codes of 16 bits"), e.getMessage());
    }
}
