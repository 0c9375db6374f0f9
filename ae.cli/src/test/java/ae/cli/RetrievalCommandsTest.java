package ae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.cli.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** ae hash, ae search and ae eval-retrieval on a tiny semantic-hashing model, and their refusals. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetrievalCommandsTest {
    @TempDir
    static Path temp;
    private Path data;
    private Path model;
    private List<Command> commands;

    @BeforeAll
    void trainOnce() throws IOException {
        data = TinyData.folder(temp.resolve("tiny"), 8, 240, 60, 12);
        commands = Main.commands(null, false);
        CommandRun training = run("train", "--model", "semantic-hashing", "--bits", "16", "--data", data.toString(),
                "--epochs", "2", "--batch", "32", "--threads", "1", "--out", temp.resolve("sh").toString());
        assertEquals(0, training.exit(), training.toString());
        model = temp.resolve("sh/model.ckpt");
    }

    private CommandRun run(String... args) {
        return CommandRun.of(commands, args);
    }

    private CommandRun hash(String split, Path out) {
        return run("hash", "--checkpoint", model.toString(), "--data", data.toString(), "--split", split, "--out",
                out.toString(), "--threads", "1");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String line) {
        return (Map<String, Object>) Json.parse(line);
    }

    @Test
    void hashSearchAndEvaluate() {
        Path index = temp.resolve("index.aeh");
        Path queries = temp.resolve("queries.aeh");
        CommandRun h = hash("train", index);
        assertEquals(0, h.exit(), h.toString());
        assertTrue(h.out().contains("240 codes of 16 bits, with labels"), h.out());
        assertEquals(0, hash("test", queries).exit());

        CommandRun search = run("search", "--index", index.toString(), "--queries", queries.toString(), "--k", "5",
                "--json");
        assertEquals(0, search.exit(), search.toString());
        assertEquals(60, search.outLines().size());
        for (String line : search.outLines()) {
            List<?> neighbours = (List<?>) object(line).get("neighbours");
            assertEquals(5, neighbours.size());
            long previousDistance = -1;
            long previousRow = -1;
            for (Object n : neighbours) {
                Map<?, ?> neighbour = (Map<?, ?>) n;
                long distance = ((Number) neighbour.get("distance")).longValue();
                long row = ((Number) neighbour.get("row")).longValue();
                assertTrue(distance > previousDistance || (distance == previousDistance && row > previousRow),
                        "nearest first, ties by row id: " + line);
                assertTrue(neighbour.containsKey("label"));
                previousDistance = distance;
                previousRow = row;
            }
        }
        CommandRun ball = run("search", "--index", index.toString(), "--queries", queries.toString(), "--radius", "2");
        assertEquals(0, ball.exit(), ball.toString());
        assertEquals(60, ball.outLines().size());
        assertTrue(ball.outLines().getFirst().startsWith("query 0 (label "), ball.out());

        CommandRun eval = run("eval-retrieval", "--index", index.toString(), "--queries", queries.toString(),
                "--per-class", "3", "--json");
        assertEquals(0, eval.exit(), eval.toString());
        Map<String, Object> scores = object(eval.outLines().getFirst());
        double map = ((Number) scores.get("map")).doubleValue();
        assertTrue(map > 0 && map <= 1, eval.out());
        assertTrue(((Number) scores.get("queries")).intValue() <= 30);
        assertEquals(16, ((Number) scores.get("bits")).intValue());
    }

    @Test
    void packedNpyCodesAreQueriesToo() throws IOException {
        Path index = temp.resolve("index-npy.aeh");
        Path npy = temp.resolve("queries.npy");
        assertEquals(0, hash("train", index).exit());
        CommandRun h = hash("test", npy);
        assertEquals(0, h.exit(), h.toString());
        assertEquals(128 + 60 * 2, Files.size(npy), "a 128-byte NPY header (v1, padded to 64), 2 bytes a code");
        CommandRun search = run("search", "--index", index.toString(), "--queries", npy.toString(), "--k", "3");
        assertEquals(0, search.exit(), search.toString());
        assertEquals(60, search.outLines().size());
    }

    @Test
    void badInputIsOneLineExitOneAndWritesNothing() throws IOException {
        Path index = temp.resolve("bad-index.aeh");
        assertEquals(0, hash("train", index).exit());

        // A model without a binary code.
        CommandRun deep = run("train", "--model", "deep", "--data", data.toString(), "--epochs", "1", "--threads", "1",
                "--out", temp.resolve("deep").toString());
        assertEquals(0, deep.exit(), deep.toString());
        Path never = temp.resolve("never.aeh");
        CommandRun refused = run("hash", "--checkpoint", temp.resolve("deep/model.ckpt").toString(), "--data",
                data.toString(), "--out", never.toString());
        assertOneLine(refused, 1, "has no binary code");
        assertFalse(Files.exists(never));

        // Queries of the wrong width: 32-bit codes against a 16-bit index.
        CommandRun wide = run("train", "--model", "semantic-hashing", "--bits", "32", "--data", data.toString(),
                "--epochs", "1", "--threads", "1", "--out", temp.resolve("sh32").toString());
        assertEquals(0, wide.exit(), wide.toString());
        Path wideQueries = temp.resolve("wide.aeh");
        assertEquals(0, run("hash", "--checkpoint", temp.resolve("sh32/model.ckpt").toString(), "--data",
                data.toString(), "--split", "test", "--out", wideQueries.toString()).exit());
        assertOneLine(run("search", "--index", index.toString(), "--queries", wideQueries.toString()), 1,
                "wide.aeh: query codes of 32 bits");
        Path wideNpy = temp.resolve("wide.npy");
        assertEquals(0, run("hash", "--checkpoint", temp.resolve("sh32/model.ckpt").toString(), "--data",
                data.toString(), "--split", "test", "--out", wideNpy.toString()).exit());
        assertOneLine(run("eval-retrieval", "--index", index.toString(), "--queries", wideNpy.toString()), 1,
                "wide.npy: codes of 32 bits");

        // A corrupt and a truncated index.
        byte[] good = Files.readAllBytes(index);
        Path corrupt = temp.resolve("corrupt.aeh");
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 4;
        Files.write(corrupt, flipped);
        assertOneLine(run("search", "--index", corrupt.toString(), "--queries", index.toString()), 1,
                "corrupt.aeh: byte offset " + (good.length - 4) + ", corrupt");
        Path truncated = temp.resolve("truncated.aeh");
        Files.write(truncated, Arrays.copyOf(good, good.length - 9));
        assertOneLine(run("eval-retrieval", "--index", truncated.toString(), "--queries", index.toString()), 1,
                "truncated.aeh: byte offset " + (good.length - 9) + ", truncated");
        assertOneLine(run("search", "--index", temp.resolve("missing.aeh").toString(), "--queries",
                index.toString()), 1, "missing.aeh");
        assertOneLine(run("search", "--index", index.toString(), "--queries", index.toString(), "--k", "3",
                "--radius", "1"), 2, "either --k or --radius");
        assertOneLine(run("search", "--index", index.toString(), "--queries", index.toString(), "--radius", "4"), 2,
                "--radius must be 0 to 3");
        assertOneLine(run("hash", "--checkpoint", model.toString(), "--out", temp.resolve("x.txt").toString()), 2,
                ".aeh");
        try (Stream<Path> files = Files.list(temp)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".")), "no temporary files left");
        }
    }

    @Test
    void retrievalBenchmarkScoresEveryMethodOnTheSameQueries() {
        CommandRun bench = run("bench", "retrieval", "--data", data.toString(), "--bits", "8,16", "--per-class", "2",
                "--k", "10", "--checkpoints", model.toString(), "--itq-iterations", "5", "--threads", "1", "--json");
        assertEquals(0, bench.exit(), bench.toString());
        List<String> lines = bench.outLines();
        assertEquals(1 + 2 * 2 + 1, lines.size(), bench.out());
        assertEquals("euclidean", object(lines.getFirst()).get("method"));
        assertEquals(null, object(lines.getFirst()).get("precision_within_radius"));
        Map<String, Object> last = object(lines.getLast());
        assertEquals("semantic-hashing", last.get("method"));
        assertEquals(16, ((Number) last.get("bits")).intValue());
        for (String line : lines) {
            double map = ((Number) object(line).get("map")).doubleValue();
            assertTrue(map > 0 && map <= 1, line);
            assertEquals(object(lines.getFirst()).get("queries"), object(line).get("queries"));
        }
        assertOneLine(run("bench", "retrieval", "--data", data.toString(), "--methods", "lsh,pq"), 2,
                "unknown method 'pq'");
    }

    /**
     * --pretrain rbm: the RBM phases run and are reported, the checkpoint names the procedure with the given
     * settings and sigmoid layers; unknown kinds and models without dense layers are refused in one line.
     */
    @Test
    void rbmPretrainingFromTheCommandLine() throws IOException {
        Path out = temp.resolve("rbm");
        CommandRun training = run("train", "--model", "semantic-hashing", "--bits", "16", "--hidden", "32,16",
                "--data", data.toString(), "--pretrain", "rbm", "--pretrain-epochs", "2", "--rbm-learning-rate",
                "0.05", "--epochs", "1", "--batch", "32", "--threads", "1", "--json", "--out", out.toString());
        assertEquals(0, training.exit(), training.toString());
        List<String> phases = training.out().lines().filter(line -> line.startsWith("{"))
                .map(line -> (String) object(line).get("phase")).toList();
        assertEquals(List.of("rbm-layer-0", "rbm-layer-0", "rbm-layer-1", "rbm-layer-1", "train"), phases);
        CommandRun inspect = run("inspect", "--checkpoint", out.resolve("model.ckpt").toString());
        assertEquals(0, inspect.exit(), inspect.toString());
        assertTrue(inspect.out().contains("rbm-pretraining (pretrain-epochs 2, learning-rate 0.05"), inspect.out());
        assertTrue(inspect.out().contains("32 sigmoid"), inspect.out());
        assertOneLine(run("train", "--model", "semantic-hashing", "--data", data.toString(), "--pretrain", "dbn",
                "--out", temp.resolve("dbn").toString()), 2, "unknown pretraining 'dbn' (known: rbm, none)");
        assertOneLine(run("train", "--model", "vae", "--data", data.toString(), "--pretrain", "rbm",
                "--out", temp.resolve("vae-rbm").toString()), 2, "RBM pretraining stacks dense layers");
    }

    /**
     * --epochs 0 after --pretrain rbm: the RBM phases alone, no end-to-end epoch, and a checkpoint that hashes;
     * --epochs 0 with nothing to pretrain is refused in one line.
     */
    @Test
    void pretrainingAloneWithZeroEpochs() throws IOException {
        Path out = temp.resolve("rbm-only");
        CommandRun training = run("train", "--model", "semantic-hashing", "--bits", "16", "--hidden", "32,16",
                "--data", data.toString(), "--pretrain", "rbm", "--pretrain-epochs", "1", "--epochs", "0",
                "--batch", "32", "--threads", "1", "--json", "--out", out.toString());
        assertEquals(0, training.exit(), training.toString());
        List<String> phases = training.out().lines().filter(line -> line.startsWith("{"))
                .map(line -> (String) object(line).get("phase")).toList();
        assertEquals(List.of("rbm-layer-0", "rbm-layer-1"), phases);
        CommandRun hash = run("hash", "--checkpoint", out.resolve("model.ckpt").toString(), "--data",
                data.toString(), "--out", out.resolve("db.aeh").toString());
        assertEquals(0, hash.exit(), hash.toString());
        assertOneLine(run("train", "--model", "semantic-hashing", "--data", data.toString(), "--epochs", "0",
                "--out", temp.resolve("nothing").toString()), 2, "--epochs 0 trains nothing here");
        assertTrue(Files.notExists(temp.resolve("nothing").resolve("model.ckpt")));
    }

    private static void assertOneLine(CommandRun run, int exit, String contains) {
        assertEquals(exit, run.exit(), run.toString());
        assertEquals(1, run.errLines().size(), run.toString());
        assertTrue(run.err().contains(contains), run.toString());
        assertTrue(run.out().isEmpty(), run.toString());
    }
}
