package ae.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.lists;

import ae.cli.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parsing and arithmetic of {@code ae bench startup}; the processes themselves are a benchmark, not a test. */
class StartupBenchTest {
    @Test
    void readsTheEpochLinesOfBothImplementationsAndSkipsTheRest() {
        String ae = """
                training R1 autoencoder 784 -> 256 sigmoid -> 784 sigmoid on fashion-mnist
                {"phase":"train","epoch":1,"train_loss":277.6,"val_loss":null,"samples_per_s":12000.5,"seconds":5.0}
                {"phase":"train","epoch":2,"train_loss":250.1,"val_loss":null,"samples_per_s":65000,"seconds":0.9}
                {not json
                training of 'R1' completed 2 epochs (6.0 s)
                """;
        assertArrayEquals(new double[] {12000.5, 65000}, StartupBench.samplesPerSecond(ae));
        String torch = "{\"epoch\": 1, \"samples_per_s\": 6258.7, \"seconds\": 9.5}\n{\"test_loss\": 229.8}\n";
        assertArrayEquals(new double[] {6258.7}, StartupBench.samplesPerSecond(torch));
    }

    @Test
    void theMedianHasAsManyValuesBelowAsAbove() {
        qt().forAll(lists().of(doubles().between(-1e6, 1e6)).ofSizeBetween(1, 30)).checkAssert(values -> {
            double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
            double m = StartupBench.median(v);
            long below = Arrays.stream(v).filter(x -> x < m).count();
            long above = Arrays.stream(v).filter(x -> x > m).count();
            assertTrue(below <= v.length / 2 && above <= v.length / 2, m + " in " + values);
            assertTrue(m >= Arrays.stream(v).min().getAsDouble() && m <= Arrays.stream(v).max().getAsDouble());
        });
        assertEquals(2.5, StartupBench.median(new double[] {4, 1, 3, 2}));
        assertTrue(Double.isNaN(StartupBench.median(new double[0])));
    }

    @Test
    void summariesTakeTheFirstEpochOfJobsAndTheLastOfSteadyRuns() {
        List<StartupBench.Run> jobs = List.of(new StartupBench.Run(3.0, 200 * 1024, new double[] {10}),
                new StartupBench.Run(5.0, 300 * 1024, new double[] {30}),
                new StartupBench.Run(4.0, 250 * 1024, new double[] {20}));
        List<StartupBench.Run> steady = List.of(new StartupBench.Run(9, 1, new double[] {10, 40, 60}),
                new StartupBench.Run(9, 1, new double[] {10, 40, 80}));
        StartupBench.Summary s = StartupBench.summarize("ae", jobs, steady);
        assertEquals(4.0, s.wallSeconds());
        assertEquals(3.0, s.fastestWallSeconds());
        assertEquals(5.0, s.slowestWallSeconds());
        assertEquals(20, s.firstEpochSamplesPerSecond());
        assertEquals(70, s.steadySamplesPerSecond());
        assertEquals(250, s.peakRssMib());
        assertEquals(20.0 / 70, s.firstOverSteady());
    }

    @Test
    void ratiosAreAeOverPytorch() {
        StartupBench.Summary ae = new StartupBench.Summary("ae", 3, 2.0, 1.5, 2.5, 50_000, 60_000, 150);
        StartupBench.Summary torch = new StartupBench.Summary("pytorch", 3, 4.0, 3.5, 4.5, 25_000, 30_000, 600);
        StartupBench.PairedWall paired = new StartupBench.PairedWall(0.52, 0.4, 0.6);
        List<String> lines = StartupBench.json(ae, torch, paired, Map.of("workload", "R1"));
        assertEquals(3, lines.size());
        Map<?, ?> ratios = (Map<?, ?>) Json.parse(lines.get(2));
        assertEquals("ae/pytorch", ratios.get("impl"));
        assertEquals(0.5, ((Number) ratios.get("wall_s")).doubleValue());
        assertEquals(2.0, ((Number) ratios.get("first_epoch_samples_per_s")).doubleValue());
        assertEquals(0.25, ((Number) ratios.get("peak_rss_mib")).doubleValue());
        assertEquals(0.52, ((Number) ratios.get("wall_s_paired_median")).doubleValue());
        assertEquals(0.4, ((Number) ratios.get("wall_s_paired_min")).doubleValue());
        assertEquals(0.6, ((Number) ratios.get("wall_s_paired_max")).doubleValue());
        Map<?, ?> aeLine = (Map<?, ?>) Json.parse(lines.get(0));
        assertEquals(1.5, ((Number) aeLine.get("wall_s_min")).doubleValue());
        assertEquals(2.5, ((Number) aeLine.get("wall_s_max")).doubleValue());
        String table = StartupBench.table(ae, torch, paired);
        assertTrue(table.contains("ae/pytorch"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("wall time (s)") && l.trim().endsWith("0.50")), table);
        assertTrue(table.lines().anyMatch(l -> l.contains("1.50-2.50") && l.contains("3.50-4.50")), table);
        assertTrue(table.contains("median 0.52, 0.40 to 0.60"), table);
        String alone = StartupBench.table(ae, null, null);
        assertTrue(!alone.contains("pytorch"), alone);
        assertTrue(alone.contains("1.50-2.50"), alone);
        assertEquals(1, StartupBench.json(ae, null, null, Map.of()).size());
    }

    @Test
    void pairedRatiosTakeEachAeRunOverThePytorchRunBesideIt() {
        // Load that doubles both runs of the second pair leaves its ratio alone, where medians of each side would
        // pair runs from different moments.
        List<StartupBench.Run> ae = List.of(new StartupBench.Run(4.0, 1, new double[] {1}),
                new StartupBench.Run(8.8, 1, new double[] {1}), new StartupBench.Run(3.9, 1, new double[] {1}));
        List<StartupBench.Run> torch = List.of(new StartupBench.Run(4.0, 1, new double[] {1}),
                new StartupBench.Run(8.0, 1, new double[] {1}), new StartupBench.Run(3.0, 1, new double[] {1}));
        StartupBench.PairedWall paired = StartupBench.PairedWall.of(ae, torch);
        assertEquals(1.1, paired.median(), 1e-12);
        assertEquals(1.0, paired.lowest(), 1e-12);
        assertEquals(1.3, paired.highest(), 1e-12);
    }

    @Test
    void readsThePeakResidentSetOfAStatusFile(@TempDir Path dir) throws IOException {
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\nVmPeak:\t 9000 kB\nVmHWM:\t  123456 kB\nVmRSS:\t 100 kB\n");
        assertEquals(123456, StartupBenchCommand.highWaterMarkKib(status));
        assertEquals(0, StartupBenchCommand.highWaterMarkKib(dir.resolve("gone")));
    }
}
