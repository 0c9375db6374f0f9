package ae.tensor.internal.vector;

/**
 * The per-call float32 scalars of an Adam step, formed in float64 (as PyTorch forms them in Python floats) and
 * rounded once. Static methods rather than a record: a record escaped from the SIMD kernel's compiled code and
 * cost an allocation per parameter tensor per step.
 */
final class AdamConstants {
    private AdamConstants() {
    }

    static float negStepSize(float lr, double biasCorrection1) {
        return (float) (-(double) lr / biasCorrection1);
    }

    static float sqrtBiasCorrection2(double biasCorrection2) {
        return (float) Math.sqrt(biasCorrection2);
    }

    /** The weight of torch.lerp(m, g, 1 - beta1). */
    static float lerpWeight(float beta1) {
        return 1f - beta1;
    }

    /**
     * torch.lerp(start, end, w) = start + w * (end - start) when |w| &lt; 0.5, else end - (end - start) * (1 - w).
     */
    static boolean lerpLow(float beta1) {
        return Math.abs(lerpWeight(beta1)) < 0.5f;
    }

    static float oneMinusLerpWeight(float beta1) {
        return 1f - lerpWeight(beta1);
    }

    static float oneMinusBeta2(float beta2) {
        return 1f - beta2;
    }

    /** AdamW's factor on the parameter before the step; 1 for Adam. */
    static float decayFactor(float lr, float weightDecay, boolean decoupled) {
        return decoupled ? (float) (1.0 - (double) lr * weightDecay) : 1f;
    }
}
