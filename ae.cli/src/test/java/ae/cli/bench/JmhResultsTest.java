package ae.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JmhResultsTest {
    private static String fixture() throws IOException {
        try (InputStream in = JmhResultsTest.class.getResourceAsStream("jmh-gemm-result.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void gflopsAreTwoMnkOverTheMeanTimeOfOneProduct() throws IOException {
        List<GemmResult> results = JmhResults.parse(fixture(), "fixture");

        assertEquals(2, results.size());
        GemmResult ours = results.get(0);
        assertEquals(GemmShape.parse("784x128x256 AT"), ours.shape());
        assertEquals(2, ours.threads(), "the threads parameter, not JMH's own threads field");
        assertEquals("ae", ours.implementation());
        // 2 * 784 * 256 * 128 = 51,380,224 flops in 256.9024 microseconds.
        assertEquals(51_380_224 / 256.9024e-6 / 1e9, ours.gflops(), 1e-9);
        assertEquals(200.0, ours.gflops(), 0.01);
        assertEquals(3.125 / 256.9024, ours.relativeError(), 1e-12);

        GemmResult reference = results.get(1);
        assertEquals("scalar", reference.implementation());
        assertEquals(1, reference.threads());
        // 2 * 2^30 flops in 2^30 nanoseconds: exactly 2 GFLOP/s.
        assertEquals(2.0, reference.gflops(), 1e-12);
        assertTrue(Double.isNaN(reference.relativeError()), "JMH writes \"NaN\" when two iterations give no interval");
    }

    @Test
    void scoreUnitsOfBothModesConvertToSecondsPerOperation() {
        assertEquals(2.5e-6, JmhResults.secondsPerOperation(2.5, "us/op"), 1e-18);
        assertEquals(2.5e-3, JmhResults.secondsPerOperation(2.5, "ms/op"), 1e-15);
        assertEquals(2.5e-9, JmhResults.secondsPerOperation(2.5, "ns/op"), 1e-21);
        assertEquals(2.5, JmhResults.secondsPerOperation(2.5, "s/op"), 0);
        assertEquals(1e-3 / 4, JmhResults.secondsPerOperation(4, "ops/ms"), 1e-15);
        assertEquals(0.25, JmhResults.secondsPerOperation(4, "ops/s"), 0);
    }

    @Test
    void unknownUnitsAndMalformedFilesAreReportedNotGuessed() {
        assertThrows(IllegalArgumentException.class, () -> JmhResults.secondsPerOperation(1, "B/op/s"));
        assertThrows(IllegalArgumentException.class, () -> JmhResults.secondsPerOperation(1, "furlongs"));
        IllegalArgumentException notAnArray = assertThrows(IllegalArgumentException.class,
                () -> JmhResults.parse("{\"benchmark\":\"x\"}", "result.json"));
        assertTrue(notAnArray.getMessage().startsWith("result.json: "), notAnArray.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JmhResults.parse("[{\"benchmark\":", "result.json"));
    }
}
