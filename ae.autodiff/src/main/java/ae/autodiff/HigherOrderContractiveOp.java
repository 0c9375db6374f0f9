package ae.autodiff;

import ae.tensor.Activation;
import ae.tensor.Tensor;
import ae.tensor.TensorOps;
import ae.tensor.VectorKernels;
import java.lang.foreign.MemorySegment;

/**
 * The higher-order penalty of CAE+H for a layer {@code h = act(x W_eff^T + b)}: {@code ||J(x) - J(x + eps)||_F^2}
 * averaged over the batch and over k corruptions {@code eps ~ N(0, sigma^2 I)} redrawn every fresh forward.
 *
 * <p>Since {@code J(x) = diag(act'(a)) W_eff}, the difference is {@code diag(act'(a) - act'(a~)) W_eff} and the
 * penalty is {@code (1/(n k)) sum_{c,i,j} (d_ij - d~_cij)^2 S_j} with {@code d = act'}, {@code S_j} the squared row
 * norms of W_eff. The k corrupted copies of the batch are stacked into one (k n) x in matrix, so the forward costs one
 * GEMM for their pre-activations and the backward two more (weights, and inputs if x needs a gradient). The gradient
 * reaching the clean pre-activation goes into the layer's own backward, as for {@link ContractivePenaltyOp}.
 */
final class HigherOrderContractiveOp extends Op {
    private final LinearOp layer;
    private final Activation activation;
    private final double sigma;
    private final int corruptions;
    private final NoiseSource source;
    private final TensorOps ops;
    private final VectorKernels kernels;
    private final Tensor[] noiseBlocks;
    private final Tensor[] corruptedInputBlocks;
    private final Tensor[] corruptedInputGradBlocks;
    private final Tensor noise;
    private final Tensor corruptedInputs;
    private final Tensor corruptedOutputs;
    private final Tensor corruptedPreactivationGrad;
    private final Tensor corruptedInputGrad;
    private final Tensor rowNorms;
    private final Tensor meanSquaredSlopeGaps;
    private final Tensor preactivationGrad;
    /** Row buffers of the layer's width for the per-row loops, so that they allocate nothing. */
    private final double[] cleanRow;
    private final double[] corruptedRow;
    private final double[] curvatureRow;
    private final double[] gapSums;
    private final double[] scaledNorms;

    public HigherOrderContractiveOp(Workspace ws, LinearOp layer, double sigma, int corruptions, long stream,
                                    Node output) {
        super("higherOrderContractivePenalty[sigma " + sigma + ", k " + corruptions + "]", output,
                layer.output(), layer.x(), layer.weight());
        if (corruptions < 1) {
            throw new IllegalArgumentException("the higher-order penalty needs at least one corruption, got "
                    + corruptions);
        }
        if (!(sigma >= 0)) {
            throw new IllegalArgumentException("corruption standard deviation must be >= 0, got " + sigma);
        }
        this.layer = layer;
        this.activation = layer.activation();
        this.sigma = sigma;
        this.corruptions = corruptions;
        this.source = new NoiseSource(stream);
        this.ops = ws.ops();
        this.kernels = ops.kernels();
        int stacked = corruptions * layer.x().rows();
        this.noise = ws.allocate(stacked, layer.inFeatures());
        this.corruptedInputs = ws.allocate(stacked, layer.inFeatures());
        this.corruptedOutputs = ws.allocate(stacked, layer.outFeatures());
        this.rowNorms = ws.allocateVector(layer.outFeatures());
        this.meanSquaredSlopeGaps = ws.allocateVector(layer.outFeatures());
        boolean curved = !Curvature.isFlat(activation) && output.requiresGrad();
        this.corruptedPreactivationGrad = curved ? ws.allocate(stacked, layer.outFeatures()) : null;
        this.corruptedInputGrad = curved && layer.x().requiresGrad() ? ws.allocate(stacked, layer.inFeatures()) : null;
        this.preactivationGrad = curved ? layer.preactivationGradientStorage() : null;
        int width = layer.outFeatures();
        this.cleanRow = new double[width];
        this.corruptedRow = new double[width];
        this.curvatureRow = new double[width];
        this.gapSums = new double[width];
        this.scaledNorms = new double[width];
        int n = layer.x().rows();
        this.noiseBlocks = new Tensor[corruptions];
        this.corruptedInputBlocks = new Tensor[corruptions];
        this.corruptedInputGradBlocks = corruptedInputGrad == null ? null : new Tensor[corruptions];
        for (int c = 0; c < corruptions; c++) {
            noiseBlocks[c] = noise.rows(c * n, (c + 1) * n);
            corruptedInputBlocks[c] = corruptedInputs.rows(c * n, (c + 1) * n);
            if (corruptedInputGrad != null) {
                corruptedInputGradBlocks[c] = corruptedInputGrad.rows(c * n, (c + 1) * n);
            }
        }
    }

    /** The k corrupted copies of the batch of the last forward, stacked: row {@code c n + i} is copy c of sample i. */
    public Tensor corruptedInputs() {
        return corruptedInputs;
    }

    @Override
    public boolean drawsNoise() {
        return true;
    }

    @Override
    public void drawNoise(long seed, long step) {
        source.at(seed, step).fillNormal(noise, 0, sigma);
    }

    @Override
    public void forward() {
        Tensor x = layer.x().value();
        int n = x.rows();
        boolean f32 = Elements.isF32(x);
        for (int c = 0; c < corruptions; c++) {
            ops.add(x, noiseBlocks[c], corruptedInputBlocks[c]);
        }
        layer.multiplyByWeightTranspose(corruptedInputs, corruptedOutputs);
        layer.addBiasAndActivate(corruptedOutputs);
        WeightRows.squaredNorms(kernels, layer, rowNorms);

        Tensor h = layer.output().value();
        MemorySegment gaps = meanSquaredSlopeGaps.segment();
        MemorySegment ns = rowNorms.segment();
        int out = layer.outFeatures();
        Elements.zero(meanSquaredSlopeGaps);
        for (int c = 0; c < corruptions; c++) {
            for (int i = 0; i < n; i++) {
                JacobianRows.slopes(activation, h, i, cleanRow);
                JacobianRows.slopes(activation, corruptedOutputs, c * n + i, corruptedRow);
                for (int j = 0; j < out; j++) {
                    double gap = cleanRow[j] - corruptedRow[j];
                    corruptedRow[j] = gap * gap;
                }
                JacobianRows.store(corruptedRow, meanSquaredSlopeGaps, 0, true);
            }
        }
        double penalty = 0;
        double average = 1.0 / ((double) n * corruptions);
        for (int j = 0; j < out; j++) {
            double m = Elements.get(gaps, f32, j) * average;
            Elements.set(gaps, f32, j, m);
            penalty += m * Elements.get(ns, f32, j);
        }
        Elements.setScalar(output.value(), penalty);
    }

    @Override
    public void backward() {
        double g = Elements.scalar(output.resolvePendingGradient());
        WeightRows.accumulateScaledWeights(kernels, layer, meanSquaredSlopeGaps, 2 * g);
        if (corruptedPreactivationGrad == null) {
            return;
        }
        Tensor h = layer.output().value();
        int n = h.rows();
        int out = layer.outFeatures();
        MemorySegment ns = rowNorms.segment();
        boolean f32 = Elements.isF32(h);
        double scale = 2 * g / ((double) n * corruptions);
        for (int j = 0; j < out; j++) {
            scaledNorms[j] = scale * Elements.get(ns, f32, j);
        }
        boolean add = layer.claimPreactivationGradient().accumulate();
        for (int i = 0; i < n; i++) {
            JacobianRows.slopes(activation, h, i, cleanRow);
            java.util.Arrays.fill(gapSums, 0);
            for (int c = 0; c < corruptions; c++) {
                int corrupted = c * n + i;
                JacobianRows.slopes(activation, corruptedOutputs, corrupted, corruptedRow);
                JacobianRows.curvatures(activation, corruptedOutputs, corrupted, curvatureRow);
                for (int j = 0; j < out; j++) {
                    double gap = cleanRow[j] - corruptedRow[j];
                    gapSums[j] += gap;
                    curvatureRow[j] = -scaledNorms[j] * gap * curvatureRow[j];
                }
                JacobianRows.store(curvatureRow, corruptedPreactivationGrad, corrupted, false);
            }
            JacobianRows.curvatures(activation, h, i, curvatureRow);
            for (int j = 0; j < out; j++) {
                curvatureRow[j] = scaledNorms[j] * gapSums[j] * curvatureRow[j];
            }
            JacobianRows.store(curvatureRow, preactivationGrad, i, add);
        }
        layer.accumulateWeightGradient(corruptedPreactivationGrad, corruptedInputs);
        Node bias = layer.bias();
        if (bias != null && bias.resolvePendingGradient() != null) {
            ops.columnSums(corruptedPreactivationGrad, bias.resolvePendingGradient(), true);
        }
        if (corruptedInputGrad != null) {
            Elements.zero(corruptedInputGrad);
            layer.accumulateInputGradient(corruptedPreactivationGrad, corruptedInputGrad, false);
            for (int c = 0; c < corruptions; c++) {
                ops.axpy(1, corruptedInputGradBlocks[c], layer.x().resolvePendingGradient());
            }
        }
    }
}
