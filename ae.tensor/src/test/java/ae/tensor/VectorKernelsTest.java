package ae.tensor;

import static ae.tensor.KernelHarness.F32_ULPS;
import static ae.tensor.KernelHarness.F64_AGAINST_F32;
import static ae.tensor.KernelHarness.MAX_FLAT;
import static ae.tensor.KernelHarness.LANES;
import static ae.tensor.KernelHarness.compare;
import static ae.tensor.KernelHarness.f32Sum;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import ae.tensor.KernelHarness.Tolerance;
import ae.tensor.KernelHarness.Values;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Every kernel: float32, the SIMD provider against the scalar reference; float64, against the float32 reference (see
 * {@link KernelHarness}); on sizes and offsets that cross lane boundaries.
 */
class VectorKernelsTest {
    private static final Values M = Values.MODERATE;
    private static final Values W = Values.WIDE;
    private static final Values U = Values.UNIT;
    /** Elementwise arithmetic: the scalar provider rounds once from float64, SIMD may round twice. */
    private static final Tolerance ARITH = new Tolerance(2e-6, 2e-7);
    /** Transcendentals plus a multiply or two on top. */
    private static final Tolerance TRANS = new Tolerance(1e-30, 2e-6);
    private static final Tolerance IGNORED = new Tolerance(0, 0);

    private static Gen<Integer> flatSizes() {
        return integers().between(1, MAX_FLAT);
    }

    /** Long enough to pass through the 4-accumulator loops of the reductions several times. */
    private static Gen<Integer> reductionSizes() {
        return integers().between(0, 12 * LANES + 7);
    }

    private static int[] lengths(int... n) {
        return n;
    }

    private static Values[] values(Values... v) {
        return v;
    }

    // ---- activations -------------------------------------------------------------------------------------

    @Test
    void activationMatchesReference() {
        for (Activation act : Activation.values()) {
            qt().withExamples(150).forAll(flatSizes(), longs().all()).checkAssert((n, seed) -> {
                for (DType t : DType.values()) {
                    compare("activation " + act, t, seed, lengths(n, n), values(W, M), (k, type, b) -> {
                        if (type == DType.F32) {
                            k.activationF32(act, n, b[0].seg(), b[0].off(), b[1].seg(), b[1].off());
                        } else {
                            k.activationF64(act, n, b[0].seg(), b[0].off(), b[1].seg(), b[1].off());
                        }
                        return 0;
                    }, TRANS, IGNORED);
                }
            });
        }
    }

    @Test
    void activationInPlaceMatchesReference() {
        for (Activation act : Activation.values()) {
            qt().withExamples(50).forAll(flatSizes(), longs().all()).checkAssert((n, seed) ->
                    compare("in-place activation " + act, DType.F32, seed, lengths(n), values(W), (k, type, b) -> {
                        k.activationF32(act, n, b[0].seg(), b[0].off(), b[0].seg(), b[0].off());
                        return 0;
                    }, TRANS, IGNORED));
        }
    }

    @Test
    void biasActivationMatchesReference() {
        for (Activation act : Activation.values()) {
            qt().withExamples(60).forAll(integers().between(1, 5), flatSizes(), integers().between(0, 9), longs().all())
                    .checkAssert((rows, cols, pad, seed) -> {
                        int ldIn = cols + pad;
                        int ldOut = cols + (pad + 3) % 7;
                        for (DType t : DType.values()) {
                            compare("biasActivation " + act, t, seed,
                                    lengths(rows * ldIn, cols, rows * ldOut), values(W, M, M), (k, type, b) -> {
                                        if (type == DType.F32) {
                                            k.biasActivationF32(act, rows, cols, b[0].seg(), b[0].off(), ldIn,
                                                    b[1].seg(), b[1].off(), b[2].seg(), b[2].off(), ldOut);
                                        } else {
                                            k.biasActivationF64(act, rows, cols, b[0].seg(), b[0].off(), ldIn,
                                                    b[1].seg(), b[1].off(), b[2].seg(), b[2].off(), ldOut);
                                        }
                                        return 0;
                                    }, t == DType.F32 ? TRANS : F64_AGAINST_F32, IGNORED);
                            compare("biasActivation without bias " + act, t, seed,
                                    lengths(rows * ldIn, rows * ldOut), values(W, M), (k, type, b) -> {
                                        if (type == DType.F32) {
                                            k.biasActivationF32(act, rows, cols, b[0].seg(), b[0].off(), ldIn,
                                                    null, 0, b[1].seg(), b[1].off(), ldOut);
                                        } else {
                                            k.biasActivationF64(act, rows, cols, b[0].seg(), b[0].off(), ldIn,
                                                    null, 0, b[1].seg(), b[1].off(), ldOut);
                                        }
                                        return 0;
                                    }, t == DType.F32 ? TRANS : F64_AGAINST_F32, IGNORED);
                        }
                    });
        }
    }

    @Test
    void activationBackwardMatchesReference() {
        for (Activation act : Activation.values()) {
            for (boolean accumulate : new boolean[] {false, true}) {
                qt().withExamples(80).forAll(flatSizes(), longs().all()).checkAssert((n, seed) -> {
                    // Buffer 0 holds plausible activation outputs (in [0, 1]), buffer 1 pre-activations.
                    for (DType t : DType.values()) {
                        compare("activationBackward " + act, t, seed, lengths(n, n, n, n), values(U, W, M, M),
                                (k, type, b) -> {
                                    if (type == DType.F32) {
                                        k.activationBackwardF32(act, n, b[0].seg(), b[0].off(), b[1].seg(), b[1].off(),
                                                b[2].seg(), b[2].off(), b[3].seg(), b[3].off(), accumulate);
                                    } else {
                                        k.activationBackwardF64(act, n, b[0].seg(), b[0].off(), b[1].seg(), b[1].off(),
                                                b[2].seg(), b[2].off(), b[3].seg(), b[3].off(), accumulate);
                                    }
                                    return 0;
                                }, t == DType.F32 ? ARITH : F64_AGAINST_F32, IGNORED);
                    }
                });
            }
        }
    }

    @Test
    void activationDerivativeMatchesReference() {
        for (Activation act : Activation.values()) {
            qt().withExamples(120).forAll(flatSizes(), longs().all()).checkAssert((n, seed) -> {
                for (DType t : DType.values()) {
                    compare("activationDerivative " + act, t, seed, lengths(n, n), values(W, M), (k, type, b) -> {
                        if (type == DType.F32) {
                            k.activationDerivativeF32(act, n, b[0].seg(), b[0].off(), b[1].seg(), b[1].off());
                        } else {
                            k.activationDerivativeF64(act, n, b[0].seg(), b[0].off(), b[1].seg(), b[1].off());
                        }
                        return 0;
                    }, t == DType.F32 ? TRANS : F64_AGAINST_F32, IGNORED);
                }
            });
        }
    }

    // ---- elementwise -------------------------------------------------------------------------------------

    /** A kernel over n elements of every buffer, in both element types. */
    @FunctionalInterface
    private interface FlatCall {
        void run(VectorKernels k, DType type, int n, KernelHarness.Buf[] b);
    }

    private static void flatProperty(String what, Values[] values, Tolerance f32, FlatCall call) {
        qt().withExamples(150).forAll(flatSizes(), longs().all()).checkAssert((n, seed) -> {
            int[] lengths = new int[values.length];
            java.util.Arrays.fill(lengths, n);
            for (DType t : DType.values()) {
                compare(what, t, seed, lengths, values, (k, type, b) -> {
                    call.run(k, type, n, b);
                    return 0;
                }, t == DType.F32 ? f32 : F64_AGAINST_F32, IGNORED);
            }
        });
    }

    @Test
    void addSubMulMatchReference() {
        flatProperty("add", values(M, M, M), KernelHarness.EXACT, (k, type, n, b) -> {
            if (type == DType.F32) {
                k.addF32(n, b[0].seg(), b[0].off(), b[1].seg(), b[1].off(), b[2].seg(), b[2].off());
            } else {
                k.addF64(n, b[0].seg(), b[0].off(), b[1].seg(), b[1].off(), b[2].seg(), b[2].off());
            }
        });
        flatProperty("sub", values(M, M, M), KernelHarness.EXACT, (k, type, n, b) -> {
            if (type == DType.F32) {
                k.subF32(n, b[0].seg(), b[0].off(), b[1].seg(), b[1].off(), b[2].seg(), b[2].off());
            } else {
                k.subF64(n, b[0].seg(), b[0].off(), b[1].seg(), b[1].off(), b[2].seg(), b[2].off());
            }
        });
        flatProperty("mul", values(M, M, M), KernelHarness.EXACT, (k, type, n, b) -> {
            if (type == DType.F32) {
                k.mulF32(n, b[0].seg(), b[0].off(), b[1].seg(), b[1].off(), b[2].seg(), b[2].off());
            } else {
                k.mulF64(n, b[0].seg(), b[0].off(), b[1].seg(), b[1].off(), b[2].seg(), b[2].off());
            }
        });
    }

    @Test
    void axpyFamilyMatchesReference() {
        flatProperty("axpy", values(M, M), ARITH, (k, type, n, b) -> {
            if (type == DType.F32) {
                k.axpyF32(n, -0.7f, b[0].seg(), b[0].off(), b[1].seg(), b[1].off());
            } else {
                k.axpyF64(n, -0.7, b[0].seg(), b[0].off(), b[1].seg(), b[1].off());
            }
        });
        flatProperty("axpby", values(M, M), ARITH, (k, type, n, b) -> {
            if (type == DType.F32) {
                k.axpbyF32(n, 1.3f, b[0].seg(), b[0].off(), 0.9f, b[1].seg(), b[1].off());
            } else {
                k.axpbyF64(n, 1.3, b[0].seg(), b[0].off(), 0.9, b[1].seg(), b[1].off());
            }
        });
        flatProperty("addProduct", values(M, M, M), ARITH, (k, type, n, b) -> {
            if (type == DType.F32) {
                k.addProductF32(n, 0.3f, b[0].seg(), b[0].off(), b[1].seg(), b[1].off(), b[2].seg(), b[2].off());
            } else {
                k.addProductF64(n, 0.3, b[0].seg(), b[0].off(), b[1].seg(), b[1].off(), b[2].seg(), b[2].off());
            }
        });
        flatProperty("scale", values(M, M), KernelHarness.EXACT, (k, type, n, b) -> {
            if (type == DType.F32) {
                k.scaleF32(n, -1.7f, b[0].seg(), b[0].off(), b[1].seg(), b[1].off());
            } else {
                k.scaleF64(n, -1.7, b[0].seg(), b[0].off(), b[1].seg(), b[1].off());
            }
        });
    }

    @Test
    void clampExpCopyFillMatchReference() {
        flatProperty("clamp", values(M, M), KernelHarness.EXACT, (k, type, n, b) -> {
            if (type == DType.F32) {
                k.clampF32(n, -0.5f, 1.25f, b[0].seg(), b[0].off(), b[1].seg(), b[1].off());
            } else {
                k.clampF64(n, -0.5, 1.25, b[0].seg(), b[0].off(), b[1].seg(), b[1].off());
            }
        });
        flatProperty("exp", values(W, M), TRANS, (k, type, n, b) -> {
            if (type == DType.F32) {
                k.expF32(n, b[0].seg(), b[0].off(), b[1].seg(), b[1].off());
            } else {
                k.expF64(n, b[0].seg(), b[0].off(), b[1].seg(), b[1].off());
            }
        });
        flatProperty("copy", values(M, M), KernelHarness.EXACT, (k, type, n, b) -> {
            if (type == DType.F32) {
                k.copyF32(n, b[0].seg(), b[0].off(), b[1].seg(), b[1].off());
            } else {
                k.copyF64(n, b[0].seg(), b[0].off(), b[1].seg(), b[1].off());
            }
        });
        flatProperty("fill", values(M), KernelHarness.EXACT, (k, type, n, b) -> {
            if (type == DType.F32) {
                k.fillF32(n, 0.375f, b[0].seg(), b[0].off());
            } else {
                k.fillF64(n, 0.375, b[0].seg(), b[0].off());
            }
        });
    }

    // ---- reductions --------------------------------------------------------------------------------------

    @Test
    void sumsAndDotMatchReferenceWithinALengthScaledBound() {
        qt().withExamples(200).forAll(reductionSizes(), longs().all()).checkAssert((n, seed) -> {
            // |v| <= 2, so sum |v| <= 2n and sum v^2, sum |a b| <= 4n.
            Tolerance linear = f32Sum(n, 2.0 * n);
            Tolerance quadratic = f32Sum(n, 4.0 * n);
            compare("sum", DType.F32, seed, lengths(n), values(M),
                    (k, type, b) -> k.sumF32(n, b[0].seg(), b[0].off()), KernelHarness.EXACT, linear);
            compare("sumOfSquares", DType.F32, seed, lengths(n), values(M),
                    (k, type, b) -> k.sumOfSquaresF32(n, b[0].seg(), b[0].off()), KernelHarness.EXACT, quadratic);
            compare("dot", DType.F32, seed, lengths(n, n), values(M, M),
                    (k, type, b) -> k.dotF32(n, b[0].seg(), b[0].off(), b[1].seg(), b[1].off()), KernelHarness.EXACT,
                    quadratic);
            compare("sum", DType.F64, seed, lengths(n), values(M), (k, type, b) -> type == DType.F32
                    ? k.sumF32(n, b[0].seg(), b[0].off()) : k.sumF64(n, b[0].seg(), b[0].off()), IGNORED, IGNORED);
            compare("sumOfSquares", DType.F64, seed, lengths(n), values(M), (k, type, b) -> type == DType.F32
                    ? k.sumOfSquaresF32(n, b[0].seg(), b[0].off()) : k.sumOfSquaresF64(n, b[0].seg(), b[0].off()),
                    IGNORED, IGNORED);
            compare("dot", DType.F64, seed, lengths(n, n), values(M, M), (k, type, b) -> type == DType.F32
                    ? k.dotF32(n, b[0].seg(), b[0].off(), b[1].seg(), b[1].off())
                    : k.dotF64(n, b[0].seg(), b[0].off(), b[1].seg(), b[1].off()), IGNORED, IGNORED);
        });
    }

    @Test
    void maxIsExact() {
        qt().withExamples(200).forAll(reductionSizes(), longs().all()).checkAssert((n, seed) -> {
            compare("max", DType.F32, seed, lengths(n), values(W),
                    (k, type, b) -> k.maxF32(n, b[0].seg(), b[0].off()), KernelHarness.EXACT, KernelHarness.EXACT);
            compare("max", DType.F64, seed, lengths(n), values(W), (k, type, b) -> type == DType.F32
                    ? k.maxF32(n, b[0].seg(), b[0].off()) : k.maxF64(n, b[0].seg(), b[0].off()), IGNORED, IGNORED);
        });
    }

    @Test
    void rowAndColumnSumsMatchReference() {
        qt().withExamples(150).forAll(integers().between(1, 2 * LANES + 3), integers().between(1, 6 * LANES + 3),
                integers().between(0, 9), longs().all()).checkAssert((rows, cols, pad, seed) -> {
                    int ld = cols + pad;
                    for (boolean accumulate : new boolean[] {false, true}) {
                        for (DType t : DType.values()) {
                            Tolerance rowTol = t == DType.F32 ? f32Sum(cols, 2.0 * cols + 2) : F64_AGAINST_F32;
                            Tolerance colTol = t == DType.F32 ? f32Sum(rows, 2.0 * rows + 2) : F64_AGAINST_F32;
                            compare("rowSums", t, seed, lengths(rows * ld, rows), values(M, M), (k, type, b) -> {
                                if (type == DType.F32) {
                                    k.rowSumsF32(rows, cols, b[0].seg(), b[0].off(), ld, b[1].seg(), b[1].off(), accumulate);
                                } else {
                                    k.rowSumsF64(rows, cols, b[0].seg(), b[0].off(), ld, b[1].seg(), b[1].off(), accumulate);
                                }
                                return 0;
                            }, rowTol, IGNORED);
                            compare("columnSums", t, seed, lengths(rows * ld, cols), values(M, M), (k, type, b) -> {
                                if (type == DType.F32) {
                                    k.columnSumsF32(rows, cols, b[0].seg(), b[0].off(), ld, b[1].seg(), b[1].off(), accumulate);
                                } else {
                                    k.columnSumsF64(rows, cols, b[0].seg(), b[0].off(), ld, b[1].seg(), b[1].off(), accumulate);
                                }
                                return 0;
                            }, colTol, IGNORED);
                        }
                    }
                });
    }

    @Test
    void rowLogSumExpMatchesReference() {
        qt().withExamples(150).forAll(integers().between(1, 4), integers().between(1, 4 * LANES + 3),
                integers().between(0, 5), longs().all()).checkAssert((rows, cols, pad, seed) -> {
                    int ld = cols + pad;
                    for (DType t : DType.values()) {
                        // The result is at least the row maximum; relative float32 error of the log of a sum of
                        // cols terms is bounded by the sum's relative error.
                        Tolerance tol = t == DType.F32 ? new Tolerance(0x1.0p-23 * (cols + 8), 4e-7) : F64_AGAINST_F32;
                        compare("rowLogSumExp", t, seed, lengths(rows * ld, rows), values(W, M), (k, type, b) -> {
                            if (type == DType.F32) {
                                k.rowLogSumExpF32(rows, cols, b[0].seg(), b[0].off(), ld, b[1].seg(), b[1].off());
                            } else {
                                k.rowLogSumExpF64(rows, cols, b[0].seg(), b[0].off(), ld, b[1].seg(), b[1].off());
                            }
                            return 0;
                        }, tol, IGNORED);
                    }
                });
    }

    // ---- losses ------------------------------------------------------------------------------------------

    @Test
    void bceWithLogitsMatchesReference() {
        qt().withExamples(150).forAll(integers().between(1, 4), integers().between(1, 4 * LANES + 3),
                integers().between(0, 5), longs().all()).checkAssert((rows, cols, pad, seed) -> {
                    int ld = cols + pad;
                    for (DType t : DType.values()) {
                        boolean f32 = t == DType.F32;
                        // Per-element terms are at most ~120 here; the row loss is a float32 sum of cols of them.
                        Tolerance tol = f32 ? new Tolerance(0x1.0p-23 * (cols + 8) * 130, 2e-6) : F64_AGAINST_F32;
                        compare("bceWithLogits", t, seed, lengths(rows * ld, rows * ld, rows * ld, rows),
                                values(W, U, M, M), (k, type, b) -> {
                                    if (type == DType.F32) {
                                        k.bceWithLogitsF32(rows, cols, b[0].seg(), b[0].off(), ld, b[1].seg(), b[1].off(),
                                                ld, 0.125f, b[2].seg(), b[2].off(), ld, b[3].seg(), b[3].off());
                                    } else {
                                        k.bceWithLogitsF64(rows, cols, b[0].seg(), b[0].off(), ld, b[1].seg(), b[1].off(),
                                                ld, 0.125, b[2].seg(), b[2].off(), ld, b[3].seg(), b[3].off());
                                    }
                                    return 0;
                                }, tol, IGNORED);
                        compare("bceWithLogits without gradient", t, seed, lengths(rows * ld, rows * ld, rows),
                                values(W, U, M), (k, type, b) -> {
                                    if (type == DType.F32) {
                                        k.bceWithLogitsF32(rows, cols, b[0].seg(), b[0].off(), ld, b[1].seg(), b[1].off(),
                                                ld, 1f, null, 0, 0, b[2].seg(), b[2].off());
                                    } else {
                                        k.bceWithLogitsF64(rows, cols, b[0].seg(), b[0].off(), ld, b[1].seg(), b[1].off(),
                                                ld, 1.0, null, 0, 0, b[2].seg(), b[2].off());
                                    }
                                    return 0;
                                }, tol, IGNORED);
                    }
                });
    }

    @Test
    void squaredErrorMatchesReference() {
        qt().withExamples(150).forAll(integers().between(1, 4), integers().between(1, 4 * LANES + 3),
                integers().between(0, 5), longs().all()).checkAssert((rows, cols, pad, seed) -> {
                    int ld = cols + pad;
                    for (DType t : DType.values()) {
                        boolean f32 = t == DType.F32;
                        Tolerance tol = f32 ? new Tolerance(0x1.0p-23 * (cols + 8) * 16, 2e-6) : F64_AGAINST_F32;
                        compare("squaredError", t, seed, lengths(rows * ld, rows * ld, rows * ld, rows),
                                values(M, M, M, M), (k, type, b) -> {
                                    if (type == DType.F32) {
                                        k.squaredErrorF32(rows, cols, b[0].seg(), b[0].off(), ld, b[1].seg(), b[1].off(),
                                                ld, 0.5f, b[2].seg(), b[2].off(), ld, b[3].seg(), b[3].off());
                                    } else {
                                        k.squaredErrorF64(rows, cols, b[0].seg(), b[0].off(), ld, b[1].seg(), b[1].off(),
                                                ld, 0.5, b[2].seg(), b[2].off(), ld, b[3].seg(), b[3].off());
                                    }
                                    return 0;
                                }, tol, IGNORED);
                    }
                });
    }
}
