package ae.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import org.junit.jupiter.api.Test;

class TensorTest {
    @Test
    void allocatesZeroedAlignedMemory() {
        try (TensorScope scope = TensorScope.open("test")) {
            Tensor t = scope.allocateFloat(3, 5);
            assertEquals(15, t.size());
            assertEquals(0, t.segment().address() % TensorScope.ALIGNMENT);
            for (float v : t.toFloatArray()) {
                assertEquals(0f, v);
            }
        }
    }

    @Test
    void viewsShareMemory() {
        try (TensorScope scope = TensorScope.open("test")) {
            Tensor t = scope.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
            Tensor tt = t.transpose();
            assertArrayEquals(new int[] {3, 2}, tt.shape());
            assertEquals(4.0, tt.get(0, 1));
            assertFalse(tt.isContiguous());
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, tt.toFloatArray());
            Tensor second = t.rows(1, 2);
            second.set(0, 2, 60);
            assertEquals(60.0, t.get(1, 2));
            Tensor flat = t.reshape(6);
            assertEquals(60.0, flat.getFlat(5));
            assertThrows(IllegalArgumentException.class, () -> tt.reshape(6));
        }
    }

    @Test
    void closedScopeThrowsIllegalState() {
        TensorScope scope = TensorScope.open("batch buffer");
        Tensor t = scope.allocateDouble(4);
        scope.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.getFlat(0));
        assertTrue(e.getMessage().contains("batch buffer"), e.getMessage());
        assertThrows(IllegalStateException.class, t::segment);
    }

    @Test
    void reshapeRejectsOtherElementCounts() {
        try (TensorScope scope = TensorScope.open("test")) {
            Tensor t = scope.allocateFloat(2, 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.reshape(4, 2));
            assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 2]"), e.getMessage());
        }
    }

    @Test
    void flatIndexFollowsRowMajorOrderForAnyView() {
        qt().forAll(integers().between(1, 9), integers().between(1, 9)).checkAssert((rows, cols) -> {
            try (TensorScope scope = TensorScope.open("prop")) {
                Tensor t = scope.allocateDouble(rows, cols);
                for (int i = 0; i < rows * cols; i++) {
                    t.setFlat(i, i);
                }
                Tensor tt = t.transpose();
                for (int j = 0; j < cols; j++) {
                    for (int i = 0; i < rows; i++) {
                        assertEquals(i * cols + j, tt.getFlat((long) j * rows + i));
                    }
                }
            }
        });
    }
}
