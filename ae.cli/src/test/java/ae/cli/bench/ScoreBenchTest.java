package ae.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScoreBenchTest {
    /** A short run of the bench's measurement meets the goal on the noisy circle at the widest sigma. */
    @Test
    void denoisingScoreEstimatePointsAlongTheTrueScore() {
        ScoreBench.Row row = ScoreBench.measure("circle", 0.2, new ScoreBench.Settings(2000, 300, 30, 0.05, 3, 1));
        assertEquals(300, row.points());
        assertTrue(row.meanCosine() >= 0.9, "mean cosine " + row.meanCosine());
        assertTrue(row.relativeError() < 0.5, "relative error " + row.relativeError());
    }

    /** An untrained-length run is measured too, and is worse: the figure depends on the model. */
    @Test
    void aBarelyTrainedModelScoresWorse() {
        ScoreBench.Row row = ScoreBench.measure("gaussian-mixture", 0.05, new ScoreBench.Settings(200, 300, 1, 0.05,
                3, 1));
        assertTrue(row.meanCosine() < 0.9, "mean cosine " + row.meanCosine());
    }
}
