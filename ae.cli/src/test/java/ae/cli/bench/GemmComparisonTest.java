package ae.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GemmComparisonTest {
    @Test
    void contendersRunPerShapeAndTheSingleThreadedReferenceOnceAtTheFirstThreadCount() {
        List<GemmComparison.JmhRun> runs = GemmComparison.plan(GemmShape.WORKLOAD, List.of(1, 2),
                GemmComparison.IMPLEMENTATIONS);

        assertEquals(GemmShape.WORKLOAD.size() + 2, runs.size());
        for (int i = 0; i < GemmShape.WORKLOAD.size(); i++) {
            assertEquals(new GemmComparison.JmhRun(List.of("ae", "openblas"), List.of(GemmShape.WORKLOAD.get(i)),
                    List.of(1, 2), false), runs.get(i));
        }
        GemmComparison.JmhRun scalar = runs.get(GemmShape.WORKLOAD.size());
        assertEquals(List.of("scalar"), scalar.implementations());
        assertEquals(List.of(1), scalar.threads());
        assertEquals(GemmShape.WORKLOAD.size() - 1, scalar.shapes().size());
        GemmComparison.JmhRun shortened = runs.getLast();
        assertTrue(shortened.shortened());
        assertEquals(List.of("scalar"), shortened.implementations());
        assertEquals(List.of(GemmShape.parse("1024x1024x1024")), shortened.shapes());
        int measurements = runs.stream().mapToInt(GemmComparison.JmhRun::measurements).sum();
        assertEquals(GemmShape.WORKLOAD.size() * (2 * 2 + 1), measurements);
        assertTrue(GemmComparison.estimatedSeconds(runs) < 300, "the default comparison is planned to fit in 5 minutes");
    }

    @Test
    void scalarAloneAtTheThreadCountAsked() {
        List<GemmComparison.JmhRun> runs = GemmComparison.plan(List.of(GemmShape.parse("8x8x8")), List.of(2),
                List.of("scalar"));

        assertEquals(List.of(new GemmComparison.JmhRun(List.of("scalar"), List.of(GemmShape.parse("8x8x8")),
                List.of(2), false)), runs);
    }

    @Test
    void jmhArgumentsSelectTheMethodsAndPassShapesAndThreadsAsParameters() {
        GemmComparison.JmhRun run = new GemmComparison.JmhRun(List.of("ae", "openblas"),
                List.of(GemmShape.parse("784x128x256 AT")), List.of(1, 2), false);

        List<String> arguments = run.jmhArguments(Path.of("/tmp/result.json"));

        Pattern selector = Pattern.compile(arguments.getFirst());
        assertTrue(selector.matcher("ae.bench.GemmBenchmark.ae").find());
        assertTrue(selector.matcher("ae.bench.GemmBenchmark.openblas").find());
        assertTrue(!selector.matcher("ae.bench.GemmBenchmark.scalar").find());
        assertTrue(!selector.matcher("ae.bench.GemmBenchmarkXae").find());
        assertEquals(List.of("-p", "shape=784x128x256 AT", "-p", "threads=1,2", "-foe", "true", "-rf", "json",
                "-rff", "/tmp/result.json"), arguments.subList(1, arguments.size()));
    }

    @Test
    void shortenedRunsAskJmhForFewerIterations() {
        GemmComparison.JmhRun run = new GemmComparison.JmhRun(List.of("scalar"),
                List.of(GemmShape.parse("1024x1024x1024")), List.of(1), true);

        List<String> arguments = run.jmhArguments(Path.of("r.json"));

        int warmups = arguments.indexOf("-wi");
        assertEquals("1", arguments.get(warmups + 1));
        assertEquals("2", arguments.get(arguments.indexOf("-i") + 1));
    }

    @Test
    void roundsCombineIntoTheMedianAndAWideSpreadIsUnsteady() {
        GemmShape shape = GemmShape.parse("128x784x256");
        GemmShape other = GemmShape.parse("784x128x256 AT");
        List<GemmResult> results = List.of(
                new GemmResult(shape, 1, "ae", 100, 0.01),
                new GemmResult(other, 1, "ae", 50, 0.02),
                new GemmResult(shape, 1, "ae", 104, 0.03),
                new GemmResult(shape, 1, "ae", 98, 0.02),
                new GemmResult(other, 1, "ae", 80, 0.01),
                new GemmResult(shape, 2, "ae", 180, Double.NaN));
        List<GemmResult> combined = GemmComparison.medianOfRounds(results);
        assertEquals(3, combined.size());
        GemmResult steady = combined.get(0);
        assertEquals(shape, steady.shape());
        assertEquals(100, steady.gflops(), 0);
        assertEquals(0.03, steady.relativeError(), 1e-12, "half the 98..104 spread over 100 is below the median error");
        assertFalse(steady.unsteady());
        GemmResult moved = combined.get(1);
        assertEquals(other, moved.shape());
        assertEquals(50, moved.gflops(), 0, "the lower middle of two");
        assertEquals(0.3, moved.relativeError(), 1e-12);
        assertTrue(moved.unsteady());
        assertEquals(180, combined.get(2).gflops(), 0);
        assertEquals(2, combined.get(2).threads());
    }
}
