package ae.autodiff.internal;

import ae.tensor.Activation;
import ae.autodiff.Node;
import ae.tensor.Tensor;
import ae.tensor.VectorKernels;
import java.lang.foreign.MemorySegment;

/**
 * The contractive penalty of a layer {@code h = act(x W_eff^T + b)}: the mean over the batch of
 * {@code ||dh/dx||_F^2 = sum_j act'(a_j)^2 S_j}, with {@code S_j = sum_k W_eff(j,k)^2}, in closed form.
 *
 * <p>With {@code c_j = mean_i act'(a_ij)^2} the penalty is {@code sum_j c_j S_j}, and its gradient is
 * {@code 2 c_j W_eff(j,k)} to the weights plus {@code (2/n) act'(a_ij) act''(a_ij) S_j} to the pre-activation, which
 * the layer's own backward carries on to W, b and x with the GEMMs it runs anyway. Everything here is
 * O(batch x out + out x in).
 */
public final class ContractivePenaltyOp extends Op {
    private final VectorKernels kernels;
    private final LinearOp layer;
    private final Activation activation;
    private final Tensor rowNorms;
    private final Tensor meanSquaredSlopes;
    private final Tensor preactivationGrad;
    private final double[] slopeSums;
    private final double[] norms;
    private final double[] scaledNorms;
    private final double[] rowBuffer;

    public ContractivePenaltyOp(Workspace ws, LinearOp layer, Node output) {
        super("contractivePenalty", output, layer.output(), layer.weight());
        this.kernels = ws.ops().kernels();
        this.layer = layer;
        this.activation = layer.activation();
        this.rowNorms = ws.allocateVector(layer.outFeatures());
        this.meanSquaredSlopes = ws.allocateVector(layer.outFeatures());
        this.preactivationGrad = Curvature.isFlat(activation) || !output.requiresGrad()
                ? null : layer.claimPreactivationGradient();
        int out = layer.outFeatures();
        this.slopeSums = new double[out];
        this.norms = new double[out];
        this.scaledNorms = new double[out];
        this.rowBuffer = new double[out];
    }

    @Override
    public void forward() {
        WeightRows.squaredNorms(kernels, layer, rowNorms);
        Tensor h = layer.output().value();
        MemorySegment hs = h.segment();
        boolean f32 = Elements.isF32(h);
        long ho = h.offset();
        int rows = h.rows();
        int cols = h.cols();
        java.util.Arrays.fill(slopeSums, 0);
        for (int i = 0; i < rows; i++) {
            Curvature.slopes(activation, hs, f32, ho + (long) i * cols, cols, rowBuffer);
            for (int j = 0; j < cols; j++) {
                slopeSums[j] += rowBuffer[j] * rowBuffer[j];
            }
        }
        MemorySegment cs = meanSquaredSlopes.segment();
        MemorySegment ns = rowNorms.segment();
        double penalty = 0;
        for (int j = 0; j < cols; j++) {
            double c = slopeSums[j] / rows;
            double norm = Elements.get(ns, f32, j);
            Elements.set(cs, f32, j, c);
            norms[j] = norm;
            penalty += c * norm;
        }
        Elements.setScalar(output.value(), penalty);
    }

    @Override
    public void backward() {
        double g = Elements.scalar(output.grad());
        WeightRows.accumulateScaledWeights(kernels, layer, meanSquaredSlopes, 2 * g);
        if (preactivationGrad == null) {
            return;
        }
        Tensor h = layer.output().value();
        MemorySegment hs = h.segment();
        MemorySegment ps = preactivationGrad.segment();
        boolean f32 = Elements.isF32(h);
        long ho = h.offset();
        long po = preactivationGrad.offset();
        int rows = h.rows();
        int cols = h.cols();
        double scale = 2 * g / rows;
        for (int j = 0; j < cols; j++) {
            scaledNorms[j] = scale * norms[j];
        }
        boolean add = layer.contributeToPreactivationGradient();
        for (int i = 0; i < rows; i++) {
            long row = (long) i * cols;
            Curvature.slopeCurvatures(activation, hs, f32, ho + row, cols, rowBuffer);
            for (int j = 0; j < cols; j++) {
                rowBuffer[j] *= scaledNorms[j];
            }
            Elements.store(rowBuffer, ps, f32, po + row, cols, add);
        }
    }
}
