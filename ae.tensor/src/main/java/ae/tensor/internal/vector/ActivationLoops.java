package ae.tensor.internal.vector;

import static ae.tensor.internal.vector.FloatVectorMath.SPECIES;

import ae.tensor.Activation;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The float32 activation loops, one subclass per activation.
 *
 * <p>Why not one loop with a switch on the activation: C2 then inlines every activation's polynomial into the
 * same compiled loop, runs past its inlining node budget ({@code NodeCountInliningCutoff}), leaves some vector
 * math un-inlined and boxes every vector that crosses those calls - measured at ~600 KB allocated per
 * 51,200-element call and ~20x slower. Here each activation's loops are separate methods of a separate class,
 * reached through a call that becomes megamorphic (so it is not inlined) and that passes only segments and
 * offsets, never vectors. Vector loads and stores are the JDK's own force-inlined methods, which C2 inlines
 * even past the budget, rather than helpers of ours. Masked vector steps are expensive in that budget too, so
 * each loop runs whole
 * vectors and finishes the tail with the scalar twins of {@link FloatVectorMath}, which perform the same float32
 * operations: every element gets the same bits wherever it falls.
 */
abstract class ActivationLoops {
    static final int LANES = SPECIES.length();
    static final ByteOrder ORDER = ByteOrder.nativeOrder();
    static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final FloatVector ZERO = FloatVector.zero(SPECIES);
    static final FloatVector ONE = FloatVector.broadcast(SPECIES, 1f);

    private static final ActivationLoops[] BY_ORDINAL = new ActivationLoops[Activation.values().length];

    static {
        BY_ORDINAL[Activation.IDENTITY.ordinal()] = new Identity();
        BY_ORDINAL[Activation.SIGMOID.ordinal()] = new Sigmoid();
        BY_ORDINAL[Activation.TANH.ordinal()] = new Tanh();
        BY_ORDINAL[Activation.RELU.ordinal()] = new Relu();
        BY_ORDINAL[Activation.SOFTPLUS.ordinal()] = new Softplus();
    }

    static ActivationLoops of(Activation act) {
        return BY_ORDINAL[act.ordinal()];
    }

    /** out(i, j) = act(in(i, j) + bias(j)); bias may be null. */
    abstract void forward(int rows, int cols, MemorySegment in, long inOffset, int ldIn, MemorySegment bias,
                          long biasOffset, MemorySegment out, long outOffset, int ldOut);

    /** out = act'(a). */
    abstract void derivative(int n, MemorySegment pre, long preOffset, MemorySegment out, long outOffset);

    /** gradIn (+)= gradOut * act'(.), from the output y, or from the pre-activation a for softplus. */
    abstract void backward(int n, MemorySegment y, long yOffset, MemorySegment a, long aOffset, MemorySegment gradOut,
                           long gradOutOffset, MemorySegment gradIn, long gradInOffset, boolean accumulate);

    static float get(MemorySegment s, long element) {
        return s.getAtIndex(F, element);
    }

    static void set(MemorySegment s, long element, float v) {
        s.setAtIndex(F, element, v);
    }

    /** e / (1 + e)^2 for e = exp(-|a|): sigmoid'(a) without the cancellation of s * (1 - s) once s rounds to 1. */
    static FloatVector sigmoidDerivative(FloatVector a) {
        FloatVector e = FloatVectorMath.exp(a.abs().neg());
        FloatVector r = ONE.div(e.add(1f));
        return e.mul(r).mul(r);
    }

    static float sigmoidDerivative(float a) {
        float e = FloatVectorMath.exp(-Math.abs(a));
        float r = 1f / (e + 1f);
        return e * r * r;
    }

    /** 4e / (1 + e)^2 for e = exp(-2|a|): tanh'(a), for the same reason. */
    static FloatVector tanhDerivative(FloatVector a) {
        FloatVector ax = a.abs();
        FloatVector e = FloatVectorMath.exp(ax.add(ax).neg());
        FloatVector r = ONE.div(e.add(1f));
        return e.mul(4f).mul(r).mul(r);
    }

    static float tanhDerivative(float a) {
        float ax = Math.abs(a);
        float e = FloatVectorMath.exp(-(ax + ax));
        float r = 1f / (e + 1f);
        return e * 4f * r * r;
    }

    /** act(a) = a. */
    static final class Identity extends ActivationLoops {
        @Override
        void forward(int rows, int cols, MemorySegment in, long inOffset, int ldIn, MemorySegment bias,
                     long biasOffset, MemorySegment out, long outOffset, int ldOut) {
            int bound = SPECIES.loopBound(cols);
            for (int r = 0; r < rows; r++) {
                long inRow = inOffset + (long) r * ldIn;
                long outRow = outOffset + (long) r * ldOut;
                int c = 0;
                for (; c < bound; c += LANES) {
                    FloatVector a = FloatVector.fromMemorySegment(SPECIES, in, (inRow + c) * Float.BYTES, ORDER);
                    if (bias != null) {
                        a = a.add(FloatVector.fromMemorySegment(SPECIES, bias, (biasOffset + c) * Float.BYTES, ORDER));
                    }
                    a.intoMemorySegment(out, (outRow + c) * Float.BYTES, ORDER);
                }
                for (; c < cols; c++) {
                    float a = get(in, inRow + c);
                    if (bias != null) {
                        a = a + get(bias, biasOffset + c);
                    }
                    set(out, outRow + c, a);
                }
            }
        }

        @Override
        void derivative(int n, MemorySegment pre, long preOffset, MemorySegment out, long outOffset) {
            int i = 0;
            for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
                FloatVector a = FloatVector.fromMemorySegment(SPECIES, pre, (preOffset + i) * Float.BYTES, ORDER);
                ONE.intoMemorySegment(out, (outOffset + i) * Float.BYTES, ORDER);
            }
            for (; i < n; i++) {
                float a = get(pre, preOffset + i);
                set(out, outOffset + i, 1f);
            }
        }

        @Override
        void backward(int n, MemorySegment y, long yOffset, MemorySegment a, long aOffset, MemorySegment gradOut,
                      long gradOutOffset, MemorySegment gradIn, long gradInOffset, boolean accumulate) {
            int i = 0;
            for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
                FloatVector g = FloatVector.fromMemorySegment(SPECIES, gradOut, (gradOutOffset + i) * Float.BYTES, ORDER);
                if (accumulate) {
                    g = g.add(FloatVector.fromMemorySegment(SPECIES, gradIn, (gradInOffset + i) * Float.BYTES, ORDER));
                }
                g.intoMemorySegment(gradIn, (gradInOffset + i) * Float.BYTES, ORDER);
            }
            for (; i < n; i++) {
                float g = get(gradOut, gradOutOffset + i);
                if (accumulate) {
                    g = g + get(gradIn, gradInOffset + i);
                }
                set(gradIn, gradInOffset + i, g);
            }
        }
    }

    /** sigmoid; backward from the output: y (1 - y). */
    static final class Sigmoid extends ActivationLoops {
        @Override
        void forward(int rows, int cols, MemorySegment in, long inOffset, int ldIn, MemorySegment bias,
                     long biasOffset, MemorySegment out, long outOffset, int ldOut) {
            int bound = SPECIES.loopBound(cols);
            for (int r = 0; r < rows; r++) {
                long inRow = inOffset + (long) r * ldIn;
                long outRow = outOffset + (long) r * ldOut;
                int c = 0;
                for (; c < bound; c += LANES) {
                    FloatVector a = FloatVector.fromMemorySegment(SPECIES, in, (inRow + c) * Float.BYTES, ORDER);
                    if (bias != null) {
                        a = a.add(FloatVector.fromMemorySegment(SPECIES, bias, (biasOffset + c) * Float.BYTES, ORDER));
                    }
                    (FloatVectorMath.sigmoid(a)).intoMemorySegment(out, (outRow + c) * Float.BYTES, ORDER);
                }
                for (; c < cols; c++) {
                    float a = get(in, inRow + c);
                    if (bias != null) {
                        a = a + get(bias, biasOffset + c);
                    }
                    set(out, outRow + c, FloatVectorMath.sigmoid(a));
                }
            }
        }

        @Override
        void derivative(int n, MemorySegment pre, long preOffset, MemorySegment out, long outOffset) {
            int i = 0;
            for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
                FloatVector a = FloatVector.fromMemorySegment(SPECIES, pre, (preOffset + i) * Float.BYTES, ORDER);
                (sigmoidDerivative(a)).intoMemorySegment(out, (outOffset + i) * Float.BYTES, ORDER);
            }
            for (; i < n; i++) {
                float a = get(pre, preOffset + i);
                set(out, outOffset + i, sigmoidDerivative(a));
            }
        }

        @Override
        void backward(int n, MemorySegment y, long yOffset, MemorySegment a, long aOffset, MemorySegment gradOut,
                      long gradOutOffset, MemorySegment gradIn, long gradInOffset, boolean accumulate) {
            int i = 0;
            for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
                FloatVector v = FloatVector.fromMemorySegment(SPECIES, y, (yOffset + i) * Float.BYTES, ORDER);
                FloatVector g = FloatVector.fromMemorySegment(SPECIES, gradOut, (gradOutOffset + i) * Float.BYTES, ORDER).mul(v.mul(ONE.sub(v)));
                if (accumulate) {
                    g = g.add(FloatVector.fromMemorySegment(SPECIES, gradIn, (gradInOffset + i) * Float.BYTES, ORDER));
                }
                g.intoMemorySegment(gradIn, (gradInOffset + i) * Float.BYTES, ORDER);
            }
            for (; i < n; i++) {
                float v = get(y, yOffset + i);
                float g = get(gradOut, gradOutOffset + i) * (v * (1f - v));
                if (accumulate) {
                    g = g + get(gradIn, gradInOffset + i);
                }
                set(gradIn, gradInOffset + i, g);
            }
        }
    }

    /** tanh; backward from the output: 1 - y^2. */
    static final class Tanh extends ActivationLoops {
        @Override
        void forward(int rows, int cols, MemorySegment in, long inOffset, int ldIn, MemorySegment bias,
                     long biasOffset, MemorySegment out, long outOffset, int ldOut) {
            int bound = SPECIES.loopBound(cols);
            for (int r = 0; r < rows; r++) {
                long inRow = inOffset + (long) r * ldIn;
                long outRow = outOffset + (long) r * ldOut;
                int c = 0;
                for (; c < bound; c += LANES) {
                    FloatVector a = FloatVector.fromMemorySegment(SPECIES, in, (inRow + c) * Float.BYTES, ORDER);
                    if (bias != null) {
                        a = a.add(FloatVector.fromMemorySegment(SPECIES, bias, (biasOffset + c) * Float.BYTES, ORDER));
                    }
                    (FloatVectorMath.tanh(a)).intoMemorySegment(out, (outRow + c) * Float.BYTES, ORDER);
                }
                for (; c < cols; c++) {
                    float a = get(in, inRow + c);
                    if (bias != null) {
                        a = a + get(bias, biasOffset + c);
                    }
                    set(out, outRow + c, FloatVectorMath.tanh(a));
                }
            }
        }

        @Override
        void derivative(int n, MemorySegment pre, long preOffset, MemorySegment out, long outOffset) {
            int i = 0;
            for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
                FloatVector a = FloatVector.fromMemorySegment(SPECIES, pre, (preOffset + i) * Float.BYTES, ORDER);
                (tanhDerivative(a)).intoMemorySegment(out, (outOffset + i) * Float.BYTES, ORDER);
            }
            for (; i < n; i++) {
                float a = get(pre, preOffset + i);
                set(out, outOffset + i, tanhDerivative(a));
            }
        }

        @Override
        void backward(int n, MemorySegment y, long yOffset, MemorySegment a, long aOffset, MemorySegment gradOut,
                      long gradOutOffset, MemorySegment gradIn, long gradInOffset, boolean accumulate) {
            int i = 0;
            for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
                FloatVector v = FloatVector.fromMemorySegment(SPECIES, y, (yOffset + i) * Float.BYTES, ORDER);
                FloatVector g = FloatVector.fromMemorySegment(SPECIES, gradOut, (gradOutOffset + i) * Float.BYTES, ORDER).mul(v.neg().fma(v, ONE));
                if (accumulate) {
                    g = g.add(FloatVector.fromMemorySegment(SPECIES, gradIn, (gradInOffset + i) * Float.BYTES, ORDER));
                }
                g.intoMemorySegment(gradIn, (gradInOffset + i) * Float.BYTES, ORDER);
            }
            for (; i < n; i++) {
                float v = get(y, yOffset + i);
                float g = get(gradOut, gradOutOffset + i) * Math.fma(-v, v, 1f);
                if (accumulate) {
                    g = g + get(gradIn, gradInOffset + i);
                }
                set(gradIn, gradInOffset + i, g);
            }
        }
    }

    /** max(a, 0); backward from the output: y > 0. */
    static final class Relu extends ActivationLoops {
        @Override
        void forward(int rows, int cols, MemorySegment in, long inOffset, int ldIn, MemorySegment bias,
                     long biasOffset, MemorySegment out, long outOffset, int ldOut) {
            int bound = SPECIES.loopBound(cols);
            for (int r = 0; r < rows; r++) {
                long inRow = inOffset + (long) r * ldIn;
                long outRow = outOffset + (long) r * ldOut;
                int c = 0;
                for (; c < bound; c += LANES) {
                    FloatVector a = FloatVector.fromMemorySegment(SPECIES, in, (inRow + c) * Float.BYTES, ORDER);
                    if (bias != null) {
                        a = a.add(FloatVector.fromMemorySegment(SPECIES, bias, (biasOffset + c) * Float.BYTES, ORDER));
                    }
                    (a.max(0f)).intoMemorySegment(out, (outRow + c) * Float.BYTES, ORDER);
                }
                for (; c < cols; c++) {
                    float a = get(in, inRow + c);
                    if (bias != null) {
                        a = a + get(bias, biasOffset + c);
                    }
                    set(out, outRow + c, Math.max(a, 0f));
                }
            }
        }

        @Override
        void derivative(int n, MemorySegment pre, long preOffset, MemorySegment out, long outOffset) {
            int i = 0;
            for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
                FloatVector a = FloatVector.fromMemorySegment(SPECIES, pre, (preOffset + i) * Float.BYTES, ORDER);
                (ZERO.blend(ONE, a.compare(VectorOperators.GT, 0f))).intoMemorySegment(out, (outOffset + i) * Float.BYTES, ORDER);
            }
            for (; i < n; i++) {
                float a = get(pre, preOffset + i);
                set(out, outOffset + i, (a > 0f ? 1f : 0f));
            }
        }

        @Override
        void backward(int n, MemorySegment y, long yOffset, MemorySegment a, long aOffset, MemorySegment gradOut,
                      long gradOutOffset, MemorySegment gradIn, long gradInOffset, boolean accumulate) {
            int i = 0;
            for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
                FloatVector v = FloatVector.fromMemorySegment(SPECIES, y, (yOffset + i) * Float.BYTES, ORDER);
                FloatVector g = FloatVector.fromMemorySegment(SPECIES, gradOut, (gradOutOffset + i) * Float.BYTES, ORDER).mul(ZERO.blend(ONE, v.compare(VectorOperators.GT, 0f)));
                if (accumulate) {
                    g = g.add(FloatVector.fromMemorySegment(SPECIES, gradIn, (gradInOffset + i) * Float.BYTES, ORDER));
                }
                g.intoMemorySegment(gradIn, (gradInOffset + i) * Float.BYTES, ORDER);
            }
            for (; i < n; i++) {
                float v = get(y, yOffset + i);
                float g = get(gradOut, gradOutOffset + i) * (v > 0f ? 1f : 0f);
                if (accumulate) {
                    g = g + get(gradIn, gradInOffset + i);
                }
                set(gradIn, gradInOffset + i, g);
            }
        }
    }

    /** softplus; backward from the pre-activation: sigmoid(a). */
    static final class Softplus extends ActivationLoops {
        @Override
        void forward(int rows, int cols, MemorySegment in, long inOffset, int ldIn, MemorySegment bias,
                     long biasOffset, MemorySegment out, long outOffset, int ldOut) {
            int bound = SPECIES.loopBound(cols);
            for (int r = 0; r < rows; r++) {
                long inRow = inOffset + (long) r * ldIn;
                long outRow = outOffset + (long) r * ldOut;
                int c = 0;
                for (; c < bound; c += LANES) {
                    FloatVector a = FloatVector.fromMemorySegment(SPECIES, in, (inRow + c) * Float.BYTES, ORDER);
                    if (bias != null) {
                        a = a.add(FloatVector.fromMemorySegment(SPECIES, bias, (biasOffset + c) * Float.BYTES, ORDER));
                    }
                    (FloatVectorMath.softplus(a)).intoMemorySegment(out, (outRow + c) * Float.BYTES, ORDER);
                }
                for (; c < cols; c++) {
                    float a = get(in, inRow + c);
                    if (bias != null) {
                        a = a + get(bias, biasOffset + c);
                    }
                    set(out, outRow + c, FloatVectorMath.softplus(a));
                }
            }
        }

        @Override
        void derivative(int n, MemorySegment pre, long preOffset, MemorySegment out, long outOffset) {
            int i = 0;
            for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
                FloatVector a = FloatVector.fromMemorySegment(SPECIES, pre, (preOffset + i) * Float.BYTES, ORDER);
                (FloatVectorMath.sigmoid(a)).intoMemorySegment(out, (outOffset + i) * Float.BYTES, ORDER);
            }
            for (; i < n; i++) {
                float a = get(pre, preOffset + i);
                set(out, outOffset + i, FloatVectorMath.sigmoid(a));
            }
        }

        @Override
        void backward(int n, MemorySegment y, long yOffset, MemorySegment a, long aOffset, MemorySegment gradOut,
                      long gradOutOffset, MemorySegment gradIn, long gradInOffset, boolean accumulate) {
            int i = 0;
            for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
                FloatVector v = FloatVector.fromMemorySegment(SPECIES, a, (aOffset + i) * Float.BYTES, ORDER);
                FloatVector g = FloatVector.fromMemorySegment(SPECIES, gradOut, (gradOutOffset + i) * Float.BYTES, ORDER).mul(FloatVectorMath.sigmoid(v));
                if (accumulate) {
                    g = g.add(FloatVector.fromMemorySegment(SPECIES, gradIn, (gradInOffset + i) * Float.BYTES, ORDER));
                }
                g.intoMemorySegment(gradIn, (gradInOffset + i) * Float.BYTES, ORDER);
            }
            for (; i < n; i++) {
                float v = get(a, aOffset + i);
                float g = get(gradOut, gradOutOffset + i) * FloatVectorMath.sigmoid(v);
                if (accumulate) {
                    g = g + get(gradIn, gradInOffset + i);
                }
                set(gradIn, gradInOffset + i, g);
            }
        }
    }
}
