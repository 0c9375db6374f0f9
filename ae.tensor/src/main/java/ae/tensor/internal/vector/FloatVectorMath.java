package ae.tensor.internal.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 transcendental functions on whole vectors, built from FMA, bit manipulation and Cephes' minimax
 * polynomials (S. Moshier, Cephes Math Library: expf, logf, tanhf).
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)}: on the JDK 25 build this library targets it measured
 * about 8 ns per element on AVX-512 hardware - no faster than a scalar {@code Math.exp} loop - because it is
 * not turned into a short-vector math intrinsic there. These versions are tens of times faster and within a few
 * ulp of the correctly rounded value over the whole float range (tests bound the error against float64 math).
 */
public final class FloatVectorMath {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private static final float LOG2E = 1.44269504088896341f;
    /** 1.5 * 2^23: adding it rounds a float to an integer held in the low mantissa bits. */
    private static final float ROUND_MAGIC = 12582912f;
    private static final int ROUND_MAGIC_BITS = Float.floatToRawIntBits(ROUND_MAGIC);
    /** ln 2 split so that n * LN2_HI is exact for the n that occur. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** Below this exp underflows to zero even as a subnormal; above the upper bound it overflows. */
    private static final float EXP_LOWEST = -104f;
    private static final float EXP_HIGHEST = 89f;

    private FloatVectorMath() {
    }

    private static FloatVector k(float constant) {
        return FloatVector.broadcast(SPECIES, constant);
    }

    // Coefficients as vector constants: broadcasting them at each use costs C2 parse nodes, and the inlining
    // budget those consume is what keeps the polynomials inlined (see ActivationLoops).
    private static final FloatVector ONE = k(1f);
    private static final FloatVector TWO = k(2f);
    private static final FloatVector NEG_LN2_HI = k(-LN2_HI);
    private static final FloatVector NEG_LN2_LO = k(-LN2_LO);
    private static final FloatVector EXP_P2 = k(8.3334519073E-3f);
    private static final FloatVector EXP_P3 = k(4.1665795894E-2f);
    private static final FloatVector EXP_P4 = k(1.6666665459E-1f);
    private static final FloatVector EXP_P5 = k(5.0000001201E-1f);
    private static final FloatVector LOG_P2 = k(1.1676998740E-1f);
    private static final FloatVector LOG_P3 = k(-1.2420140846E-1f);
    private static final FloatVector LOG_P4 = k(1.4249322787E-1f);
    private static final FloatVector LOG_P5 = k(-1.6668057665E-1f);
    private static final FloatVector LOG_P6 = k(2.0000714765E-1f);
    private static final FloatVector LOG_P7 = k(-2.4999993993E-1f);
    private static final FloatVector LOG_P8 = k(3.3333331174E-1f);
    private static final FloatVector LN2_LO_VECTOR = k(LN2_LO);
    private static final FloatVector MINUS_HALF = k(-0.5f);
    private static final FloatVector TANH_P2 = k(-5.37397155531E-2f);
    private static final FloatVector TANH_P3 = k(1.33314422036E-1f);
    private static final FloatVector TANH_P4 = k(-3.33332819422E-1f);

    /** e^x; overflow gives +infinity, underflow gives zero or a subnormal, NaN stays NaN. */
    public static FloatVector exp(FloatVector x) {
        FloatVector clamped = x.max(EXP_LOWEST).min(EXP_HIGHEST);
        FloatVector shifted = clamped.fma(LOG2E, ROUND_MAGIC);
        FloatVector n = shifted.sub(ROUND_MAGIC);
        IntVector k = shifted.reinterpretAsInts().sub(ROUND_MAGIC_BITS);
        FloatVector r = n.fma(NEG_LN2_HI, clamped);
        r = n.fma(NEG_LN2_LO, r);
        FloatVector p = r.fma(1.9875691500E-4f, 1.3981999507E-3f)
                .fma(r, EXP_P2)
                .fma(r, EXP_P3)
                .fma(r, EXP_P4)
                .fma(r, EXP_P5);
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        // 2^k in two factors, because k reaches -150 and 128 where a single float exponent cannot hold it.
        // The factors are built here rather than by a helper: a helper of ours taking vectors may fail to be
        // inlined once C2's budget is spent, and would then box them (see ActivationLoops).
        IntVector kHalf = k.lanewise(VectorOperators.ASHR, 1);
        FloatVector scaleHalf = kHalf.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector scaleRest = k.sub(kHalf).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(scaleHalf).mul(scaleRest);
    }

    /**
     * log(1 + t) for t in [0, 1]: log(u) of u = 1 + t by Cephes' logf on the mantissa, plus the first-order
     * correction for the rounding of 1 + t, so that tiny t stays exact. One method without helpers (see exp).
     */
    static FloatVector log1pOfUnit(FloatVector t) {
        FloatVector u = t.add(1f);
        FloatVector lost = t.sub(u.sub(1f));
        IntVector bits = u.reinterpretAsInts();
        IntVector exponent = bits.lanewise(VectorOperators.LSHR, 23).sub(127);
        FloatVector mantissa = bits.and(0x007FFFFF).or(0x3F800000).reinterpretAsFloats();
        // Keep the mantissa in [sqrt(1/2), sqrt(2)) so that f = m - 1 is small and of either sign.
        VectorMask<Float> large = mantissa.compare(VectorOperators.GT, 1.41421356237f);
        mantissa = mantissa.blend(mantissa.mul(0.5f), large);
        exponent = exponent.blend(exponent.add(1), large.cast(exponent.species()));
        FloatVector f = mantissa.sub(1f);
        FloatVector e = (FloatVector) exponent.convert(VectorOperators.I2F, 0);
        FloatVector z = f.mul(f);
        FloatVector p = f.fma(7.0376836292E-2f, -1.1514610310E-1f)
                .fma(f, LOG_P2)
                .fma(f, LOG_P3)
                .fma(f, LOG_P4)
                .fma(f, LOG_P5)
                .fma(f, LOG_P6)
                .fma(f, LOG_P7)
                .fma(f, LOG_P8);
        FloatVector y = p.mul(f).mul(z);
        y = e.fma(LN2_LO_VECTOR, y);
        y = z.fma(MINUS_HALF, y);
        FloatVector logU = f.add(y).add(e.mul(LN2_HI));
        return logU.add(lost.div(u));
    }

    /** 1 / (1 + e^-x), evaluating exp only at -|x| so nothing overflows. */
    public static FloatVector sigmoid(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        FloatVector r = ONE.div(e.add(1f));
        return r.blend(e.mul(r), x.compare(VectorOperators.LT, 0f));
    }

    /** log(1 + e^x) = max(x, 0) + log1p(e^-|x|). */
    public static FloatVector softplus(FloatVector x) {
        return x.max(0f).add(log1pOfUnit(exp(x.abs().neg())));
    }

    /** tanh(x): Cephes' odd polynomial below |x| = 0.625, 1 - 2 / (e^(2|x|) + 1) above, sign restored. */
    public static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        // exp first: calls of ours must come before C2's inlining budget is spent (see ActivationLoops).
        FloatVector e = exp(ax.add(ax));
        FloatVector z = x.mul(x);
        FloatVector small = z.fma(-5.70498872745E-3f, 2.06390887954E-2f)
                .fma(z, TANH_P2)
                .fma(z, TANH_P3)
                .fma(z, TANH_P4)
                .mul(z)
                .fma(x, x);
        FloatVector large = ONE.sub(TWO.div(e.add(1f)));
        FloatVector signedLarge = large.reinterpretAsInts()
                .or(x.reinterpretAsInts().and(Integer.MIN_VALUE))
                .reinterpretAsFloats();
        return signedLarge.blend(small, ax.compare(VectorOperators.LT, 0.625f));
    }

    // ---- scalar twins ------------------------------------------------------------------------------------
    // The same float32 operations in the same order as the vector versions above (Math.fma is the vector fma's
    // exact scalar counterpart), so a tail element computed here has the bits it would have in a vector lane.
    // Loop tails use these instead of masked vector steps, which cost C2 so many parse nodes that the
    // polynomials stop being inlined (see ActivationLoops).

    public static float exp(float x) {
        float clamped = Math.min(Math.max(x, EXP_LOWEST), EXP_HIGHEST);
        float shifted = Math.fma(clamped, LOG2E, ROUND_MAGIC);
        float n = shifted - ROUND_MAGIC;
        int k = Float.floatToRawIntBits(shifted) - ROUND_MAGIC_BITS;
        float r = Math.fma(n, -LN2_HI, clamped);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(r, 1.9875691500E-4f, 1.3981999507E-3f);
        p = Math.fma(p, r, 8.3334519073E-3f);
        p = Math.fma(p, r, 4.1665795894E-2f);
        p = Math.fma(p, r, 1.6666665459E-1f);
        p = Math.fma(p, r, 5.0000001201E-1f);
        float y = Math.fma(p, r * r, r) + 1f;
        int kHalf = k >> 1;
        return y * powerOfTwo(kHalf) * powerOfTwo(k - kHalf);
    }

    private static float powerOfTwo(int k) {
        return Float.intBitsToFloat((k + 127) << 23);
    }

    static float logOfPositiveNormal(float x) {
        int bits = Float.floatToRawIntBits(x);
        int exponent = (bits >>> 23) - 127;
        float mantissa = Float.intBitsToFloat((bits & 0x007FFFFF) | 0x3F800000);
        if (mantissa > 1.41421356237f) {
            mantissa = mantissa * 0.5f;
            exponent = exponent + 1;
        }
        float f = mantissa - 1f;
        float e = (float) exponent;
        float z = f * f;
        float p = Math.fma(f, 7.0376836292E-2f, -1.1514610310E-1f);
        p = Math.fma(p, f, 1.1676998740E-1f);
        p = Math.fma(p, f, -1.2420140846E-1f);
        p = Math.fma(p, f, 1.4249322787E-1f);
        p = Math.fma(p, f, -1.6668057665E-1f);
        p = Math.fma(p, f, 2.0000714765E-1f);
        p = Math.fma(p, f, -2.4999993993E-1f);
        p = Math.fma(p, f, 3.3333331174E-1f);
        float y = p * f * z;
        y = Math.fma(e, LN2_LO, y);
        y = Math.fma(z, -0.5f, y);
        return f + y + e * LN2_HI;
    }

    static float log1pOfUnit(float t) {
        float u = t + 1f;
        float lost = t - (u - 1f);
        return logOfPositiveNormal(u) + lost / u;
    }

    public static float sigmoid(float x) {
        float e = exp(-Math.abs(x));
        float r = 1f / (e + 1f);
        return x < 0f ? e * r : r;
    }

    public static float softplus(float x) {
        return Math.max(x, 0f) + log1pOfUnit(exp(-Math.abs(x)));
    }

    public static float tanh(float x) {
        float ax = Math.abs(x);
        float z = x * x;
        float small = Math.fma(z, -5.70498872745E-3f, 2.06390887954E-2f);
        small = Math.fma(small, z, -5.37397155531E-2f);
        small = Math.fma(small, z, 1.33314422036E-1f);
        small = Math.fma(small, z, -3.33332819422E-1f);
        small = Math.fma(small * z, x, x);
        float e = exp(ax + ax);
        float large = 1f - 2f / (e + 1f);
        float signedLarge = Float.intBitsToFloat(Float.floatToRawIntBits(large)
                | (Float.floatToRawIntBits(x) & Integer.MIN_VALUE));
        return ax < 0.625f ? small : signedLarge;
    }
}
