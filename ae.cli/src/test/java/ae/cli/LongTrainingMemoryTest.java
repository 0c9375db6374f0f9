package ae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long {@code ae train} (a child JVM with a fixed, pre-touched heap, so that the heap's own growth does not count)
 * keeps its resident set flat once warmed up: its RSS, read from {@code /proc} at every epoch's line, grows by at
 * most {@value #GROWTH_BOUND_MB} MB from the end of the warm-up (the first quarter of the epochs) to the end. A
 * leak of off-heap memory per epoch or per checkpoint written would show as steady growth.
 *
 * <p>{@value #EPOCHS} epochs in the normal run; {@code ./verify --soak} ({@code AE_SOAK}) makes it
 * {@value #SOAK_EPOCHS}.
 */
class LongTrainingMemoryTest {
    private static final int EPOCHS = 32;
    private static final int SOAK_EPOCHS = 200;
    private static final long GROWTH_BOUND_MB = 8;
    /** Epochs on either side of a comparison, so that one JIT compilation's transient memory is not taken for growth. */
    private static final int WINDOW = 5;
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

    @TempDir
    Path temp;

    @Test
    void residentSetStaysFlatOverALongTraining() throws Exception {
        int epochs = System.getenv("AE_SOAK") != null ? SOAK_EPOCHS : EPOCHS;
        Path data = TinyData.folder(temp.resolve("data"), 16, 240, 30, 5);
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xms96m", "-Xmx96m", "-XX:+AlwaysPreTouch",
                "--module-path", System.getProperty("jdk.module.path"), "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ae.tensor", "-Djava.awt.headless=true", "-m", "ae.cli/ae.cli.Main",
                "train", "--model", "undercomplete", "--hidden", "64", "--data", data.toString(), "--batch", "16",
                "--threads", "1", "--seed", "3", "--epochs", Integer.toString(epochs), "--json",
                "--out", temp.resolve("out").toString()));
        Process child = new ProcessBuilder(command).redirectError(temp.resolve("child.err").toFile()).start();
        Path status = Path.of("/proc", Long.toString(child.pid()), "status");
        List<Long> rssKilobytes = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("{")) {
                    rssKilobytes.add(residentKilobytes(status));
                }
            }
        } finally {
            if (!child.waitFor(5, TimeUnit.MINUTES)) {
                child.destroyForcibly();
            }
        }
        assertEquals(0, child.exitValue(), () -> "ae train failed: " + read(temp.resolve("child.err")));
        assertEquals(epochs, rssKilobytes.size(), "one line per epoch");

        int warmUpEnd = epochs / 4;
        long afterWarmUp = max(rssKilobytes.subList(warmUpEnd - WINDOW, warmUpEnd));
        long atEnd = min(rssKilobytes.subList(epochs - WINDOW, epochs));
        System.out.printf("soak: %d epochs, RSS %d MB at epoch 1, %d MB after warm-up (epoch %d), %d MB at the end%n",
                epochs, rssKilobytes.get(0) >> 10, afterWarmUp >> 10, warmUpEnd, atEnd >> 10);
        assertTrue(atEnd - afterWarmUp <= GROWTH_BOUND_MB << 10, "RSS grew from " + afterWarmUp + " kB after "
                + warmUpEnd + " epochs to " + atEnd + " kB after " + epochs + ": " + rssKilobytes);
    }

    private static long residentKilobytes(Path status) throws IOException {
        Matcher m = RSS.matcher(Files.readString(status));
        if (!m.find()) {
            throw new IllegalStateException("no VmRSS in " + status);
        }
        return Long.parseLong(m.group(1));
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    private static long min(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).min().orElseThrow();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
