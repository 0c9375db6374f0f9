package ae.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * numpy itself reads what ae writes and writes what ae reads. Needs python3 with numpy ($AE_PYTHON if set; Debian's python3-numpy,
 * which .ci/run installs).
 */
class NumpyInteropTest {
    /** A hang guard for the Python process, far above its usual half second. */
    private static final long PYTHON_TIMEOUT_SECONDS = 120;

    @TempDir
    Path dir;

    private String python(String script) throws IOException, InterruptedException {
        Path scriptFile = dir.resolve("check.py");
        Files.writeString(scriptFile, script);
        Process p = new ProcessBuilder(System.getenv().getOrDefault("AE_PYTHON", "python3"), scriptFile.toString()).directory(dir.toFile())
                .redirectErrorStream(true).start();
        boolean finished = p.waitFor(PYTHON_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(finished, "python3 did not finish: " + output);
        assertEquals(0, p.exitValue(), "python3 with numpy failed (is python3-numpy installed?):\n" + output);
        return output.strip();
    }

    @Test
    void numpyLoadsNpyAndNpzThatAeWrites() throws IOException, InterruptedException {
        try (TensorScope scope = TensorScope.open("interop")) {
            Tensor f32 = scope.allocateFloat(3, 5);
            Tensor f64 = scope.allocateDouble(2, 2, 2);
            for (int i = 0; i < 15; i++) {
                f32.setFlat(i, i * 0.25 - 1);
            }
            for (int i = 0; i < 8; i++) {
                f64.setFlat(i, Math.PI * i);
            }
            NpyFiles.write(dir.resolve("a.npy"), f32);
            NpyFiles.write(dir.resolve("b.npy"), f64);
            NpyFiles.write(dir.resolve("labels.npy"), new int[] {3, -1, 7});
            new NpzWriter().add("x", f32).add("y", new int[] {1, 2, 3}).write(dir.resolve("stored.npz"), false);
            new NpzWriter().add("x", f32.transpose()).add("z", f64).write(dir.resolve("deflated.npz"), true);
        }
        String out = python("""
                import numpy as np
                a = np.load('a.npy'); b = np.load('b.npy'); l = np.load('labels.npy')
                assert a.dtype == np.float32 and a.shape == (3, 5) and a.flags['C_CONTIGUOUS'], (a.dtype, a.shape)
                assert np.array_equal(a.ravel(), (np.arange(15) * 0.25 - 1).astype(np.float32))
                assert b.dtype == np.float64 and b.shape == (2, 2, 2)
                assert np.array_equal(b.ravel(), np.pi * np.arange(8))
                assert l.dtype == np.int32 and l.tolist() == [3, -1, 7]
                s = np.load('stored.npz')
                assert sorted(s.files) == ['x', 'y'] and np.array_equal(s['x'], a) and s['y'].tolist() == [1, 2, 3]
                d = np.load('deflated.npz')
                assert np.array_equal(d['x'], a.T) and np.array_equal(d['z'], b)
                print('ok')
                """);
        assertEquals("ok", out);
    }

    @Test
    void aeReadsWhatNumpySaves() throws IOException, InterruptedException {
        python("""
                import numpy as np
                np.save('f4.npy', np.arange(12, dtype=np.float32).reshape(3, 4) / 8)
                np.save('f8be.npy', (np.arange(6, dtype='>f8') - 2.5).reshape(2, 3))
                np.save('u1.npy', np.arange(250, 256, dtype=np.uint8).reshape(2, 3))
                np.save('f4c.npy', np.asfortranarray(np.ones((2, 2), dtype=np.float32)))
                """);
        try (Dataset f4 = NpyFiles.read(dir.resolve("f4.npy"), "f4");
                Dataset f8 = NpyFiles.read(dir.resolve("f8be.npy"), "f8");
                Dataset u1 = NpyFiles.read(dir.resolve("u1.npy"), "u1")) {
            float[] expected = new float[12];
            for (int i = 0; i < 12; i++) {
                expected[i] = i / 8f;
            }
            assertArrayEquals(expected, f4.features().toFloatArray());
            assertArrayEquals(new float[] {-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f}, f8.features().toFloatArray());
            assertArrayEquals(new float[] {250, 251, 252, 253, 254, 255}, u1.features().toFloatArray());
        }
        // numpy writes a 2 x 2 array of ones Fortran-ordered as such; refusing it beats reading it transposed.
        MalformedDataException e = org.junit.jupiter.api.Assertions.assertThrows(MalformedDataException.class,
                () -> NpyFiles.read(dir.resolve("f4c.npy"), "f4c"));
        assertEquals("fortran_order", e.field());
    }
}
