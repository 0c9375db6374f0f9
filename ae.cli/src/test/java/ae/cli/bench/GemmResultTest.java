package ae.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import ae.cli.json.Json;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GemmResultTest {
    @Test
    void jsonLineHasTheFourDocumentedKeysInOrder() {
        GemmResult result = new GemmResult(GemmShape.parse("784x128x256 AT"), 2, "openblas", 123.456);

        assertEquals("{\"shape\":\"784x128x256 AT\",\"threads\":2,\"impl\":\"openblas\",\"gflops\":123.46}",
                result.toJsonLine());
    }

    @Test
    void jsonLineParsesBack() {
        GemmResult result = new GemmResult(GemmShape.parse("128x784x256"), 1, "ae", 0.5);

        Map<?, ?> parsed = (Map<?, ?>) Json.parse(result.toJsonLine());

        assertEquals(List.of("shape", "threads", "impl", "gflops"), List.copyOf(parsed.keySet()));
        assertEquals("128x784x256", parsed.get("shape"));
        assertEquals(new BigDecimal("1"), parsed.get("threads"));
        assertEquals("ae", parsed.get("impl"));
        assertEquals(new BigDecimal("0.50"), parsed.get("gflops"));
    }

    @Test
    void shapeNamesRoundTrip() {
        // The fourth number's two low bits say which operands are stored transposed.
        qt().forAll(integers().between(1, 100_000), integers().between(1, 100_000), integers().between(1, 100_000),
                        integers().between(0, 3))
                .checkAssert((m, k, n, transposes) -> {
                    GemmShape shape = new GemmShape(m, k, n, (transposes & 1) != 0, (transposes & 2) != 0);
                    assertEquals(shape, GemmShape.parse(shape.toString()));
                });
    }

    @Test
    void shapeNotationMarksTransposedOperands() {
        GemmShape weightGradient = GemmShape.parse("784x128x256 AT");

        assertEquals(new GemmShape(784, 128, 256, true, false), weightGradient);
        assertEquals(new GemmShape(5, 6, 7, false, true), GemmShape.parse("5x6x7 BT"));
        assertEquals(2.0 * 784 * 128 * 256, weightGradient.flops());
        assertThrows(IllegalArgumentException.class, () -> GemmShape.parse("784x128"));
        assertThrows(IllegalArgumentException.class, () -> GemmShape.parse("0x1x1"));
        assertThrows(IllegalArgumentException.class, () -> GemmShape.parse("1x1x1 CT"));
    }

    @Test
    void nonPositiveTimesAreRejected() {
        GemmShape shape = GemmShape.parse("1x1x1");
        assertThrows(IllegalArgumentException.class, () -> GemmResult.fromSecondsPerProduct(shape, 1, "ae", 0, 0.01));
        assertThrows(IllegalArgumentException.class,
                () -> GemmResult.fromSecondsPerProduct(shape, 1, "ae", Double.NaN, 0.01));
    }
}
