package ae.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.data.Dataset;
import ae.tensor.Tensor;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A warm-up takes steps until closed, and leaves the real training's results exactly as they are without it. */
class KernelWarmupTest {
    private static final int D = 12;

    private static Map<String, float[]> trainedParameters(boolean withWarmup) {
        ModelConfig config = Presets.undercomplete(D, 4);
        TrainingConfig training = TestData.quick(2);
        KernelWarmup warmup = withWarmup ? KernelWarmup.start(config, training) : KernelWarmup.none();
        try (Dataset data = TestData.swissRoll(200, D, 5)) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (withWarmup && warmup.steps() < 3 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            if (withWarmup) {
                assertTrue(warmup.steps() >= 3, "the warm-up took no steps in a minute");
            }
            try (FittedAutoencoder model = Autoencoder.of(config).fit(data, training, TrainingListener.none())) {
                Map<String, float[]> out = new TreeMap<>();
                for (Map.Entry<String, Tensor> e : model.parameterTensors().entrySet()) {
                    out.put(e.getKey(), e.getValue().toFloatArray());
                }
                return out;
            }
        } finally {
            warmup.close();
        }
    }

    @Test
    void trainingBesideAWarmupGivesTheSameBits() {
        Map<String, float[]> without = trainedParameters(false);
        Map<String, float[]> with = trainedParameters(true);
        assertEquals(without.keySet(), with.keySet());
        for (String name : without.keySet()) {
            assertArrayEquals(without.get(name), with.get(name), name);
        }
    }

    @Test
    void closingStopsTheSteps() throws InterruptedException {
        KernelWarmup warmup = KernelWarmup.start(Presets.undercomplete(D, 4), TestData.quick(1));
        warmup.close();
        warmup.awaitEnd();
        long steps = warmup.steps();
        assertTrue(steps <= KernelWarmup.MAX_STEPS);
        Thread.yield();
        assertEquals(steps, warmup.steps());
        warmup.close();
    }
}
