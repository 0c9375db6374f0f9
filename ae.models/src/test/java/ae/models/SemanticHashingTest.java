package ae.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.data.Dataset;
import ae.models.retrieval.BinaryCodes;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The semantic-hashing preset: noise on the code layer's input, binary codes by thresholding at 0.5. */
class SemanticHashingTest {
    @Test
    void bitsOptionSetsTheCodeLength() {
        for (int bits : new int[] {16, 32, 64, 128}) {
            ModelConfig config = Presets.byName("semantic-hashing", 784)
                    .withOptionValues(Map.of("--bits", bits), new HashSet<>());
            assertEquals(bits, config.codeSize());
            assertEquals(bits, config.encoder().layers().getLast().units());
        }
    }

    @Test
    void hashIsTheCodeThresholdedAtOneHalfPackedLowBitFirst() {
        // 70 bits: two words per code, the second one partly used.
        ModelConfig config = Presets.semanticHashing(16, new int[] {12}, 70, 4.0);
        try (Dataset data = TestData.swissRoll(50, 16, 3);
             FittedAutoencoder model = Autoencoder.of(config).fit(data, TestData.quick(1), TrainingListener.none());
             TensorScope scope = TensorScope.open("test")) {
            BinaryCodes codes = model.hash(data.features());
            Tensor h = model.encode(data.features(), scope);
            assertEquals(50, codes.count());
            assertEquals(70, codes.bits());
            assertEquals(2, codes.wordsPerCode());
            int ones = 0;
            for (int i = 0; i < 50; i++) {
                for (int j = 0; j < 70; j++) {
                    assertEquals(h.get(i, j) > 0.5, codes.bit(i, j), "row " + i + " bit " + j);
                    assertEquals(h.get(i, j) > 0.5, (codes.word(i, j / 64) >>> (j % 64) & 1) == 1);
                    ones += codes.bit(i, j) ? 1 : 0;
                }
                assertEquals(0, codes.word(i, 1) >>> 6, "bits past 70 are zero");
            }
            assertTrue(ones > 0 && ones < 50 * 70, "codes of a trained model are neither all 0 nor all 1: " + ones);
        }
    }

    @Test
    void noiseOnTheCodeInputDrivesCodesTowardZeroOrOne() {
        double withNoise = meanDistanceFromOneHalf(4.0);
        double without = meanDistanceFromOneHalf(0.0);
        System.out.printf("mean |h - 0.5|: %.3f with noise 4, %.3f without%n", withNoise, without);
        assertTrue(withNoise > without + 0.05, withNoise + " vs " + without);
        assertTrue(withNoise > 0.35, "codes trained under noise are nearly binary: " + withNoise);
    }

    @Test
    void thePresetsBalancePenaltyBringsEachBitsMeanTowardOneHalf() {
        double balanced = meanBitImbalance(3.0);
        double free = meanBitImbalance(0.0);
        assertTrue(balanced < 0.75 * free, "mean |P(bit) - 1/2|: " + balanced + " balanced, " + free + " without");
        assertTrue(Presets.byName("semantic-hashing", 784).penalties().stream()
                .anyMatch(p -> p instanceof KlSparsityPenalty kl && kl.rho() == 0.5), "the preset balances its bits");
    }

    /** Mean over bits of |fraction of rows with the bit set - 1/2|. */
    private static double meanBitImbalance(double balance) {
        ModelConfig config = Presets.semanticHashing(16, new int[] {24}, 8, 4.0, balance);
        try (Dataset data = TestData.swissRoll(512, 16, 5);
             FittedAutoencoder model = Autoencoder.of(config).fit(data, TestData.quick(15), TrainingListener.none())) {
            BinaryCodes codes = model.hash(data.features());
            double total = 0;
            for (int j = 0; j < codes.bits(); j++) {
                int ones = 0;
                for (int i = 0; i < codes.count(); i++) {
                    ones += codes.bit(i, j) ? 1 : 0;
                }
                total += Math.abs((double) ones / codes.count() - 0.5);
            }
            return total / codes.bits();
        }
    }

    private static double meanDistanceFromOneHalf(double sigma) {
        ModelConfig config = Presets.semanticHashing(16, new int[] {24}, 8, sigma);
        try (Dataset data = TestData.swissRoll(512, 16, 5);
             FittedAutoencoder model = Autoencoder.of(config).fit(data, TestData.quick(15), TrainingListener.none());
             TensorScope scope = TensorScope.open("test")) {
            Tensor h = model.encode(data.features(), scope);
            double total = 0;
            for (int i = 0; i < h.rows(); i++) {
                for (int j = 0; j < h.cols(); j++) {
                    total += Math.abs(h.get(i, j) - 0.5);
                }
            }
            return total / h.size();
        }
    }

    @Test
    void aModelWithoutABinaryCodeIsRefusedByName() {
        try (Dataset data = TestData.swissRoll(40, 16, 3);
             FittedAutoencoder model = Autoencoder.of(Presets.deep(16, 8, 4)).fit(data, TestData.quick(1),
                     TrainingListener.none())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.hash(data.features()));
            assertTrue(e.getMessage().contains("'deep' has no binary code"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void codesAreDistinctEnoughToRetrieveBy() {
        ModelConfig config = Presets.semanticHashing(16, new int[] {24}, 16, 4.0);
        try (Dataset data = TestData.swissRoll(256, 16, 8);
             FittedAutoencoder model = Autoencoder.of(config).fit(data, TestData.quick(8), TrainingListener.none())) {
            BinaryCodes codes = model.hash(data.features());
            Set<Long> distinct = new HashSet<>();
            for (int i = 0; i < codes.count(); i++) {
                distinct.add(codes.word(i, 0));
            }
            assertTrue(distinct.size() > 16, "distinct codes: " + distinct.size());
        }
    }
}
