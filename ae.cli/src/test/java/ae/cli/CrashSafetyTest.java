package ae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ae.autodiff.Parameter;
import ae.models.FittedAutoencoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills {@code ae train} (a child JVM) with SIGKILL at random moments, some of them while a checkpoint is being
 * written (the moment its temporary file appears), and resumes it with {@code ae train --resume} after each kill.
 * After every kill the checkpoint on disk must load (which checks its CRC32C) and every other file in the folder
 * must be complete; the chain of resumed runs must end with the same parameter bits as one uninterrupted run.
 *
 * <p>{@value #KILLS} kills in the normal run; {@code ./verify --soak} (environment variable {@code AE_SOAK}) makes it
 * {@value #SOAK_KILLS}.
 */
class CrashSafetyTest {
    private static final int KILLS = 4;
    private static final int SOAK_KILLS = 32;
    private static final int EPOCHS = 12;

    @TempDir
    Path temp;

    @Test
    void killedTrainingResumesToTheBitsOfAnUninterruptedRun() throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path data = TinyData.folder(temp.resolve("data"), 16, 240, 30, 5);
        List<String> train = List.of("train", "--model", "undercomplete", "--hidden", "64", "--data", data.toString(),
                "--batch", "16", "--threads", "1", "--seed", "3", "--epochs", Integer.toString(EPOCHS));
        Path reference = temp.resolve("reference");
        List<String> args = new ArrayList<>(train);
        args.addAll(List.of("--out", reference.toString()));
        CommandRun uninterrupted = CommandRun.of(Main.commands(null, false), args.toArray(String[]::new));
        assertEquals(0, uninterrupted.exit(), uninterrupted.toString());

        int kills = System.getenv("AE_SOAK") != null ? SOAK_KILLS : KILLS;
        Path out = temp.resolve("killed");
        Path checkpoint = out.resolve("model.ckpt");
        SplittableRandom random = new SplittableRandom(17);
        int insideWrites = 0;
        int killed = 0;
        int attempt = 0;
        for (; killed < kills && attempt < 4 * kills; attempt++) {
            List<String> command = new ArrayList<>(Files.exists(checkpoint)
                    ? List.of("train", "--resume", checkpoint.toString(), "--data", data.toString())
                    : train);
            command.addAll(List.of("--out", out.toString()));
            // A kill inside a write leaves its temporary file behind; only a new one shows that this run was writing.
            Set<Path> leftOver = temporaryFiles(out);
            Process child = start(command);
            boolean duringWrite = attempt % 2 == 1;
            boolean stopped = duringWrite ? killWhenWriting(child, out, leftOver)
                    : killAfter(child, random.nextLong(300, 1500));
            if (!stopped) {
                // Training finished before the kill: start over, to kill a later run.
                assertEquals(0, child.exitValue(), "ae train exited with an error");
                deleteFolder(out);
                continue;
            }
            killed++;
            if (hasNewTemporaryFile(out, leftOver)) {
                insideWrites++;
            }
            checkFolder(out);
        }
        System.out.printf("soak: %d kills of ae train, %d of them inside a checkpoint write, %d runs started%n",
                killed, insideWrites, attempt);
        assertEquals(kills, killed, "training kept finishing before the kill");
        assertTrue(insideWrites > 0, "no kill landed inside a checkpoint write");

        List<String> finish = new ArrayList<>(Files.exists(checkpoint)
                ? List.of("train", "--resume", checkpoint.toString(), "--data", data.toString()) : train);
        finish.addAll(List.of("--out", out.toString()));
        Process last = start(finish);
        assertTrue(last.waitFor(120, TimeUnit.SECONDS), "the last resumed run did not finish");
        assertEquals(0, last.exitValue(), "the last resumed run failed");
        assertEquals(Set.of(), temporaryFiles(out), "the temporary files of killed writes are still there");
        assertEquals(bits(reference.resolve("model.ckpt")), bits(checkpoint),
                "after " + killed + " kills (" + insideWrites + " inside a checkpoint write), resuming did not end"
                        + " with the bits of the uninterrupted run");
    }

    /** The ae command in a child JVM on this test's module path (ae.cli's classes, not its tests). */
    private Process start(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--module-path", System.getProperty("jdk.module.path"), "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ae.tensor", "-Djava.awt.headless=true", "-m", "ae.cli/ae.cli.Main"));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(temp.resolve("child.log").toFile()).start();
    }

    /** SIGKILL after {@code millis}; false if the child ended first. */
    private static boolean killAfter(Process child, long millis) throws InterruptedException {
        if (child.waitFor(millis, TimeUnit.MILLISECONDS)) {
            return false;
        }
        child.destroyForcibly().waitFor();
        return true;
    }

    /** SIGKILL as soon as a new checkpoint temporary file appears; false if the child ended first. */
    private static boolean killWhenWriting(Process child, Path out, Set<Path> leftOver)
            throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (child.isAlive() && System.nanoTime() < deadline) {
            if (hasNewTemporaryFile(out, leftOver)) {
                child.destroyForcibly().waitFor();
                return true;
            }
            Thread.onSpinWait();
        }
        if (child.isAlive()) {
            child.destroyForcibly().waitFor();
            return true;
        }
        return false;
    }

    private static boolean hasNewTemporaryFile(Path out, Set<Path> leftOver) throws IOException {
        return !leftOver.containsAll(temporaryFiles(out));
    }

    /** The checkpoint's temporary files in {@code out}. */
    private static Set<Path> temporaryFiles(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(f -> f.getFileName().toString().startsWith(".model.ckpt.")).collect(Collectors.toSet());
        }
    }

    /** Every file under its final name is complete: the checkpoint loads and passes its checksum, pictures decode. */
    private static void checkFolder(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return;
        }
        try (Stream<Path> files = Files.list(out)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".tmp")) {
                    continue;
                }
                if (name.endsWith(".ckpt")) {
                    try (FittedAutoencoder model = FittedAutoencoder.load(file)) {
                        assertTrue(model.history().epochs().size() <= EPOCHS);
                    }
                } else if (name.endsWith(".png")) {
                    if (ImageIO.read(file.toFile()) == null) {
                        fail(file + " is not a complete picture");
                    }
                } else {
                    fail("unexpected file " + file);
                }
            }
        }
    }

    private static Map<String, List<Integer>> bits(Path checkpoint) throws IOException {
        Map<String, List<Integer>> bits = new HashMap<>();
        try (FittedAutoencoder model = FittedAutoencoder.load(checkpoint)) {
            for (Parameter p : model.parameters()) {
                float[] values = p.value().toFloatArray();
                List<Integer> raw = new ArrayList<>(values.length);
                for (float v : values) {
                    raw.add(Float.floatToRawIntBits(v));
                }
                bits.put(p.name(), raw);
            }
        }
        return bits;
    }

    private static void deleteFolder(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
