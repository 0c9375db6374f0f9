package ae.tensor.internal.vector;

/**
 * The per-call float32 scalars of an Adam step, formed once in float64 (as PyTorch forms them in Python floats)
 * and rounded once. A record on the stack of one call; escape analysis removes it.
 */
record AdamConstants(float negStepSize, float sqrtBiasCorrection2, float lerpWeight, float oneMinusLerpWeight,
                     boolean lerpLow,
                     float oneMinusBeta2, float decayFactor) {
    static AdamConstants of(float lr, float beta1, float beta2, float weightDecay, boolean decoupled,
                            double biasCorrection1, double biasCorrection2) {
        float weight = 1f - beta1;
        return new AdamConstants(
                (float) (-(double) lr / biasCorrection1),
                (float) Math.sqrt(biasCorrection2),
                weight,
                1f - weight,
                // torch.lerp(start, end, w) = start + w * (end - start) when |w| < 0.5, else end - (end - start) * (1 - w).
                Math.abs(weight) < 0.5f,
                1f - beta2,
                decoupled ? (float) (1.0 - (double) lr * weightDecay) : 1f);
    }
}
