package ae.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ae.data.Dataset;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import org.junit.jupiter.api.Test;

/**
 * Fit, encode and close, over and over in one JVM: the off-heap bytes held by open tensor scopes
 * ({@link TensorScope#liveBytes()}) must return to where they stood, so nothing a model allocates outlives its close.
 * {@value #CYCLES} cycles in the normal run, {@value #SOAK_CYCLES} under {@code ./verify --soak} ({@code AE_SOAK}).
 */
class SoakTest {
    private static final int CYCLES = 20;
    private static final int SOAK_CYCLES = 1000;

    @Test
    void fitEncodeCloseCyclesHoldNoOffHeapMemory() {
        int cycles = System.getenv("AE_SOAK") != null ? SOAK_CYCLES : CYCLES;
        try (Dataset data = TestData.swissRoll(64, 6, 1)) {
            cycle(data, 0);
            long warm = TensorScope.liveBytes();
            long requestedBefore = TensorScope.totalBytesRequested();
            for (int i = 1; i <= cycles; i++) {
                cycle(data, i);
                assertEquals(warm, TensorScope.liveBytes(), "off-heap bytes held after cycle " + i);
            }
            System.out.printf("soak: %d fit/encode/close cycles, %d off-heap bytes requested in all, %d held before"
                    + " and after%n", cycles, TensorScope.totalBytesRequested() - requestedBefore, warm);
        }
    }

    private static void cycle(Dataset data, long seed) {
        ModelConfig config = seed % 2 == 0 ? Presets.undercomplete(6, 3) : Presets.vae(6, 4, 2);
        try (FittedAutoencoder model = Autoencoder.of(config).fit(data, TestData.quick(1).withSeed(seed),
                TrainingListener.none());
             TensorScope scope = TensorScope.open("codes")) {
            Tensor codes = model.encode(data.features(), scope);
            model.scoreSamples(data.features());
            assertEquals(data.size(), codes.rows());
        }
    }
}
