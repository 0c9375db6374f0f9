package ae.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.data.Dataset;
import ae.data.Datasets;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every preset trains: its objective falls on a synthetic manifold (R1..R5 on a slice of Fashion-MNIST). */
class PresetTrainingTest {
    /** The iterative presets; pca is fitted exactly in one pass (PrincipalComponentsTest). */
    static List<String> syntheticPresets() {
        return Presets.names().stream().filter(n -> !n.startsWith("R") && !n.equals("pca")).toList();
    }

    @ParameterizedTest
    @MethodSource("syntheticPresets")
    void objectiveFallsOnASwissRoll(String preset) {
        try (Dataset data = TestData.swissRoll(384, 16, 11);
             FittedAutoencoder model = Autoencoder.of(Presets.byName(preset, 16)).fit(data,
                     TestData.quick(6).withValidation(0.25, 0), TrainingListener.none())) {
            List<EpochReport> train = model.history().epochs().stream().filter(r -> r.phase().equals("train")).toList();
            assertEquals(6, train.size(), preset);
            // BCE against soft targets cannot go below the targets' own entropy; what falls is the excess over it.
            double floor = TestData.meanEntropy(data);
            double first = train.getFirst().validationLoss() - floor;
            double last = train.getLast().validationLoss() - floor;
            System.out.printf("%s: excess validation loss %.4f -> %.4f%n", preset, first, last);
            assertTrue(train.getLast().trainLoss() < train.getFirst().trainLoss(), preset + ": " + train);
            assertTrue(last < first, preset + ": excess validation loss " + first + " -> " + last);
            assertEquals(TrainingHistory.Outcome.COMPLETED, model.history().outcome());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"R1", "R2", "R3", "R4", "R5", "R6"})
    void referenceWorkloadsLearnOnFashionMnist(String id) throws IOException {
        try (Dataset sample = Datasets.load("fashion-mnist-sample");
             Dataset slice = sample.subset("slice", range(256));
             FittedAutoencoder model = Autoencoder.of(Presets.byName(id, 784)).fit(slice,
                     TrainingConfig.defaults().withEpochs(3).withBatchSize(64).withThreads(1), TrainingListener.none())) {
            List<EpochReport> epochs = model.history().epochs();
            assertTrue(epochs.getLast().trainLoss() < epochs.getFirst().trainLoss(), id + ": " + epochs);
        }
    }

    @Test
    void listenersSeeEveryStepAndEpochAndCanEvaluateTheModelBetweenEpochs() {
        int[] steps = {0};
        List<Double> evaluated = new java.util.ArrayList<>();
        try (Dataset data = TestData.swissRoll(200, 16, 4);
             Dataset test = TestData.swissRoll(50, 16, 5);
             FittedAutoencoder model = Autoencoder.of(Presets.undercomplete(16, 4)).fit(data,
                     TestData.quick(3).withDropLast(false), new TrainingListener() {
                         @Override
                         public void onStep(String phase, int epoch, int step, int stepsPerEpoch, double loss) {
                             assertEquals(7, stepsPerEpoch, "200 rows in batches of 32, the short one kept");
                             steps[0]++;
                         }

                         @Override
                         public void onEpoch(EpochReport report, FittedAutoencoder trained) {
                             evaluated.add(trained.meanLoss(test));
                         }
                     })) {
            assertEquals(21, steps[0]);
            assertEquals(3, evaluated.size());
            assertEquals(evaluated.getLast(), model.meanLoss(test));
            assertTrue(evaluated.getLast() < evaluated.getFirst(), evaluated.toString());
        }
    }

    @Test
    void stackedPretrainsEveryLayerThenFineTunes() {
        try (Dataset data = TestData.swissRoll(256, 16, 3);
             FittedAutoencoder model = Autoencoder.of(Presets.stacked(16, new int[] {12, 8, 3}, 2, List.of(),
                     new MaskingNoise(0.1))).fit(data, TestData.quick(2), TrainingListener.none())) {
            List<String> phases = model.history().epochs().stream().map(r -> r.phase() + "#" + r.epoch()).toList();
            assertEquals(List.of("pretrain-layer-0#1", "pretrain-layer-0#2", "pretrain-layer-1#1", "pretrain-layer-1#2",
                    "pretrain-layer-2#1", "pretrain-layer-2#2", "train#1", "train#2"), phases);
        }
    }

    static int[] range(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }
}
