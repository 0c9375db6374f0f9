package ae.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.data.Dataset;
import ae.data.Datasets;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ReferenceWorkloadsTest {
    @Test
    void runsAWorkloadAndReportsThroughputAndLosses() throws IOException {
        try (Dataset sample = Datasets.load("fashion-mnist-sample");
             Dataset slice = sample.subset("slice", PresetTrainingTest.range(300))) {
            // Two batches per epoch: the steps cross epoch boundaries.
            ReferenceWorkloads.Result r = ReferenceWorkloads.run("r4", slice, 1, 3, 4, 1);
            assertEquals("R4", r.workload());
            assertEquals(4, r.steps());
            assertTrue(r.samplesPerSecond() > 0 && Double.isFinite(r.samplesPerSecond()), r.describe());
            assertTrue(r.heapBytesPerStep() >= 0, r.describe());
            assertTrue(r.lastLoss() < r.firstLoss(), r.describe());
        }
    }

    @Test
    void unknownWorkloadsAndWrongDataAreRefused() {
        try (Dataset small = TestData.swissRoll(256, 16, 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ReferenceWorkloads.run("R1", small, 1, 0, 1, 1));
            assertTrue(e.getMessage().contains("16 features"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> ReferenceWorkloads.run("R9", small, 1, 0, 1, 1));
            assertTrue(e.getMessage().contains("R9"), e.getMessage());
        }
    }
}
