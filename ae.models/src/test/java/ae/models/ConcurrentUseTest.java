package ae.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ae.data.Dataset;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A {@link FittedAutoencoder} shared by {@value #THREADS} threads that call {@code encode} and {@code scoreSamples}
 * at the same moment gives, bit for bit, what serial calls give: its calls are serialized. Inputs span several
 * evaluation chunks, so that a call interleaved with another would read graphs the other had rebound.
 */
class ConcurrentUseTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 6;
    private static final int ROWS = 600;

    @Test
    void eightThreadsGetTheResultsOfSerialCalls() throws Exception {
        for (ModelConfig config : List.of(Presets.undercomplete(6, 3), Presets.vae(6, 4, 2))) {
            try (Dataset data = TestData.swissRoll(ROWS, 6, 4);
                 FittedAutoencoder model = Autoencoder.of(config).fit(data, TestData.quick(1).withThreads(2),
                         TrainingListener.none())) {
                float[] serialCodes = codes(model, data);
                double[] serialScores = model.scoreSamples(data);
                CyclicBarrier start = new CyclicBarrier(THREADS);
                ExecutorService threads = Executors.newFixedThreadPool(THREADS);
                try {
                    List<Future<?>> results = new ArrayList<>();
                    for (int t = 0; t < THREADS; t++) {
                        boolean scoresFirst = t % 2 == 0;
                        results.add(threads.submit(() -> {
                            start.await();
                            for (int round = 0; round < ROUNDS; round++) {
                                if (scoresFirst == (round % 2 == 0)) {
                                    assertArrayEquals(serialScores, model.scoreSamples(data),
                                            config.name() + " scores, round " + round);
                                } else {
                                    assertArrayEquals(serialCodes, codes(model, data),
                                            config.name() + " codes, round " + round);
                                }
                            }
                            return null;
                        }));
                    }
                    for (Future<?> result : results) {
                        result.get();
                    }
                } finally {
                    threads.shutdownNow();
                }
                assertEquals(ROWS, serialScores.length);
            }
        }
    }

    private static float[] codes(FittedAutoencoder model, Dataset data) {
        try (TensorScope scope = TensorScope.open("codes")) {
            Tensor codes = model.encode(data.features(), scope);
            return codes.toFloatArray();
        }
    }
}
