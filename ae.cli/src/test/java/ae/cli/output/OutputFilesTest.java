package ae.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFilesTest {
    @TempDir
    Path folder;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aWriteThatFailsMidwayLeavesThePreviousFileAndNoTemporaryFile() throws IOException {
        Path target = folder.resolve("scores.csv");
        OutputFiles.writeText(target, out -> out.write("first version\n"));

        IOException failure = assertThrows(IOException.class, () -> OutputFiles.write(target, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full");
        }));

        assertEquals("disk full", failure.getMessage());
        assertEquals("first version\n", Files.readString(target));
        assertEquals(List.of("scores.csv"), names());
    }

    @Test
    void writtenFilesGetThePermissionsOfAnyNewFileNotPrivateOnes() throws IOException {
        Path plain = Files.createFile(folder.resolve("plain.txt"));
        Path written = folder.resolve("written.txt");
        OutputFiles.writeText(written, out -> out.write("x"));

        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(written));
    }

    @Test
    void aFailedFirstWriteLeavesNothing() throws IOException {
        assertThrows(IOException.class, () -> OutputFiles.write(folder.resolve("picture.png"), out -> {
            out.write(1);
            throw new IOException("no");
        }));
        assertEquals(List.of(), names());
    }
}
