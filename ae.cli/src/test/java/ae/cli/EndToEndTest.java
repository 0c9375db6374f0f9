package ae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.cli.bench.WorkloadBenchCommand;
import ae.cli.json.Json;
import ae.cli.model.EncodeCommand;
import ae.cli.model.EvalCommand;
import ae.cli.model.ExportCommand;
import ae.cli.model.InspectCommand;
import ae.cli.model.ScoreCommand;
import ae.cli.train.DemoCommand;
import ae.cli.train.TrainCommand;
import ae.data.Dataset;
import ae.data.NpyFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command, run in-process as {@code ae} would run it, on a tiny labelled image set: 8 x 8 images, 240 for
 * training and 60 for testing, in the MNIST folder layout. One training run in {@link #trainOnce} makes the
 * checkpoint the other commands read.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndTest {
    private static final Set<String> PICTURES = Set.of("reconstructions.png", "filters.png", "loss.png", "codes.png");

    @TempDir
    static Path temp;
    private Path data;
    private Path trained;
    private CommandRun training;
    private List<Command> commands;

    @BeforeAll
    void trainOnce() throws IOException {
        System.setProperty("java.awt.headless", "true");
        data = TinyData.folder(temp.resolve("tiny"), 8, 240, 60, 11);
        commands = new ArrayList<>(Main.commands(null, false));
        commands.removeIf(command -> command instanceof DemoCommand);
        commands.add(new DemoCommand(false, data.toString()));
        trained = temp.resolve("trained");
        training = run("train", "--data", data.toString(), "--epochs", "2", "--batch", "32", "--hidden", "8",
                "--threads", "1", "--lr", "0.01", "--out", trained.toString(), "--json");
    }

    private CommandRun run(String... args) {
        return CommandRun.of(commands, args);
    }

    private Path checkpoint() {
        return trained.resolve("model.ckpt");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String line) {
        return (Map<String, Object>) Json.parse(line);
    }

    private static BufferedImage image(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " is not a readable image");
        return image;
    }

    private static List<String> leftovers(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.startsWith(".")).toList();
        }
    }

    @Test
    void trainPrintsOneJsonObjectPerEpochAndWritesTheCheckpointAndPictures() throws IOException {
        assertEquals(0, training.exit(), training.toString());
        List<String> lines = training.outLines();
        assertEquals(2, lines.size(), training.toString());
        for (int i = 0; i < lines.size(); i++) {
            Map<String, Object> epoch = object(lines.get(i));
            assertEquals(i + 1, ((Number) epoch.get("epoch")).intValue());
            for (String key : List.of("train_loss", "val_loss", "test_loss", "samples_per_s", "seconds")) {
                assertTrue(epoch.get(key) instanceof Number number && number.doubleValue() > 0, key + " in " + epoch);
            }
        }
        assertTrue(Files.size(checkpoint()) > 0);
        for (String picture : PICTURES) {
            image(trained.resolve(picture));
        }
        assertEquals(List.of(), leftovers(trained));
    }

    @Test
    void picturesHaveTheirLayoutsSizes() throws IOException {
        BufferedImage loss = image(trained.resolve("loss.png"));
        assertEquals(760, loss.getWidth());
        assertEquals(460, loss.getHeight());
        BufferedImage codes = image(trained.resolve("codes.png"));
        assertEquals(640, codes.getHeight());
        assertTrue(codes.getWidth() >= 86 + 540 + 30, "codes.png is " + codes.getWidth() + " wide");
        // 8 x 8 tiles drawn 7 pixels per cell: 56 pixels. Twenty examples in two pairs of rows of ten.
        BufferedImage reconstructions = image(trained.resolve("reconstructions.png"));
        assertEquals(40 + 2 * (16 + 2 * 56 + 6 + 12) + 16, reconstructions.getHeight());
        assertTrue(reconstructions.getWidth() >= 10 * (56 + 6), "reconstructions.png is " + reconstructions.getWidth());
        // Eight hidden units in three rows of three.
        BufferedImage filters = image(trained.resolve("filters.png"));
        assertEquals(40 + 3 * (56 + 6) - 6 + 16, filters.getHeight());
        assertTrue(filters.getWidth() >= 3 * (56 + 6));
    }

    @Test
    void trainWithoutJsonPrintsAPlainLinePerEpochAndSaysWhereTheFilesAre() throws IOException {
        Path npy = temp.resolve("plain.npy");
        try (Dataset rows = ae.cli.data.DataSource.load(data.toString()).data()) {
            NpyFiles.write(npy, rows.features());
        }
        Path out = temp.resolve("plain");
        CommandRun plain = run("train", "--model", "sparse-kl", "--data", npy.toString(), "--epochs", "1", "--batch",
                "64", "--hidden", "6", "--threads", "2", "--validation", "0", "--out", out.toString());

        assertEquals(0, plain.exit(), plain.toString());
        assertTrue(plain.out().contains("epoch 1/1  train_loss "), plain.out());
        assertFalse(plain.out().contains("val_loss"), plain.out());
        assertTrue(plain.out().contains(out.resolve("model.ckpt").toString()), plain.out());
        for (String picture : PICTURES) {
            assertTrue(plain.out().contains(out.resolve(picture).toString()), picture + " not mentioned: " + plain);
            image(out.resolve(picture));
        }
    }

    @Test
    void demoTrainsAndDrawsIntoItsFolder() throws IOException {
        Path out = temp.resolve("demo");
        CommandRun demo = run("demo", "--epochs", "1", "--threads", "1", "--out", out.toString());

        assertEquals(0, demo.exit(), demo.toString());
        assertTrue(demo.out().contains("contractive"), demo.out());
        assertTrue(Files.isRegularFile(out.resolve("model.ckpt")));
        for (String picture : PICTURES) {
            image(out.resolve(picture));
        }
        // 64 inputs give the contractive preset 21 hidden units: five rows of five tiles.
        assertEquals(40 + 5 * (56 + 6) - 6 + 16, image(out.resolve("filters.png")).getHeight());
    }

    @Test
    void evalReportsTheLossOnTheDataAndItsTestSplit() {
        CommandRun eval = run("eval", "--checkpoint", checkpoint().toString(), "--data", data.toString(), "--json",
                "--threads", "1");

        assertEquals(0, eval.exit(), eval.toString());
        Map<String, Object> result = object(eval.out().strip());
        assertEquals(240, ((Number) result.get("rows")).intValue());
        assertEquals(60, ((Number) result.get("test_rows")).intValue());
        assertTrue(((Number) result.get("loss")).doubleValue() > 0, result.toString());
        assertTrue(((Number) result.get("test_loss")).doubleValue() > 0, result.toString());
        assertEquals("contractive", result.get("model"));

        CommandRun plain = run("eval", "--checkpoint", checkpoint().toString(), "--data", data.toString());
        assertEquals(0, plain.exit(), plain.toString());
        assertEquals(2, plain.outLines().size(), plain.toString());
    }

    @Test
    void encodeWritesTheCodesAndLabelsAsNpy() throws IOException {
        Path codes = temp.resolve("out/codes.npy");
        Path labels = temp.resolve("out/labels.npy");
        CommandRun encode = run("encode", "--checkpoint", checkpoint().toString(), "--data", data.toString(), "--out",
                codes.toString(), "--labels", labels.toString());

        assertEquals(0, encode.exit(), encode.toString());
        try (Dataset read = NpyFiles.read(codes, "codes")) {
            assertEquals(240, read.size());
            assertEquals(8, read.dimension());
        }
        // ae.data reads no int32 arrays, so the labels file is checked byte by byte (NPY format 1.0).
        ByteBuffer npy = ByteBuffer.wrap(Files.readAllBytes(labels)).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = Short.toUnsignedInt(npy.getShort(8));
        String header = new String(Files.readAllBytes(labels), 10, headerLength, java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(header.contains("'descr': '<i4'") && header.contains("'shape': (240,)"), header);
        assertEquals(240 * 4, npy.capacity() - 10 - headerLength);
        assertEquals(List.of(0, 1, 2, 0), List.of(npy.getInt(10 + headerLength), npy.getInt(14 + headerLength),
                npy.getInt(18 + headerLength), npy.getInt(22 + headerLength)));
    }

    @Test
    void scoreWritesOneScorePerRowAsCsvOrNpy() throws IOException {
        Path csv = temp.resolve("scores.csv");
        CommandRun score = run("score", "--checkpoint", checkpoint().toString(), "--data", data.toString(), "--out",
                csv.toString());

        assertEquals(0, score.exit(), score.toString());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("row,score,label", lines.getFirst());
        assertEquals(241, lines.size());
        assertTrue(Double.parseDouble(lines.get(1).split(",")[1]) > 0, lines.get(1));
        assertTrue(score.out().contains("highest: row "), score.out());

        Path npy = temp.resolve("scores.npy");
        assertEquals(0, run("score", "--checkpoint", checkpoint().toString(), "--data", data.toString(), "--out",
                npy.toString()).exit());
        try (Dataset read = NpyFiles.read(npy, "scores")) {
            assertEquals(240, read.size());
            assertEquals(Double.parseDouble(lines.get(1).split(",")[1]), read.get(0, 0), 1e-3);
        }

        CommandRun wrongFormat = run("score", "--checkpoint", checkpoint().toString(), "--out", "scores.txt");
        assertEquals(2, wrongFormat.exit(), wrongFormat.toString());
    }

    @Test
    void exportWritesEveryParameterIntoAnNpzArchive() throws IOException {
        Path npz = temp.resolve("weights.npz");
        CommandRun export = run("export", "--npz", "--checkpoint", checkpoint().toString(), "--out", npz.toString());

        assertEquals(0, export.exit(), export.toString());
        try (ZipFile zip = new ZipFile(npz.toFile())) {
            List<String> names = zip.stream().map(java.util.zip.ZipEntry::getName).sorted().toList();
            assertEquals(List.of("decoder.0.bias.npy", "decoder.0.weight.npy", "encoder.0.bias.npy",
                    "encoder.0.weight.npy"), names);
        }
        assertTrue(export.out().contains("encoder.0.weight  8 x 64  float32"), export.out());

        assertEquals(0, run("export", "--checkpoint", checkpoint().toString()).exit());
        assertTrue(Files.isRegularFile(trained.resolve("model.npz")));
    }

    @Test
    void inspectShowsTheConfigurationHistoryAndTensors() {
        CommandRun inspect = run("inspect", "--checkpoint", checkpoint().toString());
        assertEquals(0, inspect.exit(), inspect.toString());
        assertTrue(inspect.out().contains("contractive autoencoder 64 -> 8 sigmoid -> 64 sigmoid, contractive (weight"
                + " 0.1, probes 0)"), inspect.out());
        assertTrue(inspect.out().contains("encoder.0.weight"), inspect.out());
        assertTrue(inspect.out().contains("8 x 64"), inspect.out());

        CommandRun json = run("inspect", "--checkpoint", checkpoint().toString(), "--json");
        assertEquals(0, json.exit(), json.toString());
        Map<String, Object> result = object(json.out().strip());
        assertEquals(4, ((List<?>) result.get("tensors")).size());
        @SuppressWarnings("unchecked")
        Map<String, Object> history = (Map<String, Object>) result.get("history");
        assertEquals("completed", history.get("outcome"));
        @SuppressWarnings("unchecked")
        Map<String, Object> model = (Map<String, Object>) result.get("model");
        assertEquals("[{kind=contractive, weight=0.1, probes=0}]", model.get("penalties").toString());
        assertEquals("{kind=bernoulli}", model.get("likelihood").toString());
        assertEquals(2, ((List<?>) history.get("epochs")).size());
    }

    @Test
    void inspectShowsTheThreadCountTheCheckpointWasTrainedWith() {
        // inspect loads the model on one thread, whatever the checkpoint asks for; it must still report the file's.
        Path out = temp.resolve("two-threads");
        CommandRun train = run("train", "--data", data.toString(), "--epochs", "1", "--batch", "32", "--hidden", "8",
                "--threads", "2", "--out", out.toString());
        assertEquals(0, train.exit(), train.toString());
        String checkpoint = out.resolve("model.ckpt").toString();

        CommandRun text = run("inspect", "--checkpoint", checkpoint);
        assertEquals(0, text.exit(), text.toString());
        assertTrue(text.out().contains("seed 0, 2 threads,"), text.out());
        CommandRun json = run("inspect", "--checkpoint", checkpoint, "--json");
        assertEquals(0, json.exit(), json.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> training = (Map<String, Object>) object(json.out().strip()).get("training");
        assertEquals(2L, ((Number) training.get("threads")).longValue(), json.out());
    }

    @Test
    void workloadBenchmarkPrintsThroughputAndAllocationAsJson() throws IOException {
        Path images = TinyData.folder(temp.resolve("tiny28"), 28, 260, 10, 5);
        CommandRun bench = run("bench", "workload", "R1", "--threads", "1,2", "--steps", "2", "--warmup", "1",
                "--data", images.toString(), "--json");

        assertEquals(0, bench.exit(), bench.toString());
        assertEquals(2, bench.outLines().size(), bench.toString());
        for (int i = 0; i < 2; i++) {
            Map<String, Object> line = object(bench.outLines().get(i));
            assertEquals(List.of("workload", "threads", "steps", "samples_per_s", "heap_bytes_per_step",
                    "round_trip_ns_before", "round_trip_ns_after"), List.copyOf(line.keySet()));
            assertEquals("R1", line.get("workload"));
            assertEquals(i + 1, ((Number) line.get("threads")).intValue());
            assertEquals(2, ((Number) line.get("steps")).intValue());
            assertTrue(((Number) line.get("samples_per_s")).doubleValue() > 0, line.toString());
            assertTrue(((Number) line.get("heap_bytes_per_step")).doubleValue() >= 0, line.toString());
            if (i == 0 || Runtime.getRuntime().availableProcessors() < 2) {
                assertNull(line.get("round_trip_ns_before"), line.toString());
                assertNull(line.get("round_trip_ns_after"), line.toString());
            } else {
                for (String key : List.of("round_trip_ns_before", "round_trip_ns_after")) {
                    double nanos = ((Number) line.get(key)).doubleValue();
                    assertTrue(nanos > 0 && nanos < 1e7, line.toString());
                }
            }
        }

        CommandRun unknown = run("bench", "workload", "R9");
        assertEquals(2, unknown.exit());
        assertEquals(List.of("ae: unknown workload 'R9' (known: R1, R2, R3, R4, R5, R6)"), unknown.errLines());
        CommandRun missing = run("bench", "workload", "--steps", "3");
        assertEquals(2, missing.exit());
        assertEquals(1, missing.errLines().size(), missing.toString());
    }

    @Test
    void aCosineScheduleIsKeptInTheCheckpoint() {
        Path out = temp.resolve("cosine");
        CommandRun cosine = run("train", "--data", data.toString(), "--epochs", "3", "--batch", "32", "--hidden", "8",
                "--threads", "1", "--schedule", "cosine", "--out", out.toString());
        assertEquals(0, cosine.exit(), cosine.toString());
        String inspect = run("inspect", "--checkpoint", out.resolve("model.ckpt").toString()).out();
        assertTrue(inspect.contains("schedule cosine (epochs 3"), inspect);
        assertTrue(run("inspect", "--checkpoint", checkpoint().toString()).out().contains("schedule constant"));
    }

    @Test
    void wrongCommandLinesAreOneLineAndExitTwo() {
        for (String[] args : List.of(new String[] {"train", "--epoch", "3"}, new String[] {"train", "--model", "vea"},
                new String[] {"train", "--loss", "hinge"}, new String[] {"train", "--model", "vae", "--l1", "-1"},
                new String[] {"train", "--model", "contractive", "--code-noise", "0.1"},
                new String[] {"train", "--lr", "fast"}, new String[] {"train", "--schedule", "linear"},
                new String[] {"train", "--model", "undercomplete",
                        "--corruption", "0.2"}, new String[] {"eval", "--json=yes"})) {
            CommandRun wrong = run(args);
            assertEquals(2, wrong.exit(), String.join(" ", args) + ": " + wrong);
            assertEquals(1, wrong.errLines().size(), wrong.toString());
            assertTrue(wrong.err().startsWith("ae: "), wrong.toString());
            assertEquals("", wrong.out());
        }
    }

    @Test
    void missingAndCorruptFilesAreOneLineAndExitOneWithATraceOnlyWhenVerbose() throws IOException {
        CommandRun missingData = run("eval", "--checkpoint", checkpoint().toString(), "--data", "no/such/data.npy");
        assertEquals(1, missingData.exit());
        assertEquals(List.of("ae: no such file or folder: no/such/data.npy (neither a file, a folder, nor a built-in"
                + " dataset (fashion-mnist, fashion-mnist-sample, swiss-roll, s-curve, circle, sphere, spiral,"
                + " gaussian-mixture))"), missingData.errLines());

        Path garbage = temp.resolve("garbage.npy");
        Files.writeString(garbage, "this is not numpy");
        CommandRun corruptData = run("encode", "--checkpoint", checkpoint().toString(), "--data", garbage.toString());
        assertEquals(1, corruptData.exit());
        assertEquals(1, corruptData.errLines().size(), corruptData.toString());
        assertTrue(corruptData.err().contains(garbage.toString()), corruptData.toString());

        CommandRun missingCheckpoint = run("inspect", "--checkpoint", temp.resolve("none.ckpt").toString());
        assertEquals(1, missingCheckpoint.exit());
        assertEquals(List.of("ae: no checkpoint at " + temp.resolve("none.ckpt")), missingCheckpoint.errLines());

        CommandRun verbose = run("encode", "--checkpoint", checkpoint().toString(), "--data", garbage.toString(),
                "--verbose");
        assertEquals(1, verbose.exit());
        assertTrue(verbose.err().contains("\tat "), verbose.toString());
    }

    @Test
    void aCheckpointOfAnotherFormatVersionOrWithDamageIsRefusedInOneLine() throws IOException {
        byte[] bytes = Files.readAllBytes(checkpoint());
        byte[] otherVersion = bytes.clone();
        ByteBuffer.wrap(otherVersion).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 99);
        Path future = temp.resolve("future.ckpt");
        Files.write(future, otherVersion);
        CommandRun refused = run("inspect", "--checkpoint", future.toString());
        assertEquals(1, refused.exit());
        assertEquals(1, refused.errLines().size(), refused.toString());
        assertTrue(refused.err().contains("version 99 is not supported"), refused.toString());

        byte[] damaged = bytes.clone();
        damaged[damaged.length / 2] ^= 0x40;
        Path broken = temp.resolve("broken.ckpt");
        Files.write(broken, damaged);
        CommandRun checksum = run("eval", "--checkpoint", broken.toString(), "--data", data.toString());
        assertEquals(1, checksum.exit());
        assertEquals(1, checksum.errLines().size(), checksum.toString());
        assertTrue(checksum.err().contains("checksum"), checksum.toString());
    }

    @Test
    void dataOutsideTheUnitIntervalTrainsWithSquaredErrorOrIsRefusedWithBce() throws IOException {
        Path csv = temp.resolve("wide.csv");
        Files.writeString(csv, "a,b,label\n0.5,3,0\n0.1,0.2,1\n0.3,0.4,0\n0.9,0.1,1\n");
        Path out = temp.resolve("never");
        CommandRun refused = run("train", "--data", csv.toString(), "--out", out.toString(), "--epochs", "1",
                "--loss", "bce");

        assertEquals(1, refused.exit(), refused.toString());
        assertEquals(1, refused.errLines().size(), refused.toString());
        assertTrue(refused.err().contains("needs features in [0, 1]") && refused.err().contains("3.0 at row 0,"
                + " column 1"), refused.toString());
        assertFalse(Files.exists(out));

        Path trainedOut = temp.resolve("wide-out");
        CommandRun trained = run("train", "--data", csv.toString(), "--out", trainedOut.toString(), "--epochs", "1",
                "--batch", "2", "--validation", "0", "--hidden", "2");
        assertEquals(0, trained.exit(), trained.toString());
        assertTrue(trained.out().contains("training with squared error and a linear output"), trained.out());
        CommandRun inspect = run("inspect", "--checkpoint", trainedOut.resolve("model.ckpt").toString());
        assertTrue(inspect.out().contains("-> 2 identity, squared error"), inspect.out());
    }

    @Test
    void helpListsEveryCommandAndEveryOptionWithItsDefault() {
        CommandRun top = run("--help");
        assertEquals(0, top.exit());
        String flat = top.out().replaceAll("\\s+", " ");
        for (Command command : commands) {
            assertTrue(flat.contains(command.displayName()), command.displayName() + " missing from --help");
        }
        for (Command command : commands) {
            String text = CommandRun.of(commands, Stream.concat(command.path().stream(), Stream.of("--help"))
                    .toArray(String[]::new)).out().replaceAll("\\s+", " ");
            for (Option option : command.options()) {
                assertTrue(text.contains(option.synopsis()), option.name() + " missing from " + command.displayName());
                assertTrue(text.contains("(default: " + option.defaultValue().replaceAll("\\s+", " ") + ")"),
                        option.name() + "'s default missing from " + command.displayName() + ": " + text);
            }
        }
        assertTrue(run("bench", "workload", "--help").out().contains("usage: ae bench workload <workload> [options]"));
    }

    @Test
    void aVariationalAutoencoderTrainsSamplesReconstructsAndScores() throws IOException {
        Path vae = temp.resolve("vae");
        CommandRun train = run("train", "--model", "vae", "--data", data.toString(), "--epochs", "2", "--batch",
                "32", "--hidden", "16,2", "--threads", "1", "--lr", "0.01", "--out", vae.toString(), "--json");
        assertEquals(0, train.exit(), train.toString());
        Map<String, Object> last = object(train.outLines().getLast());
        double testLoss = ((Number) last.get("test_loss")).doubleValue();
        assertTrue(Double.isFinite(testLoss) && testLoss > 0, last.toString());
        for (String picture : List.of("samples.png", "traversal.png", "reconstructions.png", "codes.png")) {
            assertTrue(Files.isRegularFile(vae.resolve(picture)), picture);
        }
        Path ckpt = vae.resolve("model.ckpt");

        CommandRun eval = run("eval", "--checkpoint", ckpt.toString(), "--data", data.toString(), "--json");
        assertEquals(0, eval.exit(), eval.toString());
        assertEquals(testLoss, ((Number) object(eval.out().strip()).get("test_loss")).doubleValue(), 1e-9);
        CommandRun iwae = run("eval", "--checkpoint", ckpt.toString(), "--data", data.toString(), "--iwae", "20",
                "--json");
        assertEquals(0, iwae.exit(), iwae.toString());
        Map<String, Object> bounds = object(iwae.out().strip());
        assertEquals(20, ((Number) bounds.get("iwae_samples")).intValue());
        double tighter = ((Number) bounds.get("test_iwae_loss")).doubleValue();
        assertTrue(tighter < testLoss && tighter > 0, tighter + " vs the negative ELBO " + testLoss);
        CommandRun noPrior = run("eval", "--checkpoint", checkpoint().toString(), "--data", data.toString(),
                "--iwae", "5");
        assertEquals(1, noPrior.exit(), noPrior.toString());
        assertEquals(1, noPrior.errLines().size(), noPrior.toString());

        Path png = temp.resolve("vae-samples.png");
        CommandRun sample = run("sample", "--checkpoint", ckpt.toString(), "--n", "9", "--seed", "4", "--out",
                png.toString());
        assertEquals(0, sample.exit(), sample.toString());
        assertTrue(image(png).getWidth() > 3 * 8, "a 3 x 3 grid of 8 x 8 images");
        Path npy = temp.resolve("vae-samples.npy");
        assertEquals(0, run("sample", "--checkpoint", ckpt.toString(), "--n", "5", "--out", npy.toString()).exit());
        try (ae.data.Dataset pixels = ae.data.NpyFiles.read(npy, "samples")) {
            assertEquals(5, pixels.size());
            assertEquals(64, pixels.dimension());
        }

        Path reconstructions = temp.resolve("vae-reconstructions.npy");
        CommandRun reconstruct = run("reconstruct", "--checkpoint", ckpt.toString(), "--data", data.toString(),
                "--out", reconstructions.toString());
        assertEquals(0, reconstruct.exit(), reconstruct.toString());
        try (ae.data.Dataset r = ae.data.NpyFiles.read(reconstructions, "r")) {
            assertEquals(240, r.size());
        }
        CommandRun score = run("score", "--checkpoint", ckpt.toString(), "--data", data.toString(), "--out",
                temp.resolve("vae-scores.csv").toString());
        assertEquals(0, score.exit(), score.toString());

        CommandRun refused = run("sample", "--checkpoint", checkpoint().toString(), "--out", png.toString());
        assertEquals(1, refused.exit(), refused.toString());
        assertEquals(1, refused.errLines().size(), refused.toString());
        assertTrue(refused.err().contains("model 'contractive'") && refused.err().contains(checkpoint().toString())
                && refused.err().contains("deterministic"), refused.toString());
    }

    @Test
    void scoreUsesTheChosenScorerAndAsksForTheTrainingRowsWhenItLearnsFromThem() throws IOException {
        Path csv = temp.resolve("mahalanobis.csv");
        CommandRun missing = run("score", "--checkpoint", checkpoint().toString(), "--data", data.toString(),
                "--scorer", "mahalanobis", "--out", csv.toString());
        assertEquals(2, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("--reference"), missing.toString());
        assertFalse(Files.exists(csv));

        CommandRun scored = run("score", "--checkpoint", checkpoint().toString(), "--data", data.toString(),
                "--scorer", "knn", "--neighbours", "3", "--reference", data.toString(), "--out", csv.toString());
        assertEquals(0, scored.exit(), scored.toString());
        assertEquals(241, Files.readAllLines(csv).size());

        CommandRun noPrior = run("score", "--checkpoint", checkpoint().toString(), "--data", data.toString(),
                "--scorer", "iwae", "--out", csv.toString());
        assertEquals(2, noPrior.exit(), noPrior.toString());
        assertEquals(1, noPrior.errLines().size(), noPrior.toString());
        assertTrue(noPrior.err().contains("needs a model with a prior"), noPrior.toString());

        CommandRun wrongSetting = run("score", "--checkpoint", checkpoint().toString(), "--data", data.toString(),
                "--scorer", "squared-error", "--neighbours", "3", "--out", csv.toString());
        assertEquals(2, wrongSetting.exit(), wrongSetting.toString());
        assertTrue(wrongSetting.err().contains("--neighbours is a setting of the knn scorer"), wrongSetting.toString());
    }

    @Test
    void theOneClassProtocolTellsTheOtherClassesApart() {
        CommandRun bench = run("bench", "anomaly", "--data", data.toString(), "--model", "undercomplete", "--hidden",
                "4", "--epochs", "4", "--batch", "16", "--lr", "0.01", "--classes", "0,1", "--threads", "1",
                "--scorer", "squared-error,mahalanobis", "--pca-components", "5", "--json");
        assertEquals(0, bench.exit(), bench.toString());
        List<String> lines = bench.outLines();
        assertEquals(3, lines.size(), bench.toString());
        for (int i = 0; i < 2; i++) {
            Map<String, Object> row = object(lines.get(i));
            assertEquals(i, ((Number) row.get("class")).intValue());
            @SuppressWarnings("unchecked")
            Map<String, Object> auroc = (Map<String, Object>) row.get("auroc");
            // The tiny classes are bands in different places: any working scorer separates them almost perfectly.
            assertTrue(((Number) auroc.get("squared-error")).doubleValue() > 0.9, bench.toString());
            assertTrue(((Number) auroc.get("pca-5")).doubleValue() > 0.9, bench.toString());
        }
        assertEquals("mean", object(lines.get(2)).get("class"));
        CommandRun badClass = run("bench", "anomaly", "--data", data.toString(), "--model", "undercomplete",
                "--classes", "7");
        assertEquals(2, badClass.exit(), badClass.toString());
        assertTrue(badClass.err().contains("no training row has label 7"), badClass.toString());
    }

    @Test
    void everyCommandIsRegistered() {
        List<Class<?>> kinds = Main.commands(null, false).stream().<Class<?>>map(Object::getClass).toList();
        for (Class<?> kind : List.of(DemoCommand.class, TrainCommand.class, EvalCommand.class, EncodeCommand.class,
                ScoreCommand.class, ExportCommand.class, InspectCommand.class, WorkloadBenchCommand.class,
                ae.cli.model.SampleCommand.class, ae.cli.model.ReconstructCommand.class)) {
            assertTrue(kinds.contains(kind), kind.getSimpleName());
        }
    }

    @Test
    void pcaTrainsToACheckpointThatEveryCommandReads() throws IOException {
        Path out = temp.resolve("pca");
        CommandRun train = run("train", "--model", "pca", "--hidden", "5", "--data", data.toString(), "--threads", "1",
                "--validation", "0", "--out", out.toString(), "--json");
        assertEquals(0, train.exit(), train.toString());
        Map<String, Object> epoch = object(train.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        assertEquals("fit", epoch.get("phase"));
        Path pca = out.resolve("model.ckpt");
        CommandRun inspect = run("inspect", "--checkpoint", pca.toString());
        assertEquals(0, inspect.exit(), inspect.toString());
        assertTrue(inspect.out().contains("explained 5 components hold"), inspect.out());
        Map<String, Object> json = object(run("inspect", "--checkpoint", pca.toString(), "--json").out().strip());
        List<?> ratios = (List<?>) json.get("explained_variance_ratio");
        assertEquals(5, ratios.size());
        assertTrue(((Number) ratios.get(0)).doubleValue() >= ((Number) ratios.get(4)).doubleValue());
        Path picture = out.resolve("compare.png");
        CommandRun reconstruct = run("reconstruct", "--checkpoint", checkpoint().toString(), "--data",
                data.toString(), "--out", out.resolve("r.npy").toString(), "--picture", picture.toString(),
                "--compare", pca.toString());
        assertEquals(0, reconstruct.exit(), reconstruct.toString());
        assertTrue(image(picture).getHeight() > 0, reconstruct.toString());
        CommandRun eval = run("eval", "--checkpoint", pca.toString(), "--data", data.toString(), "--json");
        assertEquals(0, eval.exit(), eval.toString());
        Map<String, Object> loss = object(eval.out().strip());
        // The training loss of the fit is the variance left out, which eval measures again on the same rows.
        assertEquals(((Number) epoch.get("train_loss")).doubleValue(), ((Number) loss.get("loss")).doubleValue(),
                1e-3 * ((Number) loss.get("loss")).doubleValue() + 1e-3);
    }

    @Test
    void probeComparesCodesRawFeaturesAndPca() {
        CommandRun probe = run("probe", "--checkpoint", checkpoint().toString(), "--data", data.toString(),
                "--epochs", "20", "--threads", "1", "--json");
        assertEquals(0, probe.exit(), probe.toString());
        Map<String, Object> result = object(probe.out().strip());
        assertEquals(240, ((Number) result.get("train_rows")).intValue());
        assertEquals(60, ((Number) result.get("test_rows")).intValue());
        List<?> probes = (List<?>) result.get("probes");
        assertEquals(3, probes.size());
        for (Object p : probes) {
            // Three classes, 1/3 by chance: every feature set here carries the class.
            assertTrue(((Number) ((Map<?, ?>) p).get("test_accuracy")).doubleValue() > 0.6, probe.out());
        }
        // Bars in different places: linearly separable in the raw pixels.
        assertTrue(((Number) ((Map<?, ?>) probes.get(1)).get("test_accuracy")).doubleValue() > 0.9, probe.out());
        assertEquals(8, ((Number) ((Map<?, ?>) probes.get(2)).get("dimension")).intValue(), "PCA of the code's size");
        CommandRun tooManyComponents = run("probe", "--checkpoint", checkpoint().toString(), "--data",
                data.toString(), "--pca", "65");
        assertTrue(tooManyComponents.exit() != 0, tooManyComponents.toString());
        assertTrue(tooManyComponents.err().contains("--pca 65 exceeds the data's 64 features"), tooManyComponents.err());
    }
}
