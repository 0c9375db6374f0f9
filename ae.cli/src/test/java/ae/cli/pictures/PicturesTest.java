package ae.cli.pictures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.List;
import org.junit.jupiter.api.Test;

class PicturesTest {
    @Test
    void axisTicksAreRoundNumbersThatCoverTheRange() {
        qt().forAll(doubles().between(-1e5, 1e5), doubles().between(1e-3, 1e5), integers().between(2, 12))
                .checkAssert((low, width, ticks) -> {
                    double high = low + width;
                    Axis axis = Axis.covering(low, high, ticks, false, 0, 100);
                    assertTrue(axis.min <= low && axis.max >= high, axis.min + ".." + axis.max);
                    double mantissa = axis.step / Math.pow(10, Math.floor(Math.log10(axis.step)));
                    assertTrue(List.of(1.0, 2.0, 5.0, 10.0).stream().anyMatch(m -> Math.abs(m - mantissa) < 1e-9),
                            "step " + axis.step);
                    assertTrue(axis.ticks().size() <= 2 * ticks + 2, axis.ticks().toString());
                    assertEquals(0, axis.pixel(axis.min), 1e-9);
                    assertEquals(100, axis.pixel(axis.max), 1e-9);
                });
    }

    @Test
    void integerAxesTickOnWholeNumbers() {
        Axis epochs = Axis.covering(1, 15, 11, true, 0, 1);
        for (double tick : epochs.ticks()) {
            assertEquals(Math.rint(tick), tick);
        }
        assertEquals("2", epochs.label(2));
    }

    @Test
    void tileShapesUseEveryFeatureExactlyOnce() {
        qt().forAll(integers().between(1, 5000)).checkAssert(d -> {
            TileShape shape = TileShape.of(d);
            assertEquals(d, shape.height() * shape.width());
            assertTrue(shape.height() <= shape.width());
        });
        assertEquals(new TileShape(28, 28), TileShape.of(784));
        assertEquals(56, TileShape.of(784).pixelWidth());
    }

    @Test
    void principalComponentsFindTheDirectionsOfMostVariance() {
        // Points spread 10 along (1, 1, 0)/sqrt 2, 1 along (0, 0, 1), and barely along (1, -1, 0).
        java.util.Random random = new java.util.Random(3);
        float[][] points = new float[500][];
        for (int i = 0; i < points.length; i++) {
            double a = 10 * random.nextGaussian();
            double b = random.nextGaussian();
            double c = 0.01 * random.nextGaussian();
            points[i] = new float[] {(float) ((a + c) / Math.sqrt(2)), (float) ((a - c) / Math.sqrt(2)), (float) b};
        }
        PrincipalComponents pca = PrincipalComponents.fit(points, 2);

        double[] first = pca.project(new float[][] {{1, 1, 0}, {0, 0, 1}}, 0);
        double[] second = pca.project(new float[][] {{1, 1, 0}, {0, 0, 1}}, 1);
        double[] origin = pca.project(new float[][] {{0, 0, 0}}, 0);
        double[] origin2 = pca.project(new float[][] {{0, 0, 0}}, 1);
        assertEquals(Math.sqrt(2), first[0] - origin[0], 0.01);
        assertEquals(0, first[1] - origin[0], 0.05);
        assertEquals(1, Math.abs(second[1] - origin2[0]), 0.05);
        assertTrue(pca.explainedFraction(0) > 0.95, "first component explains " + pca.explainedFraction(0));
    }
}
