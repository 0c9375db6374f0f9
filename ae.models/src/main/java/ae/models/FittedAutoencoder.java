package ae.models;

import ae.autodiff.Parameter;
import ae.tensor.Activation;
import ae.data.Dataset;
import ae.data.NpzWriter;
import ae.tensor.ComputePool;
import ae.tensor.DType;
import ae.tensor.Tensor;
import ae.tensor.TensorOps;
import ae.tensor.TensorScope;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An autoencoder's learned state: its parameters (off-heap), where training stands, and the history of its epochs,
 * beside the immutable {@link ModelConfig} and {@link TrainingConfig} it was trained with. Made by
 * {@link Autoencoder#fit}, {@link Autoencoder#initialize} or {@link #load}.
 *
 * <p>Inputs are {@code n x d} contiguous float32 tensors (or datasets); outputs are allocated in a scope the caller
 * owns. Work runs on this model's own pool of {@link TrainingConfig#threads()} threads. Not thread-safe.
 */
public final class FittedAutoencoder implements AutoCloseable {
    /** Rows per replay of the evaluation graphs: large enough to keep GEMMs efficient, small enough to stay cached. */
    private static final int EVALUATION_ROWS = 256;
    /** Rows per replay of the Jacobian graph, whose forward-mode tangents grow as rows x input x width. */
    private static final int JACOBIAN_ROWS = 8;

    private final ModelConfig config;
    private TrainingConfig trainingConfig;
    final ModelParameters params;
    final ComputePool pool;
    final TensorOps ops;
    final TrainingState state = new TrainingState();
    private final Map<String, ModelGraph> graphs = new HashMap<>();
    TrainingHistory history = new TrainingHistory(List.of(), TrainingHistory.Outcome.COMPLETED, "not trained");
    private boolean closed;

    FittedAutoencoder(ModelConfig config, TrainingConfig trainingConfig) {
        this.config = config;
        this.trainingConfig = trainingConfig;
        this.params = new ModelParameters(config.name(), config.architecture());
        this.pool = ComputePool.create(trainingConfig.threads());
        this.ops = TensorOps.create(pool);
    }

    public ModelConfig config() {
        return config;
    }

    /** The training configuration of the last {@code fit} or resume (without its checkpoint path once loaded). */
    public TrainingConfig trainingConfig() {
        return trainingConfig;
    }

    public TrainingHistory history() {
        return history;
    }

    /** The learned tensors, named {@code encoder.<i>.weight} [out, in], {@code encoder.<i>.bias}, likewise decoder. */
    public List<Parameter> parameters() {
        checkOpen();
        return params.all();
    }

    /** Total number of learned scalars. */
    public long parameterCount() {
        return params.store.size();
    }

    // ---- inference

    /** The codes of the rows of {@code x}: {@code n x codeSize}, allocated in {@code into}. */
    public Tensor encode(Tensor x, TensorScope into) {
        requireInput("encode", x, config.architecture().inputDimension());
        Tensor codes = into.allocateFloat(x.rows(), config.architecture().codeSize());
        forEachChunk(x, EVALUATION_ROWS, "eval", (g, from, rows) -> codes.rows(from, from + rows).copyFrom(g.code.value()));
        return codes;
    }

    /** Reconstructions (probabilities with binary cross-entropy) of codes, {@code n x d}, allocated in {@code into}. */
    public Tensor decode(Tensor codes, TensorScope into) {
        requireInput("decode", codes, config.architecture().codeSize());
        Tensor out = into.allocateFloat(codes.rows(), config.architecture().inputDimension());
        forEachChunk(codes, EVALUATION_ROWS, "decode", (g, from, rows) -> writeReconstruction(g, out.rows(from, from + rows)));
        return out;
    }

    /** {@code decode(encode(x))} without corruption, {@code n x d}, allocated in {@code into}. */
    public Tensor reconstruct(Tensor x, TensorScope into) {
        requireInput("reconstruct", x, config.architecture().inputDimension());
        Tensor out = into.allocateFloat(x.rows(), config.architecture().inputDimension());
        forEachChunk(x, EVALUATION_ROWS, "eval", (g, from, rows) -> writeReconstruction(g, out.rows(from, from + rows)));
        return out;
    }

    /**
     * Each row's reconstruction error under the model's loss (binary cross-entropy or squared error, summed over
     * features), on clean input: an anomaly score, higher for inputs unlike the training data.
     */
    public double[] scoreSamples(Tensor x) {
        requireInput("scoreSamples", x, config.architecture().inputDimension());
        double[] scores = new double[x.rows()];
        try (TensorScope rowScope = TensorScope.open("row losses")) {
            Tensor rowLoss = rowScope.allocateFloat(Math.min(EVALUATION_ROWS, x.rows()));
            forEachChunk(x, EVALUATION_ROWS, "eval", (g, from, rows) -> {
                Tensor losses = rows == rowLoss.dim(0) ? rowLoss : rowScope.allocateFloat(rows);
                rowLosses(g, losses);
                for (int i = 0; i < rows; i++) {
                    scores[from + i] = losses.getFlat(i);
                }
            });
        }
        return scores;
    }

    public double[] scoreSamples(Dataset data) {
        return scoreSamples(data.features());
    }

    /** The mean over rows of the per-sample reconstruction loss: the test loss of ../shared/WORKLOADS.md. */
    public double meanReconstructionLoss(Dataset data) {
        return meanReconstructionLoss(data.features());
    }

    public double meanReconstructionLoss(Tensor x) {
        requireInput("meanReconstructionLoss", x, config.architecture().inputDimension());
        double[] total = new double[1];
        forEachChunk(x, EVALUATION_ROWS, "eval", (g, from, rows) -> total[0] += g.graph.scalar(g.loss) * rows);
        return total[0] / x.rows();
    }

    /**
     * The mean over rows of {@code ||dh/dx||_F^2} of the encoder at clean input, exact (the closed form for one
     * layer, forward-mode products for deeper encoders).
     */
    public double meanJacobianNormSquared(Tensor x) {
        requireInput("meanJacobianNormSquared", x, config.architecture().inputDimension());
        double[] total = new double[1];
        forEachChunk(x, JACOBIAN_ROWS, "jacobian", (g, from, rows) -> total[0] += g.graph.scalar(g.loss) * rows);
        return total[0] / x.rows();
    }

    // ---- training

    /**
     * Continues training from where it stands (after a checkpoint, or to more epochs) up to
     * {@code config.epochs()} end-to-end epochs. To continue bit for bit, {@code config} must equal the one this
     * model was trained with except for epochs, threads (which must then also be the same number as before for
     * equal bits) and the checkpoint path; anything else is rejected.
     */
    public TrainingHistory resume(Dataset train, Dataset validation, TrainingConfig config, TrainingListener listener) {
        checkOpen();
        requireResumable(config);
        this.trainingConfig = config;
        return Autoencoder.runTraining(this, train, validation, config, listener);
    }

    /** {@link #resume(Dataset, Dataset, TrainingConfig, TrainingListener)} with the validation split of the config. */
    public TrainingHistory resume(Dataset data, TrainingConfig config, TrainingListener listener) {
        checkOpen();
        requireResumable(config);
        this.trainingConfig = config;
        return Autoencoder.trainWithSplit(this, data, config, listener);
    }

    private void requireResumable(TrainingConfig next) {
        TrainingConfig before = trainingConfig;
        List<String> differences = new ArrayList<>();
        if (before.batchSize() != next.batchSize()) {
            differences.add("batchSize " + before.batchSize() + " -> " + next.batchSize());
        }
        if (before.seed() != next.seed()) {
            differences.add("seed " + before.seed() + " -> " + next.seed());
        }
        if (!before.optimizer().equals(next.optimizer())) {
            differences.add("optimizer " + before.optimizer() + " -> " + next.optimizer());
        }
        if (!before.schedule().equals(next.schedule())) {
            differences.add("schedule " + before.schedule() + " -> " + next.schedule());
        }
        if (before.validationFraction() != next.validationFraction()) {
            differences.add("validationFraction " + before.validationFraction() + " -> " + next.validationFraction());
        }
        if (before.earlyStoppingPatience() != next.earlyStoppingPatience()) {
            differences.add("earlyStoppingPatience " + before.earlyStoppingPatience() + " -> "
                    + next.earlyStoppingPatience());
        }
        if (before.dropLast() != next.dropLast()) {
            differences.add("dropLast " + before.dropLast() + " -> " + next.dropLast());
        }
        if (next.threads() != pool.threads()) {
            differences.add("threads " + pool.threads() + " -> " + next.threads()
                    + " (load the checkpoint with the new thread count instead)");
        }
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("cannot resume model '" + config.name() + "' with a different training"
                    + " configuration: " + String.join(", ", differences));
        }
    }

    // ---- files

    /** Writes a checkpoint (docs/checkpoint-format.md) atomically: the previous file stays intact until the rename. */
    public void save(Path file) throws IOException {
        checkOpen();
        Checkpoints.save(this, file);
    }

    /** Loads a checkpoint with the thread count it was saved with. */
    public static FittedAutoencoder load(Path file) throws IOException {
        return Checkpoints.load(file, 0);
    }

    /** Loads a checkpoint to run on {@code threads} threads. */
    public static FittedAutoencoder load(Path file, int threads) throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return Checkpoints.load(file, threads);
    }

    /**
     * Writes the parameters as an NPZ archive that {@code numpy.load} reads, one float32 array per parameter under its
     * name ({@code encoder.0.weight} of shape [out, in], ...); see docs/checkpoint-format.md for how they reproduce
     * {@link #encode}.
     */
    public void exportNpz(Path file) throws IOException {
        checkOpen();
        NpzWriter writer = new NpzWriter();
        for (Parameter p : params.all()) {
            writer.add(p.name(), p.value());
        }
        writer.write(file, false);
    }

    // ---- internals

    int phaseCount() {
        return config.procedure() instanceof TrainingProcedure.GreedyLayerWise ? config.architecture().encoder().size() + 1
                : 1;
    }

    /** What phase {@code phase} trains, in a fixed order (the optimizer state follows it). */
    List<Parameter> phaseParameters(int phase) {
        if (phase == phaseCount() - 1) {
            return params.all();
        }
        int mirror = config.architecture().encoder().size() - 1 - phase;
        List<Parameter> out = new ArrayList<>();
        out.add(params.encoderWeights[phase]);
        out.add(params.encoderBiases[phase]);
        if (params.decoderWeights[mirror] != null) {
            out.add(params.decoderWeights[mirror]);
        }
        out.add(params.decoderBiases[mirror]);
        return out;
    }

    Map<String, Tensor> parameterTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Parameter p : params.all()) {
            out.put(p.name(), p.value());
        }
        return out;
    }

    ModelGraph trainingGraph(int phase, int rows, long noiseSeed) {
        String key = "train:" + phase + ":" + rows + ":" + noiseSeed;
        ModelGraph g = graphs.get(key);
        if (g == null) {
            g = phase == phaseCount() - 1
                    ? ModelGraph.training(config, params, rows, noiseSeed, pool)
                    : ModelGraph.pretraining(config, (TrainingProcedure.GreedyLayerWise) config.procedure(), params,
                    phase, rows, noiseSeed, pool);
            graphs.put(key, g);
        }
        return g;
    }

    private ModelGraph graph(String kind, int rows) {
        String key = kind + ":" + rows;
        ModelGraph g = graphs.get(key);
        if (g == null) {
            g = switch (kind) {
                case "eval" -> ModelGraph.evaluation(config, params, rows, pool);
                case "decode" -> ModelGraph.decoding(config, params, rows, pool);
                case "jacobian" -> ModelGraph.jacobianNorm(config, params, rows, pool);
                default -> throw new IllegalStateException("no graph kind " + kind);
            };
            graphs.put(key, g);
        }
        return g;
    }

    @FunctionalInterface
    private interface ChunkConsumer {
        void accept(ModelGraph g, int from, int rows);
    }

    private void forEachChunk(Tensor x, int chunkRows, String kind, ChunkConsumer consumer) {
        int n = x.rows();
        int chunk = Math.min(chunkRows, n);
        for (int from = 0; from < n; from += chunk) {
            int rows = Math.min(chunk, n - from);
            ModelGraph g = graph(kind, rows);
            g.graph.bind(g.input, x.rows(from, from + rows));
            g.graph.forward();
            consumer.accept(g, from, rows);
        }
    }

    private void writeReconstruction(ModelGraph g, Tensor out) {
        if (config.loss() == ReconstructionLoss.BINARY_CROSS_ENTROPY) {
            ops.activation(Activation.SIGMOID, g.output.value(), out);
        } else {
            out.copyFrom(g.output.value());
        }
    }

    private void rowLosses(ModelGraph g, Tensor rowLoss) {
        switch (config.loss()) {
            case BINARY_CROSS_ENTROPY -> ops.bceWithLogits(g.output.value(), g.input.value(), 0, null, rowLoss);
            case SQUARED_ERROR -> ops.squaredError(g.output.value(), g.input.value(), 0, null, rowLoss);
        }
    }

    private void requireInput(String what, Tensor x, int columns) {
        checkOpen();
        Objects.requireNonNull(x, what + " input");
        if (x.rank() != 2 || x.dtype() != DType.F32 || !x.isContiguous() || x.cols() != columns) {
            throw new IllegalArgumentException(what + " of model '" + config.name() + "' needs a contiguous n x "
                    + columns + " float32 tensor, got " + x);
        }
    }

    void requireDataset(String what, Dataset data) {
        if (data.dimension() != config.architecture().inputDimension()) {
            throw new IllegalArgumentException(what + ": dataset '" + data.name() + "' has " + data.dimension()
                    + " features but model '" + config.name() + "' takes " + config.architecture().inputDimension());
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model '" + config.name() + "' is closed");
        }
    }

    /** Frees the parameters, graphs, optimizer state and threads. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ModelGraph g : graphs.values()) {
            g.close();
        }
        graphs.clear();
        state.close();
        params.close();
        pool.close();
    }

    @Override
    public String toString() {
        return "FittedAutoencoder[" + config.name() + ", " + parameterCount() + " parameters]";
    }
}
