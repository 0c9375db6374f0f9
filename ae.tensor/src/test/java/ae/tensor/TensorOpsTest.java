package ae.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorOpsTest {
    /** Large enough to be split over the pool: 331 * 211 = 69841 elements. */
    private static final int ROWS = 331;
    private static final int COLS = 211;

    private static Tensor random(TensorScope scope, DType dtype, long seed, double lo, double hi, int... shape) {
        Tensor t = scope.allocate(dtype, shape);
        Rng.seeded(seed).fillUniform(t, lo, hi);
        return t;
    }

    /** A rows x cols view into a wider matrix (leading dimension cols + pad), starting at element 1. */
    private static Tensor paddedCopy(TensorScope scope, Tensor source, int pad) {
        int rows = source.dim(0);
        int cols = source.dim(1);
        Tensor backing = scope.allocate(source.dtype(), rows + 1, cols + pad);
        backing.fill(Double.NaN);
        Tensor view = new Tensor(scope, backing.segment(), source.dtype(), 1, new int[] {rows, cols},
                new long[] {cols + pad, 1});
        view.copyFrom(source);
        return view;
    }

    /** Every facade operation on one set of operands, writing its results into {@code outputs}. */
    private static List<double[]> runEverything(TensorOps ops, TensorScope scope, DType dtype, boolean padded) {
        List<double[]> results = new ArrayList<>();
        Tensor a = random(scope, dtype, 1, -3, 3, ROWS, COLS);
        Tensor b = random(scope, dtype, 2, -3, 3, ROWS, COLS);
        Tensor targets = random(scope, dtype, 3, 0, 1, ROWS, COLS);
        Tensor out = scope.allocate(dtype, ROWS, COLS);
        Tensor out2 = scope.allocate(dtype, ROWS, COLS);
        if (padded) {
            a = paddedCopy(scope, a, 5);
            b = paddedCopy(scope, b, 3);
            targets = paddedCopy(scope, targets, 7);
            out = paddedCopy(scope, out, 1);
            out2 = paddedCopy(scope, out2, 2);
        }
        Tensor bias = random(scope, dtype, 4, -1, 1, COLS);
        Tensor rowVector = scope.allocate(dtype, ROWS);
        Tensor colVector = scope.allocate(dtype, COLS);
        for (Activation act : Activation.values()) {
            ops.biasActivation(act, a, bias, out);
            results.add(out.toDoubleArray());
            ops.activation(act, a, out);
            results.add(out.toDoubleArray());
            ops.activationDerivative(act, a, out2);
            results.add(out2.toDoubleArray());
            ops.activationBackward(act, out, a, b, out2, true);
            results.add(out2.toDoubleArray());
        }
        ops.add(a, b, out);
        results.add(out.toDoubleArray());
        ops.sub(a, b, out);
        results.add(out.toDoubleArray());
        ops.mul(a, b, out);
        results.add(out.toDoubleArray());
        ops.axpy(0.5, a, out);
        results.add(out.toDoubleArray());
        ops.axpby(0.5, a, -2, out);
        results.add(out.toDoubleArray());
        ops.addProduct(0.25, a, b, out);
        results.add(out.toDoubleArray());
        ops.scale(3, a, out);
        results.add(out.toDoubleArray());
        ops.clamp(-1, 2, a, out);
        results.add(out.toDoubleArray());
        ops.exp(a, out);
        results.add(out.toDoubleArray());
        ops.copy(b, out);
        results.add(out.toDoubleArray());
        ops.fill(out, 0.75);
        results.add(out.toDoubleArray());
        results.add(new double[] {ops.sum(a), ops.sumOfSquares(a), ops.dot(a, b), ops.max(a)});
        ops.rowSums(a, rowVector, false);
        results.add(rowVector.toDoubleArray());
        ops.columnSums(a, colVector, true);
        results.add(colVector.toDoubleArray());
        ops.rowLogSumExp(a, rowVector);
        results.add(rowVector.toDoubleArray());
        double bce = ops.bceWithLogits(a, targets, 1.0 / ROWS, out, rowVector);
        results.add(new double[] {bce});
        results.add(out.toDoubleArray());
        results.add(rowVector.toDoubleArray());
        double se = ops.squaredError(a, targets, 0.5, out, rowVector);
        results.add(new double[] {se});
        results.add(out.toDoubleArray());
        results.add(rowVector.toDoubleArray());
        if (dtype == DType.F32) {
            Tensor m = scope.allocate(dtype, ROWS, COLS);
            Tensor v = scope.allocate(dtype, ROWS, COLS);
            for (int step = 1; step <= 2; step++) {
                ops.adam(a, b, m, v, 1e-3, 0.9, 0.999, 1e-8, 0.01, step);
                ops.adamW(a, b, m, v, 1e-3, 0.9, 0.999, 1e-8, 0.01, step);
                ops.sgd(a, b, out, 0.1, 0.9, 0, 0, true, step == 1);
            }
            results.add(a.toDoubleArray());
            results.add(m.toDoubleArray());
            results.add(v.toDoubleArray());
            results.add(out.toDoubleArray());
        }
        return results;
    }

    @Test
    void everyOperationGivesTheSameBitsForAnyThreadCountAndLayout() {
        for (DType dtype : DType.values()) {
            List<double[]> reference = null;
            for (int threads = 1; threads <= 3; threads++) {
                for (boolean padded : new boolean[] {false, true}) {
                    try (TensorScope scope = TensorScope.open("ops"); ComputePool pool = ComputePool.create(threads)) {
                        List<double[]> results = runEverything(TensorOps.create(pool), scope, dtype, padded);
                        if (reference == null) {
                            reference = results;
                        } else {
                            assertEquals(reference.size(), results.size());
                            for (int i = 0; i < results.size(); i++) {
                                assertArrayEquals(reference.get(i), results.get(i),
                                        dtype + " result " + i + " with " + threads + " threads, padded " + padded);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void facadeAgreesWithTheKernelsOnSmallViews() {
        qt().withExamples(60).forAll(integers().between(1, 9), integers().between(1, KernelHarness.MAX_FLAT),
                integers().between(0, 5), longs().all()).checkAssert((rows, cols, pad, seed) -> {
                    try (TensorScope scope = TensorScope.open("ops")) {
                        TensorOps ops = TensorOps.create(ComputePool.common());
                        Tensor x = random(scope, DType.F32, seed, -4, 4, rows, cols);
                        Tensor y = random(scope, DType.F32, seed + 1, 0, 1, rows, cols);
                        Tensor xv = paddedCopy(scope, x, pad);
                        Tensor yv = paddedCopy(scope, y, pad + 1);
                        Tensor grad = scope.allocateFloat(rows, cols);
                        Tensor gradView = paddedCopy(scope, grad, 2);
                        Tensor loss = scope.allocateFloat(rows);
                        Tensor lossView = scope.allocateFloat(rows);
                        double total = ops.bceWithLogits(x, y, 0.5, grad, loss);
                        double totalView = ops.bceWithLogits(xv, yv, 0.5, gradView, lossView);
                        assertEquals(total, totalView);
                        assertArrayEquals(grad.toFloatArray(), gradView.toFloatArray());
                        assertArrayEquals(loss.toFloatArray(), lossView.toFloatArray());
                        Kernels.preferred().vector().bceWithLogitsF32(rows, cols, x.segment(), 0, cols, y.segment(), 0, cols,
                                0.5f, grad.segment(), 0, cols, loss.segment(), 0);
                        assertArrayEquals(grad.toFloatArray(), gradView.toFloatArray());
                        assertArrayEquals(loss.toFloatArray(), lossView.toFloatArray());
                        double sum = 0;
                        for (int r = 0; r < rows; r++) {
                            for (int c = 0; c < cols; c++) {
                                sum += x.get(r, c);
                            }
                        }
                        assertEquals(sum, ops.sum(xv), 1e-5 * rows * cols);
                    }
                });
    }

    @Test
    void shapeAndTypeErrorsNameTheOperandsAtFault() {
        try (TensorScope scope = TensorScope.open("ops")) {
            TensorOps ops = TensorOps.create(ComputePool.common());
            Tensor a = scope.allocateFloat(2, 3);
            Tensor b = scope.allocateFloat(3, 2);
            assertMessage(() -> ops.add(a, b, a), "add", "[2, 3]", "[3, 2]");
            assertMessage(() -> ops.add(a, scope.allocateDouble(2, 3), a), "float32", "float64");
            assertMessage(() -> ops.biasActivation(Activation.RELU, a, scope.allocateFloat(2), a), "bias", "[2]", "[3]");
            assertMessage(() -> ops.rowSums(a, scope.allocateFloat(3), false), "out", "[3]", "[2]");
            assertMessage(() -> ops.columnSums(a, scope.allocateFloat(2), false), "out", "[2]", "[3]");
            assertMessage(() -> ops.bceWithLogits(a, scope.allocateFloat(2, 4), 1, null, scope.allocateFloat(2)),
                    "targets", "[2, 3]", "[2, 4]");
            assertMessage(() -> ops.biasActivation(Activation.RELU, scope.allocateFloat(6), null, scope.allocateFloat(6)),
                    "2-D", "[6]");
            assertMessage(() -> ops.add(a.transpose(), b, b), "unit column stride", "[3, 2]");
            assertMessage(() -> ops.adam(scope.allocateDouble(3), scope.allocateDouble(3), scope.allocateDouble(3),
                    scope.allocateDouble(3), 1e-3, 0.9, 0.999, 1e-8, 0, 1), "float32");
            assertMessage(() -> ops.sgd(a, a, null, 0.1, 0.9, 0, 0, false, true), "momentum buffer");
            assertMessage(() -> ops.activationBackward(Activation.SOFTPLUS, a, null, a, a, false), "pre-activation");
        }
    }

    private static void assertMessage(Runnable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' should mention " + f);
        }
    }

    @Test
    void closedScopeThrowsInsteadOfCrashing() {
        TensorScope scope = TensorScope.open("short-lived");
        Tensor a = scope.allocateFloat(4, 4);
        scope.close();
        TensorOps ops = TensorOps.create(ComputePool.common());
        assertThrows(IllegalStateException.class, () -> ops.activation(Activation.SIGMOID, a, a));
    }
}
