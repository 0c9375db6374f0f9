package ae.autodiff;

import ae.tensor.Activation;
import ae.tensor.ComputePool;
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
final class ContractivePenaltyOp extends Op {
    /** Below this many elements of h, waking the pool's workers would cost more than the work. */
    private static final long PARALLEL_THRESHOLD = 1 << 14;

    private final VectorKernels kernels;
    private final LinearOp layer;
    private final Activation activation;
    private final Tensor rowNorms;
    private final Tensor meanSquaredSlopes;
    private final Tensor preactivationGrad;
    private final ComputePool pool;
    /** Chunks of h's rows and of W's stored rows; fixed by sizes and thread count, so the bits are too. */
    private final int rowChunks;
    private final int weightChunks;
    private final double[][] partialSlopeSums;
    private final double[][] rowBuffers;
    private final double[] norms;
    private final double[] scaledNorms;
    private final ComputePool.Task forwardTask = this::forwardChunk;
    private final ComputePool.Task backwardTask = this::backwardChunk;
    private double weightGradientScale;
    /** The weight's gradient for this backward pass, resolved on the calling thread; null if W takes none. */
    private Tensor weightGradient;
    private boolean addToPreactivationGradient;

    public ContractivePenaltyOp(Workspace ws, LinearOp layer, Node output) {
        super("contractivePenalty", output, layer.output(), layer.weight());
        this.kernels = ws.ops().kernels();
        this.layer = layer;
        this.activation = layer.activation();
        this.rowNorms = ws.allocateVector(layer.outFeatures());
        this.meanSquaredSlopes = ws.allocateVector(layer.outFeatures());
        this.preactivationGrad = Curvature.isFlat(activation) || !output.requiresGrad()
                ? null : layer.preactivationGradientStorage();
        int out = layer.outFeatures();
        this.pool = ws.pool();
        int rows = layer.output().rows();
        boolean parallel = pool.threads() > 1 && (long) rows * out >= PARALLEL_THRESHOLD;
        this.rowChunks = parallel ? Math.min(pool.threads(), rows) : 1;
        this.weightChunks = parallel && !layer.tied() ? Math.min(pool.threads(), out) : 1;
        this.partialSlopeSums = new double[rowChunks][out];
        this.rowBuffers = new double[rowChunks][out];
        this.norms = new double[out];
        this.scaledNorms = new double[out];
    }

    @Override
    public void forward() {
        pool.run(Math.max(rowChunks, weightChunks), forwardTask);
        Tensor h = layer.output().value();
        boolean f32 = Elements.isF32(h);
        int rows = h.rows();
        int cols = h.cols();
        MemorySegment cs = meanSquaredSlopes.segment();
        MemorySegment ns = rowNorms.segment();
        double penalty = 0;
        for (int j = 0; j < cols; j++) {
            double sum = 0;
            for (double[] partial : partialSlopeSums) {
                sum += partial[j];
            }
            double c = sum / rows;
            double norm = Elements.get(ns, f32, j);
            Elements.set(cs, f32, j, c);
            norms[j] = norm;
            penalty += c * norm;
        }
        Elements.setScalar(output.value(), penalty);
    }

    private void computeNorms(int chunk) {
        int storedRows = layer.weight().rows();
        WeightRows.squaredNorms(kernels, layer, rowNorms, ComputePool.chunkStart(storedRows, weightChunks, chunk, 1),
                ComputePool.chunkStart(storedRows, weightChunks, chunk + 1, 1));
    }

    /** Sums act'^2 over this chunk's rows of h into its own partial vector: the order of the sum is fixed. */
    private void sumSquaredSlopes(int chunk) {
        Tensor h = layer.output().value();
        double[] partial = partialSlopeSums[chunk];
        double[] slopes = rowBuffers[chunk];
        java.util.Arrays.fill(partial, 0);
        int to = ComputePool.chunkStart(h.rows(), rowChunks, chunk + 1, 1);
        for (int i = ComputePool.chunkStart(h.rows(), rowChunks, chunk, 1); i < to; i++) {
            JacobianRows.slopes(activation, h, i, slopes);
            for (int j = 0; j < slopes.length; j++) {
                partial[j] += slopes[j] * slopes[j];
            }
        }
    }

    @Override
    public void backward() {
        double g = Elements.scalar(output.resolvePendingGradient());
        weightGradientScale = 2 * g;
        // Here, not in the workers: resolving zeroes a pending gradient, and workers each doing it raced.
        weightGradient = layer.weight().resolvePendingGradient();
        if (preactivationGrad != null) {
            double scale = 2 * g / layer.output().rows();
            for (int j = 0; j < norms.length; j++) {
                scaledNorms[j] = scale * norms[j];
            }
            addToPreactivationGradient = layer.claimPreactivationGradient().accumulate();
        }
        pool.run(Math.max(rowChunks, weightChunks), backwardTask);
    }

    /** One pool task per pass, each chunk doing its share of W's rows and of h's rows: one synchronization. */
    private void forwardChunk(int chunk) {
        if (chunk < weightChunks) {
            computeNorms(chunk);
        }
        if (chunk < rowChunks) {
            sumSquaredSlopes(chunk);
        }
    }

    private void backwardChunk(int chunk) {
        if (chunk < weightChunks) {
            accumulateWeightGradient(chunk);
        }
        if (chunk < rowChunks && preactivationGrad != null) {
            writePreactivationGradient(chunk);
        }
    }

    private void accumulateWeightGradient(int chunk) {
        if (weightGradient == null) {
            return;
        }
        int storedRows = layer.weight().rows();
        WeightRows.accumulateScaledWeights(kernels, layer, weightGradient, meanSquaredSlopes, weightGradientScale,
                ComputePool.chunkStart(storedRows, weightChunks, chunk, 1),
                ComputePool.chunkStart(storedRows, weightChunks, chunk + 1, 1));
    }

    /** {@code dA_ij (+)= (2g/n) act'(a_ij) act''(a_ij) S_j} on this chunk's rows. */
    private void writePreactivationGradient(int chunk) {
        Tensor h = layer.output().value();
        double[] buffer = rowBuffers[chunk];
        int to = ComputePool.chunkStart(h.rows(), rowChunks, chunk + 1, 1);
        for (int i = ComputePool.chunkStart(h.rows(), rowChunks, chunk, 1); i < to; i++) {
            JacobianRows.slopeCurvatures(activation, h, i, buffer);
            for (int j = 0; j < buffer.length; j++) {
                buffer[j] *= scaledNorms[j];
            }
            JacobianRows.store(buffer, preactivationGrad, i, addToPreactivationGradient);
        }
    }
}
