package ae.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.HashSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rising scale of semantic hashing's code-input noise. */
class NoiseRampTest {
    @Test
    void risesLinearlyFromZeroToSigmaOverTheRampThenStays() {
        qt().withExamples(300).forAll(doubles().between(0, 10), integers().between(1, 5000),
                integers().between(0, 10000)).checkAssert((sigma, ramp, step) -> {
                    NoiseRamp r = new NoiseRamp(sigma, ramp);
                    double level = r.at(step);
                    double expected = sigma * Math.min(step, ramp) / ramp;
                    assertEquals(expected, level, 1e-12 * Math.max(1, sigma));
                    assertTrue(r.at(step + 1) >= level, "never falls");
                    assertEquals(sigma, r.at(ramp + step), 0, "holds sigma after the ramp");
                });
    }

    @Test
    void aRampOfZeroStepsIsTheFixedLevel() {
        NoiseRamp fixed = new NoiseRamp(4, 0);
        assertTrue(fixed.fixed());
        assertEquals(4, fixed.at(1), 0);
        assertEquals(4, fixed.at(0), 0);
        assertThrows(IllegalArgumentException.class, () -> new NoiseRamp(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> new NoiseRamp(Double.NaN, 10));
        assertThrows(IllegalArgumentException.class, () -> new NoiseRamp(1, -1));
    }

    @Test
    void theOptionSetsTheEncodersRamp() {
        ModelConfig config = Presets.byName("semantic-hashing", 784)
                .withOptionValues(Map.of("--code-input-noise-ramp", 860), new HashSet<>());
        BinaryCodeEncoder encoder = (BinaryCodeEncoder) config.encoder();
        assertEquals(new NoiseRamp(4.0, 860), encoder.noise());
        assertThrows(IllegalArgumentException.class, () -> new BinaryCodeEncoder(encoder.hidden(), 32, 4.0, -1));
    }

    @Test
    void theOptionMakesTheNoisePerExampleAndResizingKeepsIt() {
        ModelConfig preset = Presets.byName("semantic-hashing", 784);
        assertFalse(((BinaryCodeEncoder) preset.encoder()).perExampleNoise(), "the preset redraws every step");
        ModelConfig config = preset.withOptionValues(Map.of("--per-example-noise", true), new HashSet<>());
        BinaryCodeEncoder encoder = (BinaryCodeEncoder) config.encoder();
        assertTrue(encoder.perExampleNoise());
        assertTrue(encoder.withWidths(new int[] {64, 16}).perExampleNoise(),
                "resizing keeps it");
    }
}
