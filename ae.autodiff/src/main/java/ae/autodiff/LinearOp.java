package ae.autodiff;

import ae.tensor.Activation;
import ae.tensor.Tensor;
import ae.tensor.TensorOps;

/**
 * {@code h = act(x W_eff^T + b)} with {@code W_eff = W} (W stored out x in) or, for a tied layer, {@code W_eff = W^T}
 * (W stored in x out, the transpose of another layer's weights). One GEMM, with the fused bias+activation kernel run
 * in place by each thread on its part of the product ({@link TensorOps#multiplyBiasActivation}); derivatives come
 * from h, except for softplus, whose pre-activation is kept because the backward kernel reads it.
 *
 * <p>Fused penalties on h (contractive, higher-order, Jacobian tangents) need gradient with respect to the
 * pre-activation {@code a}, which cannot be routed through h when act'(a) vanishes. They add it into
 * the pre-activation gradient ({@link #claimPreactivationGradient()}), which this layer's backward then folds into its
 * own, so the penalty costs no extra GEMM.
 */
final class LinearOp extends Op {
    private final Workspace workspace;
    private final TensorOps ops;
    private final Tensor preactivation;
    private final Node x;
    private final Node weight;
    private final Node bias;
    private final boolean tied;
    private final Activation activation;
    /** d(loss)/d(pre-activation), shared with the fused penalties on h; null if h has no gradient. */
    private final GradientBuffer preactivationGradient;

    public LinearOp(Workspace ws, Node x, Node weight, Node bias, boolean tied, Activation activation, Node output) {
        super((tied ? "tiedLinear[" : "linear[") + activation.name().toLowerCase(java.util.Locale.ROOT) + "]",
                output, bias == null ? new Node[] {x, weight} : new Node[] {x, weight, bias});
        this.workspace = ws;
        this.ops = ws.ops();
        this.preactivation = activation.backwardReadsPreActivation() ? ws.allocate(output.rows(), output.cols()) : null;
        this.x = x;
        this.weight = weight;
        this.bias = bias;
        this.tied = tied;
        this.activation = activation;
        this.preactivationGradient = output.requiresGrad()
                ? new GradientBuffer(ws.allocate(output.rows(), output.cols())) : null;
    }

    public Node x() {
        return x;
    }

    public Node weight() {
        return weight;
    }

    public Node bias() {
        return bias;
    }

    public boolean tied() {
        return tied;
    }

    public Activation activation() {
        return activation;
    }

    public int inFeatures() {
        return x.cols();
    }

    public int outFeatures() {
        return output.cols();
    }

    /** The tensor into which fused penalties put d(loss)/d(pre-activation), for wiring at build time. */
    Tensor preactivationGradientStorage() {
        if (preactivationGradient == null) {
            throw new IllegalStateException(label() + " has no gradient to accumulate into");
        }
        return preactivationGradient.storage();
    }

    /**
     * For a penalty about to contribute to the pre-activation gradient during a backward pass: overwrite for the
     * first contributor (sparing a clearing pass), add for later ones, and this layer's backward adds last.
     */
    GradientClaim claimPreactivationGradient() {
        return preactivationGradient.claim();
    }

    /** Index in W's storage of W_eff(j, k): row j of W_eff maps input k to output j. */
    public long weightIndex(int j, int k) {
        return tied ? (long) k * outFeatures() + j : (long) j * inFeatures() + k;
    }

    /** {@code a = input * W_eff^T} for an input of any row count (no bias, no activation). */
    public void multiplyByWeightTranspose(Tensor input, Tensor result) {
        int rows = input.rows();
        if (tied) {
            workspace.gemm(false, false, 1, input, weight.value(), 0, result);
        } else {
            workspace.gemm(false, true, 1, input, weight.value(), 0, result);
        }
    }

    /**
     * {@code weightGrad += upstream^T * input} in W's storage layout; upstream is rows x out, input rows x in. The
     * first contribution of a backward pass overwrites instead (see {@link Node#claimGradient()}).
     */
    public void accumulateWeightGradient(Tensor upstream, Tensor input) {
        GradientClaim claim = weight.claimGradient();
        if (claim == null) {
            return;
        }
        double beta = claim.overwrite() ? 0 : 1;
        Tensor dw = claim.tensor();
        if (tied) {
            workspace.gemm(true, false, 1, input, upstream, beta, dw);
        } else {
            workspace.gemm(true, false, 1, upstream, input, beta, dw);
        }
    }

    /** {@code inputGrad += upstream * W_eff}, or {@code =} when {@code overwrite}. */
    public void accumulateInputGradient(Tensor upstream, Tensor inputGrad, boolean overwrite) {
        double beta = overwrite ? 0 : 1;
        if (tied) {
            workspace.gemm(false, true, 1, upstream, weight.value(), beta, inputGrad);
        } else {
            workspace.gemm(false, false, 1, upstream, weight.value(), beta, inputGrad);
        }
    }

    /** {@code target = act(target + b)} row by row, in place. */
    public void addBiasAndActivate(Tensor target) {
        ops.biasActivation(activation, target, bias == null ? null : bias.value(), target);
    }

    @Override
    public void forward() {
        Tensor h = output.value();
        Tensor b = bias == null ? null : bias.value();
        if (preactivation == null) {
            workspace.gemmBiasActivation(x.value(), weight.value(), !tied, b, activation, h);
        } else {
            // The backward kernel reads a = x W^T + b itself, so the biased pre-activation is kept.
            workspace.gemmBiasActivation(x.value(), weight.value(), !tied, b, Activation.IDENTITY, preactivation);
            ops.activation(activation, preactivation, h);
        }
    }

    @Override
    public void zeroAccumulators() {
        if (preactivationGradient != null) {
            preactivationGradient.markPending();
        }
    }

    @Override
    public void backward() {
        Tensor dh = output.resolvePendingGradient();
        Tensor da;
        if (activation == Activation.IDENTITY && preactivationGradient.isPending()) {
            da = dh;
        } else {
            GradientClaim claim = preactivationGradient.claim();
            ops.activationBackward(activation, output.value(), preactivation, dh, claim.tensor(), claim.accumulate());
            da = claim.tensor();
        }
        GradientClaim biasClaim = bias == null ? null : bias.claimGradient();
        GradientClaim weightClaim = biasClaim == null ? null : weight.claimGradient();
        if (biasClaim == null) {
            accumulateWeightGradient(da, x.value());
        } else if (weightClaim == null) {
            ops.columnSums(da, biasClaim.tensor(), biasClaim.accumulate());
        } else {
            // The bias gradient, da's column sums, rides in the weight gradient's fork and join.
            double beta = weightClaim.overwrite() ? 0 : 1;
            if (tied) {
                ops.multiplyAndColumnSums(workspace.gemmKernels(), 1, x.value(), true, da, false, beta,
                        weightClaim.tensor(), da, biasClaim.tensor(), biasClaim.accumulate());
            } else {
                ops.multiplyAndColumnSums(workspace.gemmKernels(), 1, da, true, x.value(), false, beta,
                        weightClaim.tensor(), da, biasClaim.tensor(), biasClaim.accumulate());
            }
        }
        GradientClaim inputClaim = x.claimGradient();
        if (inputClaim != null) {
            accumulateInputGradient(da, inputClaim.tensor(), inputClaim.overwrite());
        }
    }
}
