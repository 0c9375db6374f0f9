package ae.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.data.Dataset;
import ae.data.NpyFiles;
import ae.tensor.TensorScope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * numpy reads the NPZ export and, with the documented names and formulas alone, reproduces {@code encode} of a deep
 * model. Needs python3 with numpy ($AE_PYTHON if set; Debian's python3-numpy, which .ci/run installs).
 */
class NumpyExportTest {
    private static final long PYTHON_TIMEOUT_SECONDS = 120;

    @TempDir
    Path dir;

    @Test
    void numpyReproducesEncodeFromTheExportedWeights() throws IOException, InterruptedException {
        try (Dataset data = TestData.swissRoll(64, 10, 6);
             FittedAutoencoder model = Autoencoder.of(Presets.deep(10, 8, 5, 3)).fit(data, TestData.quick(1),
                     TrainingListener.none());
             TensorScope scope = TensorScope.open("codes")) {
            model.exportNpz(dir.resolve("weights.npz"));
            NpyFiles.write(dir.resolve("x.npy"), data.features());
            NpyFiles.write(dir.resolve("codes.npy"), model.encode(data.features(), scope));
        }
        Files.writeString(dir.resolve("check.py"), """
                import numpy as np
                w = np.load("weights.npz")
                x = np.load("x.npy")
                h = x
                # deep preset: ReLU hidden layers, linear code
                for i in range(3):
                    h = h @ w[f"encoder.{i}.weight"].T + w[f"encoder.{i}.bias"]
                    if i < 2:
                        h = np.maximum(h, 0)
                codes = np.load("codes.npy")
                assert sorted(w.files) == sorted([f"{p}.{i}.{t}" for p in ("encoder", "decoder") for i in range(3)
                                                  for t in ("weight", "bias")]), w.files
                assert w["encoder.0.weight"].shape == (8, 10) and w["encoder.0.weight"].dtype == np.float32
                print(float(np.max(np.abs(h - codes))))
                """);
        Process p = new ProcessBuilder(System.getenv().getOrDefault("AE_PYTHON", "python3"), "check.py").directory(dir.toFile()).redirectErrorStream(true).start();
        boolean finished = p.waitFor(PYTHON_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(finished, "python3 did not finish: " + output);
        assertEquals(0, p.exitValue(), "python3 with numpy failed (is python3-numpy installed?):\n" + output);
        assertTrue(Double.parseDouble(output) < 1e-5, "numpy's codes differ from encode by " + output);
    }
}
