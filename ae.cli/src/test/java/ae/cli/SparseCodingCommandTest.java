package ae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.data.Dataset;
import ae.data.NpyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ae train --model psd} and {@code ae encode --inference}: the codes PSD predicts and those it infers. */
class SparseCodingCommandTest {
    @TempDir
    Path temp;

    @Test
    void psdTrainsDrawsItsDictionaryAndEncodesEitherWay() throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path data = TinyData.folder(temp.resolve("tiny"), 8, 120, 30, 5);
        Path out = temp.resolve("psd");
        CommandRun train = CommandRun.of(Main.commands(null, false), "train", "--model", "psd", "--data",
                data.toString(), "--epochs", "2", "--batch", "32", "--hidden", "24", "--threads", "1", "--out",
                out.toString());
        assertEquals(0, train.exit(), train.toString());
        assertTrue(Files.size(out.resolve("dictionary.png")) > 0, train.toString());
        String checkpoint = out.resolve("model.ckpt").toString();

        Path predicted = temp.resolve("predicted.npy");
        CommandRun encode = CommandRun.of(Main.commands(null, false), "encode", "--checkpoint", checkpoint,
                "--data", data.toString(), "--out", predicted.toString());
        assertEquals(0, encode.exit(), encode.toString());
        Path inferred = temp.resolve("inferred.npy");
        CommandRun fista = CommandRun.of(Main.commands(null, false), "encode", "--checkpoint", checkpoint,
                "--data", data.toString(), "--inference", "fista", "--iterations", "30", "--out", inferred.toString());
        assertEquals(0, fista.exit(), fista.toString());
        assertTrue(fista.out().contains("of the code values are below 0.001 in magnitude"), fista.toString());
        try (Dataset f = NpyFiles.read(predicted, "f"); Dataset h = NpyFiles.read(inferred, "h")) {
            assertEquals(120, h.size());
            assertEquals(24, h.dimension());
            double difference = 0;
            for (int i = 0; i < h.size(); i++) {
                for (int j = 0; j < h.dimension(); j++) {
                    difference += Math.abs(f.get(i, j) - h.get(i, j));
                }
            }
            assertTrue(difference > 0, "inference moved the codes away from f(x)");
        }

        CommandRun wrongMethod = CommandRun.of(Main.commands(null, false), "encode", "--checkpoint", checkpoint,
                "--data", data.toString(), "--inference", "lars", "--out", inferred.toString());
        assertEquals(2, wrongMethod.exit(), wrongMethod.toString());
    }

    @Test
    void inferenceNeedsAModelTrainedByPsd() throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path data = TinyData.folder(temp.resolve("tiny"), 8, 64, 16, 6);
        Path out = temp.resolve("plain");
        CommandRun train = CommandRun.of(Main.commands(null, false), "train", "--data", data.toString(),
                "--epochs", "1", "--batch", "16", "--hidden", "4", "--threads", "1", "--out", out.toString());
        assertEquals(0, train.exit(), train.toString());
        CommandRun fista = CommandRun.of(Main.commands(null, false), "encode", "--checkpoint",
                out.resolve("model.ckpt").toString(), "--data", data.toString(), "--inference", "fista", "--out",
                temp.resolve("codes.npy").toString());
        assertEquals(1, fista.exit(), fista.toString());
        assertTrue(fista.err().contains("not predictive sparse decomposition"), fista.toString());
    }
}
