package ae.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFilesTest {
    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path p = dir.resolve("data.csv");
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private Dataset read(String text, CsvOptions options) throws IOException {
        return CsvFiles.read(write(text), options, "csv");
    }

    @Test
    void headerLabelColumnQuotesAndBlankLines() throws IOException {
        String text = "x, \"y\",label\r\n1.5, -2e-1, 3\n\n\"4\",5,0\n";
        try (Dataset d = read(text, CsvOptions.defaults().withLabelColumn("label"))) {
            assertEquals(2, d.size());
            assertEquals(2, d.dimension());
            assertArrayEquals(new float[] {1.5f, -0.2f, 4, 5}, d.features().toFloatArray());
            assertArrayEquals(new int[] {3, 0}, d.labels());
        }
        try (Dataset d = read("7;1;2\n8;3;4", CsvOptions.defaults().withHeader(false).withDelimiter(';')
                .withLabelColumn(0))) {
            assertArrayEquals(new float[] {1, 2, 3, 4}, d.features().toFloatArray());
            assertArrayEquals(new int[] {7, 8}, d.labels());
        }
        try (Dataset d = read("a,b\n1,2\n", CsvOptions.defaults())) {
            assertFalse(d.hasLabels());
        }
    }

    @Test
    void valuesRoundTripThroughTheirShortestDecimalForm() {
        qt().forAll(integers().all(), integers().between(1, 5)).checkAssert((bits, cols) -> {
            float v = Float.intBitsToFloat(bits);
            if (!Float.isFinite(v)) {
                return;
            }
            StringBuilder row = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                row.append(c == 0 ? "" : ",").append(v);
            }
            try (Dataset d = read(row + "\n", CsvOptions.defaults().withHeader(false))) {
                for (int c = 0; c < cols; c++) {
                    assertEquals(v, d.get(0, c));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private MalformedDataException malformed(String text, CsvOptions options) throws IOException {
        Path p = write(text);
        return assertThrows(MalformedDataException.class, () -> CsvFiles.read(p, options, "csv").close());
    }

    private static void assertAt(MalformedDataException e, long line, String field, String problem) {
        assertEquals(MalformedDataException.PositionKind.LINE, e.positionKind(), e.getMessage());
        assertEquals(line, e.position(), e.getMessage());
        assertTrue(e.field().contains(field), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().contains("data.csv"), e.getMessage());
    }

    @Test
    void raggedRowsNameTheLine() throws IOException {
        assertAt(malformed("a,b\n1,2\n3\n", CsvOptions.defaults()), 3, "row", "ragged");
        assertAt(malformed("1,2\n3,4,5\n", CsvOptions.defaults().withHeader(false)), 2, "row", "ragged");
    }

    @Test
    void nonNumericCellsNameLineAndColumn() throws IOException {
        assertAt(malformed("a,b\n1,2\n3,x7\n", CsvOptions.defaults()), 3, "column 2 'b'", "not a number");
        assertAt(malformed("a,b\n1,\n", CsvOptions.defaults()), 2, "column 2", "empty");
        assertAt(malformed("a,b\n1,2.5f\n", CsvOptions.defaults()), 2, "column 2", "not a number");
        assertAt(malformed("a,b\n1,0x1p3\n", CsvOptions.defaults()), 2, "column 2", "not a number");
    }

    @Test
    void nanAndInfinitiesAreRejected() throws IOException {
        assertAt(malformed("a,b\n1,NaN\n", CsvOptions.defaults()), 2, "column 2 'b'", "NaN");
        assertAt(malformed("a,b\n-Infinity,1\n", CsvOptions.defaults()), 2, "column 1 'a'", "infinities");
        assertAt(malformed("a,b\n1e39,1\n", CsvOptions.defaults()), 2, "column 1", "float32");
    }

    @Test
    void labelProblemsAreNamed() throws IOException {
        CsvOptions labelled = CsvOptions.defaults().withLabelColumn("y");
        assertAt(malformed("x,y\n1,2.5\n", labelled), 2, "column 2 'y'", "not an integer");
        assertAt(malformed("x,y\n1,99999999999\n", labelled), 2, "column 2 'y'", "does not fit");
        assertAt(malformed("x,z\n1,2\n", labelled), 1, "header", "no column named 'y'");
        assertAt(malformed("1,2\n", CsvOptions.defaults().withHeader(false).withLabelColumn(5)), 1, "column 6",
                "past the 2 columns");
    }

    @Test
    void emptyFilesAndBadQuotesAreRejected() throws IOException {
        assertAt(malformed("a,b\n", CsvOptions.defaults()), 1, "rows", "no data rows");
        assertAt(malformed("", CsvOptions.defaults()), 1, "rows", "no data rows");
        assertAt(malformed("a,b\n\"1,2\n", CsvOptions.defaults()), 2, "column 1", "never closed");
        assertAt(malformed("a,b\n\"1\"x,2\n", CsvOptions.defaults()), 2, "column 1", "after a closing quote");
    }

    @Test
    void invalidUtf8IsRejected() throws IOException {
        Path p = dir.resolve("data.csv");
        Files.write(p, new byte[] {'a', '\n', '1', '\n', (byte) 0xC3, (byte) 0x28, '\n'});
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> CsvFiles.read(p, CsvOptions.defaults(), "csv"));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }
}
