package ae.autodiff;

import ae.tensor.Activation;
import ae.tensor.Tensor;

/**
 * Forward-mode propagation of tangents through one layer of an encoder, recorded on the tape so that the reverse pass
 * differentiates the Jacobian-vector product itself.
 *
 * <p>The tangent input stacks P probes for each of the n samples: row {@code p n + i} is probe p of sample i. For a
 * linear layer {@code h = act(x W_eff^T + b)} the tangent out is {@code t' = act'(a_i) * (t W_eff^T)}; for an
 * activation {@code y = act(x)} it is {@code act'(x_i) * t}. Backward, with {@code u = t W_eff^T}:
 * {@code dU = dT' * act'(a_i)} goes to t and W by GEMMs, and {@code act''(a_i) sum_p dT'_{p n+i} u_{p n+i}} to the
 * primal pre-activation (the layer's accumulator, or x's gradient for an activation).
 */
final class TangentOp extends Op {
    private final Node tangentIn;
    private final LinearOp layer;
    private final Node primalOutput;
    private final Node primalInput;
    private final Activation activation;
    private final Tensor linearTangent;
    private final Tensor upstream;
    private final Tensor curvatureTarget;
    /** Row buffers of the layer's width for the per-row loops, so that they allocate nothing. */
    private final double[] factor;
    private final double[] row;
    private final double[] sums;

    /** The tangent through a linear layer. */
    public TangentOp(Workspace ws, Node tangentIn, LinearOp layer, Node output) {
        super("tangent[" + layer.label() + "]", output, tangentIn, layer.output(), layer.weight());
        this.tangentIn = tangentIn;
        this.layer = layer;
        this.primalOutput = layer.output();
        this.primalInput = layer.x();
        this.activation = layer.activation();
        this.linearTangent = ws.allocate(output.rows(), output.cols());
        this.upstream = output.requiresGrad() ? ws.allocate(output.rows(), output.cols()) : null;
        this.curvatureTarget = output.requiresGrad() && !Curvature.isFlat(activation)
                ? layer.preactivationGradientStorage() : null;
        this.factor = new double[output.cols()];
        this.row = new double[output.cols()];
        this.sums = new double[output.cols()];
    }

    /** The tangent through an elementwise activation. */
    public TangentOp(Node tangentIn, ActivationOp op, Node output) {
        super("tangent[" + op.label() + "]", output, tangentIn, op.output(), op.x());
        this.tangentIn = tangentIn;
        this.layer = null;
        this.primalOutput = op.output();
        this.primalInput = op.x();
        this.activation = op.activation();
        this.linearTangent = null;
        this.upstream = null;
        this.curvatureTarget = Curvature.isFlat(activation) ? null : op.x().gradientStorage();
        this.factor = new double[output.cols()];
        this.row = new double[output.cols()];
        this.sums = new double[output.cols()];
    }

    @Override
    public void forward() {
        Tensor u = linearTangent != null ? linearTangent : tangentIn.value();
        if (layer != null) {
            layer.multiplyByWeightTranspose(tangentIn.value(), linearTangent);
        }
        scaleRowsBySlopes(u, output.value(), false);
    }

    /** {@code out[p n + i] (+)= act'(h_i) * in[p n + i]}. */
    private void scaleRowsBySlopes(Tensor in, Tensor out, boolean accumulate) {
        Tensor h = primalOutput.value();
        int n = h.rows();
        int probes = out.rows() / n;
        for (int i = 0; i < n; i++) {
            JacobianRows.slopes(activation, h, i, factor);
            for (int p = 0; p < probes; p++) {
                int stacked = p * n + i;
                JacobianRows.load(in, stacked, row);
                for (int j = 0; j < row.length; j++) {
                    row[j] = factor[j] * row[j];
                }
                JacobianRows.store(row, out, stacked, accumulate);
            }
        }
    }

    @Override
    public void backward() {
        Tensor dOut = output.resolvePendingGradient();
        if (layer == null) {
            if (tangentIn.resolvePendingGradient() != null) {
                scaleRowsBySlopes(dOut, tangentIn.resolvePendingGradient(), true);
            }
        } else {
            scaleRowsBySlopes(dOut, upstream, false);
            if (tangentIn.resolvePendingGradient() != null) {
                layer.accumulateInputGradient(upstream, tangentIn.resolvePendingGradient(), false);
            }
            layer.accumulateWeightGradient(upstream, tangentIn.value());
        }
        if (curvatureTarget != null) {
            if (layer == null) {
                // The target is x's gradient, kept as a tensor: clear it first if nothing has written it yet.
                primalInput.resolvePendingGradient();
            }
            accumulateCurvature(dOut, linearTangent != null ? linearTangent : tangentIn.value());
        }
    }

    /** {@code target_i += act''(h_i) * sum_p dOut[p n + i] * u[p n + i]}. */
    private void accumulateCurvature(Tensor dOut, Tensor u) {
        Tensor h = primalOutput.value();
        int n = h.rows();
        int probes = dOut.rows() / n;
        // The activation's target is x's gradient, shared with other consumers; a layer's is its own buffer.
        boolean add = layer == null || layer.claimPreactivationGradient().accumulate();
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(sums, 0);
            for (int p = 0; p < probes; p++) {
                JacobianRows.load(dOut, p * n + i, row);
                JacobianRows.load(u, p * n + i, factor);
                for (int j = 0; j < sums.length; j++) {
                    sums[j] += row[j] * factor[j];
                }
            }
            JacobianRows.curvatures(activation, h, i, row);
            for (int j = 0; j < sums.length; j++) {
                sums[j] = row[j] * sums[j];
            }
            JacobianRows.store(sums, curvatureTarget, i, add);
        }
    }

    Node primalInput() {
        return primalInput;
    }
}
