package ae.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.data.Dataset;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void undercompleteLossFalls() {
        try (Dataset data = TestData.swissRoll(512, 20, 1);
             FittedAutoencoder model = Autoencoder.of(Presets.undercomplete(20, 4)).fit(data, TestData.quick(5),
                     new TrainingListener() {
                         @Override
                         public void onEpoch(EpochReport r) {
                             System.out.println(r);
                         }
                     })) {
            var h = model.history().epochs();
            assertTrue(h.getLast().trainLoss() < h.getFirst().trainLoss(), h.toString());
        }
    }
}
