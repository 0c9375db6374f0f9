package ae.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class GemmTableTest {
    @Test
    void oneRowPerShapeAndThreadCountWithTheRatioOfAeToOpenBlas() {
        GemmShape square = GemmShape.parse("1024x1024x1024");
        GemmShape gradient = GemmShape.parse("784x128x256 AT");
        List<GemmResult> results = List.of(
                new GemmResult(gradient, 1, "ae", 150.0),
                new GemmResult(gradient, 1, "openblas", 100.0),
                new GemmResult(gradient, 1, "scalar", 3.21),
                new GemmResult(square, 2, "ae", 300.0),
                new GemmResult(square, 2, "openblas", 400.0));

        String table = GemmTable.format(results, List.of("ae", "scalar", "openblas"));

        assertEquals("""
                shape (MxKxN)   threads     ae  scalar  openblas  ae/openblas
                784x128x256 AT        1  150.0     3.2     100.0         1.50
                1024x1024x1024        2  300.0       -     400.0         0.75
                """, table);
    }

    @Test
    void noRatioColumnWithoutBothAeAndOpenBlas() {
        List<GemmResult> results = List.of(new GemmResult(GemmShape.parse("2x3x4"), 1, "scalar", 1.0));

        assertEquals("""
                shape (MxKxN)  threads  scalar
                2x3x4                1     1.0
                """, GemmTable.format(results, List.of("scalar")));
    }
}
