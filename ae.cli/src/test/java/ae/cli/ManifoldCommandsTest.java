package ae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.cli.json.Json;
import ae.data.Dataset;
import ae.data.NpyFiles;
import ae.models.ContractivePenalty;
import ae.models.FittedAutoencoder;
import ae.models.GreedyLayerWise;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ae train on synthetic data, ae field, ae tangents, and --contractive reaching the stacked preset's pretraining. */
class ManifoldCommandsTest {
    @TempDir
    Path temp;

    private static CommandRun run(String... args) {
        System.setProperty("java.awt.headless", "true");
        return CommandRun.of(Main.commands(null, false), args);
    }

    @Test
    void denoisingScoreOnACircleThenItsFieldAndTangents() throws IOException {
        Path out = temp.resolve("score");
        CommandRun train = run("train", "--model", "denoising-score", "--data", "circle", "--n", "300", "--noise",
                "0.05", "--epochs", "2", "--batch", "32", "--threads", "1", "--out", out.toString());
        assertEquals(0, train.exit(), train::toString);
        Path checkpoint = out.resolve("model.ckpt");
        Path picture = temp.resolve("field.png");
        CommandRun field = run("field", "--checkpoint", checkpoint.toString(), "--data", "circle", "--n", "300",
                "--grid", "5", "--chains", "2", "--steps", "3", "--out", picture.toString());
        assertEquals(0, field.exit(), field::toString);
        assertTrue(Files.size(picture) > 1000);
        Path tangents = temp.resolve("t.npy");
        Path values = temp.resolve("s.npy");
        CommandRun t = run("tangents", "--checkpoint", checkpoint.toString(), "--data", "circle", "--n", "300",
                "--k", "1", "--out", tangents.toString(), "--singular-values", values.toString());
        assertEquals(0, t.exit(), t::toString);
        try (Dataset directions = NpyFiles.read(tangents, "t");
             Dataset singular = NpyFiles.read(values, "s")) {
            assertEquals(300, directions.size());
            assertEquals(2, directions.dimension());
            for (int i = 0; i < 300; i++) {
                double norm = Math.hypot(directions.get(i, 0), directions.get(i, 1));
                assertEquals(1, norm, 1e-5, "row " + i + " is a unit vector");
                assertTrue(singular.get(i, 0) >= singular.get(i, 1));
            }
        }
        CommandRun tooMany = run("tangents", "--checkpoint", checkpoint.toString(), "--data", "circle", "--k", "3",
                "--out", tangents.toString());
        assertEquals(Main.EXIT_USAGE, tooMany.exit(), tooMany::toString);
        assertEquals(1, tooMany.errLines().size(), tooMany::toString);
        CommandRun wrongData = run("field", "--checkpoint", checkpoint.toString(), "--data", "sphere", "--out",
                picture.toString());
        assertTrue(wrongData.exit() != 0 && wrongData.errLines().size() == 1, wrongData::toString);
    }

    @Test
    void contractiveOnTheStackedPresetReachesEveryLayersPretraining() throws IOException {
        Path out = temp.resolve("stacked");
        CommandRun train = run("train", "--model", "stacked", "--contractive", "0.2", "--data", "swiss-roll",
                "--embed", "6", "--n", "200", "--hidden", "5,3", "--pretrain-epochs", "1", "--epochs", "1",
                "--batch", "32", "--threads", "1", "--out", out.toString());
        assertEquals(0, train.exit(), train::toString);
        try (FittedAutoencoder model = FittedAutoencoder.load(out.resolve("model.ckpt"))) {
            assertEquals(List.of(new ContractivePenalty(0.2)),
                    ((GreedyLayerWise) model.config().procedure()).layerPenalties());
            assertTrue(model.config().penalties().contains(new ContractivePenalty(0.2)));
        }
    }

    /** ae bench tangents over several seeds: the median of the seeds' medians lies between their lowest and highest. */
    @Test
    @SuppressWarnings("unchecked")
    void tangentBenchSummarizesSeveralSeeds() {
        CommandRun bench = run("bench", "tangents", "--data", "circle", "--embed", "0", "--n", "100", "--test", "9",
                "--epochs", "1", "--models", "plain", "--seeds", "3", "--json");
        assertEquals(0, bench.exit(), bench::toString);
        assertEquals(1, bench.outLines().size(), bench::toString);
        Map<String, Object> row = (Map<String, Object>) Json.parse(bench.outLines().getFirst());
        assertEquals("plain", row.get("model"));
        assertEquals(3, ((Number) row.get("seeds")).intValue());
        double lowest = ((Number) row.get("lowest_median_degrees")).doubleValue();
        double median = ((Number) row.get("median_degrees")).doubleValue();
        double highest = ((Number) row.get("highest_median_degrees")).doubleValue();
        assertTrue(lowest <= median && median <= highest && lowest < highest && highest <= 90, bench::toString);
        CommandRun wrongSite = run("bench", "tangents", "--site", "decoder");
        assertEquals(Main.EXIT_USAGE, wrongSite.exit(), wrongSite::toString);
        CommandRun wrongPoints = run("bench", "tangents", "--at", "projected");
        assertEquals(Main.EXIT_USAGE, wrongPoints.exit(), wrongPoints::toString);
        CommandRun negativeHessian = run("bench", "tangents", "--hessian", "-1");
        assertEquals(Main.EXIT_USAGE, negativeHessian.exit(), negativeHessian::toString);
    }

    /** PSD's codes are inferred by an optimizer, not computed by a differentiable encoder: refused in one line. */
    @Test
    void tangentsRefuseAModelWithoutAnEncoderJacobian() {
        Path out = temp.resolve("psd");
        CommandRun train = run("train", "--model", "psd", "--data", "circle", "--n", "100", "--epochs", "1",
                "--batch", "32", "--threads", "1", "--out", out.toString());
        assertEquals(0, train.exit(), train::toString);
        Path tangents = temp.resolve("psd-tangents.npy");
        CommandRun refused = run("tangents", "--checkpoint", out.resolve("model.ckpt").toString(), "--data",
                "circle", "--n", "100", "--k", "1", "--out", tangents.toString());
        assertTrue(refused.exit() != 0, refused::toString);
        assertEquals(1, refused.errLines().size(), refused::toString);
        assertTrue(refused.errLines().get(0).contains("no encoder Jacobian"), refused::toString);
        assertFalse(Files.exists(tangents), "nothing is written");
    }

    @Test
    void spectrumOfTwoModelsAndTangentImages() throws IOException {
        String[] data = {"--data", "swiss-roll", "--embed", "9", "--n", "200"};
        for (String model : new String[] {"contractive", "undercomplete"}) {
            CommandRun train = run(concat(new String[] {"train", "--model", model, "--hidden", "4", "--epochs", "1",
                "--batch", "32", "--threads", "1", "--out", temp.resolve(model).toString()}, data));
            assertEquals(0, train.exit(), train::toString);
        }
        Path spectrum = temp.resolve("spectrum.png");
        Path tangents = temp.resolve("tangents.png");
        CommandRun run = run(concat(new String[] {"spectrum", "--checkpoint",
            temp.resolve("contractive/model.ckpt") + "," + temp.resolve("undercomplete/model.ckpt"), "--rows", "5",
            "--k", "2", "--images", "2", "--out", spectrum.toString(), "--tangents", tangents.toString()}, data));
        assertEquals(0, run.exit(), run::toString);
        assertTrue(Files.size(spectrum) > 1000 && Files.size(tangents) > 100, run::toString);
        CommandRun missing = run(concat(new String[] {"spectrum", "--checkpoint", temp.resolve("none.ckpt").toString(),
            "--out", spectrum.toString()}, data));
        assertEquals(1, missing.errLines().size(), missing::toString);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
