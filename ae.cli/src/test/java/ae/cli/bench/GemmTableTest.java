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
                new GemmResult(gradient, 1, "ae", 150.0, 0.01),
                new GemmResult(gradient, 1, "openblas", 100.0, 0.02),
                new GemmResult(gradient, 1, "scalar", 3.21),
                new GemmResult(square, 2, "ae", 300.0, 0.05),
                new GemmResult(square, 2, "openblas", 400.0, 0.1));

        String table = GemmTable.format(results, List.of("ae", "scalar", "openblas"));

        assertEquals("""
                shape (MxKxN)   threads      ae  scalar  openblas  ae/openblas
                784x128x256 AT        1  150.0     3.2     100.0          1.50
                1024x1024x1024        2  300.0       -     400.0          0.75
                """, table);
    }

    @Test
    void figuresWithAWideConfidenceIntervalAreMarked() {
        GemmShape shape = GemmShape.parse("128x784x256");
        List<GemmResult> results = List.of(
                new GemmResult(shape, 1, "ae", 50.0, 0.5),
                new GemmResult(shape, 1, "openblas", 100.0, 0.01));

        assertEquals("""
                shape (MxKxN)  threads     ae  openblas  ae/openblas
                128x784x256          1  50.0*    100.0          0.50
                * unsteady: JMH's 99.9% confidence interval is wider than +-10% (a busy machine, or a kernel still warming up)
                """, GemmTable.format(results, List.of("ae", "openblas")));
    }

    @Test
    void noRatioColumnWithoutBothAeAndOpenBlas() {
        List<GemmResult> results = List.of(new GemmResult(GemmShape.parse("2x3x4"), 1, "scalar", 1.0));

        assertEquals("""
                shape (MxKxN)  threads  scalar
                2x3x4                1    1.0
                """, GemmTable.format(results, List.of("scalar")));
    }
}
