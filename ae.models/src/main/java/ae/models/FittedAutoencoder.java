package ae.models;

import ae.autodiff.Parameter;
import ae.data.Dataset;
import ae.data.NpzWriter;
import ae.data.Seeds;
import ae.models.retrieval.BinaryCodes;
import ae.tensor.ComputePool;
import ae.tensor.DType;
import ae.tensor.Rng;
import ae.tensor.Activation;
import ae.tensor.SingularValueDecomposition;
import ae.tensor.Tensor;
import ae.tensor.TensorOps;
import ae.tensor.TensorScope;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 * owns. Work runs on this model's own pool of {@link TrainingConfig#threads()} threads.
 *
 * <p>Thread safety: a model may be shared by threads. Its graphs and buffers are reused by every call, so its calls
 * are serialized (each method holds the model's monitor while it runs): threads calling {@link #encode},
 * {@link #scoreSamples} or any other method at once each get what the call would give alone, one call after the
 * other. For throughput, give each thread its own model ({@link #load} the checkpoint once per thread); each call
 * already runs on the model's pool. The inputs a call reads must not change while it runs, and the
 * {@link #parameters()} it hands out are the live tensors, unguarded.
 *
 * <p>Stochastic models: {@link #encode} gives the mean of p(h|x) and {@link #reconstruct} decodes it; {@link #sampleCode}
 * draws from p(h|x). A model whose encoder has a prior (a variational autoencoder) also gives {@link #sample samples}
 * from the prior, the {@link #elbo evidence lower bound}, the importance-weighted {@link #logLikelihood} and
 * {@link #reconstructionLogProbability}. Every Monte Carlo estimate is a pure function of its seed.
 */
public final class FittedAutoencoder implements AutoCloseable {
    /** Rows per replay of the evaluation graphs: large enough to keep GEMMs efficient, small enough to stay cached. */
    private static final int EVALUATION_ROWS = 256;
    /** Rows per replay of the Jacobian graph, whose forward-mode tangents grow as rows x input x width. */
    private static final int JACOBIAN_ROWS = 8;
    /** Samples of p(h|x) per row behind {@link #scoreSamples} of a model with a prior. */
    public static final int SCORE_SAMPLES = 10;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final ModelConfig config;
    private TrainingConfig trainingConfig;
    final ModelParameters params;
    final ComputePool pool;
    final TensorOps ops;
    final TrainingState state = new TrainingState();
    private final Map<String, ModelGraph> graphs = new HashMap<>();
    private final Map<String, PhaseStep> steps = new HashMap<>();
    TrainingHistory history = new TrainingHistory(List.of(), TrainingHistory.Outcome.COMPLETED, "not trained");
    private boolean closed;

    FittedAutoencoder(ModelConfig config, TrainingConfig trainingConfig) {
        this.config = config;
        this.trainingConfig = trainingConfig;
        this.params = new ModelParameters(config, DType.F32);
        this.pool = ComputePool.create(trainingConfig.threads());
        this.ops = TensorOps.create(pool);
    }

    /** The configuration the model was built from. */
    public ModelConfig config() {
        return config;
    }

    /** The training configuration of the last {@code fit} or resume (without its checkpoint path once loaded). */
    public synchronized TrainingConfig trainingConfig() {
        return trainingConfig;
    }

    /** Every epoch's losses, of every phase, since the model was first fitted. */
    public synchronized TrainingHistory history() {
        return history;
    }

    /**
     * The learned tensors in declaration order: {@code encoder.<i>.weight} [out, in], {@code encoder.<i>.bias},
     * likewise {@code decoder.*}, and the parts' own (docs/checkpoint-format.md lists every name).
     */
    public synchronized List<Parameter> parameters() {
        checkOpen();
        return params.all();
    }

    /** The learned tensor called {@code name}. */
    public synchronized Parameter parameter(String name) {
        checkOpen();
        return params.get(name);
    }

    /** Total number of learned scalars. */
    public long parameterCount() {
        return params.store.size();
    }

    // ---- inference

    /** The codes (means of p(h|x)) of the rows of {@code x}: {@code n x codeSize}, allocated in {@code into}. */
    public synchronized Tensor encode(Tensor x, TensorScope into) {
        requireInput("encode", x, config.inputDimension());
        Tensor codes = into.allocateFloat(x.rows(), config.codeSize());
        forEachChunk(x, EVALUATION_ROWS, "eval", (g, from, rows) ->
                codes.rows(from, from + rows).copyFrom(g.code.mean().value()));
        return codes;
    }

    /**
     * The binary codes of the rows of {@code x}: the code (without noise) thresholded at 0.5, packed into 64-bit
     * words (see {@link BinaryCodes}). Only a model whose code is a sigmoid (semantic hashing's
     * {@link BinaryCodeEncoder}, or any sigmoid code) has binary codes; others are refused.
     */
    public synchronized BinaryCodes hash(Tensor x) {
        requireBinaryCode();
        try (TensorScope scope = TensorScope.open("hash")) {
            return BinaryCodes.threshold(encode(x, scope), 0.5);
        }
    }

    /** Throws, naming the model, unless its code is a sigmoid that {@link #hash} can threshold. */
    public void requireBinaryCode() {
        if (config.encoder().codeActivation() != Activation.SIGMOID) {
            throw new IllegalArgumentException("model '" + config.name() + "' has no binary code: its code is "
                    + ActivationNames.name(config.encoder().codeActivation()) + ", hashing needs a sigmoid code"
                    + " (--model semantic-hashing)");
        }
    }

    /**
     * One draw of p(h|x) for each row of {@code x}, a pure function of {@code seed}; a deterministic encoder's code
     * is its only value.
     */
    public synchronized Tensor sampleCode(Tensor x, long seed, TensorScope into) {
        requireInput("sampleCode", x, config.inputDimension());
        if (!config.encoder().stochastic()) {
            return encode(x, into);
        }
        Tensor codes = into.allocateFloat(x.rows(), config.codeSize());
        forEachSampledChunk(x, 1, seed, (g, from, rows, sample) ->
                codes.rows(from, from + rows).copyFrom(g.code.sample().value()));
        return codes;
    }

    /** Reconstructions (the means of p(x|h)) of codes, {@code n x d}, allocated in {@code into}. */
    public synchronized Tensor decode(Tensor codes, TensorScope into) {
        requireInput("decode", codes, config.codeSize());
        return outputMeans(codes, "decode", into);
    }

    /** {@code decode(encode(x))} without corruption, {@code n x d}, allocated in {@code into}. */
    public synchronized Tensor reconstruct(Tensor x, TensorScope into) {
        requireInput("reconstruct", x, config.inputDimension());
        return outputMeans(x, "eval", into);
    }

    /** The means of p(x|h) at the output of graph {@code kind} for the rows of {@code input}, {@code n x d}. */
    private Tensor outputMeans(Tensor input, String kind, TensorScope into) {
        Tensor out = into.allocateFloat(input.rows(), config.inputDimension());
        forEachChunk(input, EVALUATION_ROWS, kind, (g, from, rows) ->
                config.likelihood().mean(ops, g.output.value(), out.rows(from, from + rows)));
        return out;
    }

    /**
     * The vector field {@code r(x) - x} of every row of {@code x}, {@code n x d}, allocated in {@code into}: for a
     * denoising autoencoder, a step towards the data (seed 14.5.1).
     */
    public synchronized Tensor vectorField(Tensor x, TensorScope into) {
        Tensor field = reconstruct(x, into);
        for (int i = 0; i < field.rows(); i++) {
            for (int j = 0; j < field.cols(); j++) {
                field.set(i, j, field.get(i, j) - x.get(i, j));
            }
        }
        return field;
    }

    /**
     * {@code (r(x) - x) / sigma^2}: for a denoising autoencoder trained with Gaussian corruption of standard deviation
     * {@code sigma} and squared error, an estimate of the score {@code grad log p_sigma(x)} of the data's density
     * smoothed by {@code N(0, sigma^2 I)} (the optimal r is {@code E[x | x + sigma eps]}; Tweedie's formula).
     */
    public Tensor scoreEstimate(Tensor x, double sigma, TensorScope into) {
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("scoreEstimate needs a finite sigma > 0, got " + sigma);
        }
        Tensor field = vectorField(x, into);
        double scale = 1 / (sigma * sigma);
        for (long i = 0; i < field.size(); i++) {
            field.setFlat(i, field.getFlat(i) * scale);
        }
        return field;
    }

    /**
     * {@code n} draws from the model: codes from the prior p(h) = N(0, I), decoded to the means of p(x|h) (what
     * pictures of samples show). Needs an encoder with a prior (a variational autoencoder).
     */
    public synchronized Tensor sample(int n, long seed, TensorScope into) {
        try (TensorScope codeScope = TensorScope.open("prior draws")) {
            return decode(samplePrior(n, seed, codeScope), into);
        }
    }

    /** {@code n} codes drawn from the prior p(h) = N(0, I): what {@link #sample} decodes for the same seed. */
    public synchronized Tensor samplePrior(int n, long seed, TensorScope into) {
        checkOpen();
        requirePrior("samplePrior");
        if (n < 1) {
            throw new IllegalArgumentException("samplePrior needs n >= 1, got " + n);
        }
        Tensor codes = into.allocateFloat(n, config.codeSize());
        Rng.seeded(seed).fillNormal(codes, 0, 1);
        return codes;
    }

    /**
     * Draws x ~ p(x|h) for each row of {@code codes} (Bernoulli pixels are 0 or 1), a pure function of {@code seed}.
     */
    public synchronized Tensor sampleObservations(Tensor codes, long seed, TensorScope into) {
        requireInput("sampleObservations", codes, config.codeSize());
        Tensor out = into.allocateFloat(codes.rows(), config.inputDimension());
        Rng rng = Rng.seeded(seed);
        forEachChunk(codes, EVALUATION_ROWS, "decode", (g, from, rows) ->
                config.likelihood().sample(this, ops, g.output.value(), rng, out.rows(from, from + rows)));
        return out;
    }

    /**
     * Each row's anomaly score, higher for inputs unlike the training data: for a model with a prior, the negative
     * reconstruction log-probability over {@link #SCORE_SAMPLES} draws of p(h|x) (seed 0); for the others, the
     * reconstruction loss (summed over features) of the mean code, on clean input.
     */
    public synchronized double[] scoreSamples(Tensor x) {
        requireInput("scoreSamples", x, config.inputDimension());
        if (config.encoder().hasPrior()) {
            double[] logProbability = reconstructionLogProbability(x, SCORE_SAMPLES, 0);
            for (int i = 0; i < logProbability.length; i++) {
                logProbability[i] = -logProbability[i];
            }
            return logProbability;
        }
        double[] scores = new double[x.rows()];
        try (TensorScope rowScope = TensorScope.open("row losses")) {
            Tensor rowLoss = rowScope.allocateFloat(Math.min(EVALUATION_ROWS, x.rows()));
            forEachChunk(x, EVALUATION_ROWS, "eval", (g, from, rows) -> {
                Tensor losses = rows == rowLoss.dim(0) ? rowLoss : rowScope.allocateFloat(rows);
                config.likelihood().rowLosses(this, ops, g.output.value(), g.input.value(), losses);
                for (int i = 0; i < rows; i++) {
                    scores[from + i] = losses.getFlat(i);
                }
            });
        }
        return scores;
    }

    /**
     * {@link #scoreSamples(Tensor)} of the features of {@code data}: one anomaly score per row, higher is more
     * anomalous.
     */
    public double[] scoreSamples(Dataset data) {
        return scoreSamples(data.features());
    }

    /**
     * The evaluation loss per example, averaged over the rows: the reconstruction loss of the mean code on clean
     * input, and for a model with a prior the negative evidence lower bound (one draw of p(h|x) per row, seed 0;
     * the KL included): the test loss of the reference workloads.
     */
    public double meanLoss(Dataset data) {
        if (!data.isStoredAsBytes() || config.encoder().hasPrior()) {
            return meanLoss(data.features());
        }
        // Bytes are converted a chunk at a time, so that evaluation does not hold the data a second time as floats;
        // the chunks and the order of the sum are those of meanLoss(Tensor), so the result is the same.
        checkOpen();
        requireDataset("meanLoss", data);
        int n = data.size();
        double total = 0;
        try (TensorScope scope = TensorScope.open("evaluation rows of " + data.name())) {
            Tensor block = scope.allocateFloat(Math.min(EVALUATION_ROWS, n), data.dimension());
            for (int from = 0; from < n; from += block.rows()) {
                int rows = Math.min(block.rows(), n - from);
                Tensor x = rows == block.rows() ? block : block.rows(0, rows);
                data.copyRows(from, from + rows, x);
                ModelGraph g = graph("eval", rows);
                g.graph.bind(g.input, x);
                g.graph.forward();
                total += g.graph.scalar(g.loss) * rows;
            }
        }
        return total / n;
    }

    /**
     * The mean loss per example of the rows of {@code x} ({@code n x inputDimension}): the reconstruction loss on
     * clean input, or for a model with a prior the negative ELBO (one draw of the code). Throws
     * {@link IllegalArgumentException} if {@code x} has another width.
     */
    public synchronized double meanLoss(Tensor x) {
        requireInput("meanLoss", x, config.inputDimension());
        if (config.encoder().hasPrior()) {
            double total = 0;
            for (double e : elbo(x, 0)) {
                total -= e;
            }
            return total / x.rows();
        }
        double[] total = new double[1];
        forEachChunk(x, EVALUATION_ROWS, "eval", (g, from, rows) -> total[0] += g.graph.scalar(g.loss) * rows);
        return total[0] / x.rows();
    }

    /**
     * Each row's evidence lower bound {@code E_q[log p(x|h)] - KL(q(h|x) || p(h))}, with one draw of q per row (a
     * pure function of {@code seed}) and the KL in closed form: an unbiased estimate, the test loss of the VAE
     * workload. Needs an encoder with a prior.
     */
    public double[] elbo(Tensor x, long seed) {
        return elbo(x, 1, seed);
    }

    /** {@link #elbo(Tensor, long)} with the reconstruction term averaged over {@code samples} draws of q per row. */
    public synchronized double[] elbo(Tensor x, int samples, long seed) {
        double[] out = new double[x.rows()];
        forEachSampledRow("elbo", x, samples, seed, (code, row, at, sample, logLikelihood) ->
                out[at] += logLikelihood / samples - (sample == 0 ? gaussianKl(code, row) : 0));
        return out;
    }

    /**
     * Each row's importance-weighted estimate of {@code log p(x)} with {@code samples} draws of q(h|x) (Burda et al.):
     * {@code log (1/k) sum_i p(x, h_i) / q(h_i|x)}, by log-sum-exp. One sample gives the ELBO; the bound tightens as
     * the samples grow. A pure function of {@code seed}; needs an encoder with a prior.
     */
    public synchronized double[] logLikelihood(Tensor x, int samples, long seed) {
        requireInput("logLikelihood", x, config.inputDimension());
        requireSamples(samples);
        double[][] logWeights = new double[x.rows()][samples];
        forEachSampledRow("logLikelihood", x, samples, seed, (code, row, at, sample, logLikelihood) ->
                logWeights[at][sample] = logLikelihood + logPrior(code, row) - logPosterior(code, row));
        double[] out = new double[x.rows()];
        for (int i = 0; i < out.length; i++) {
            out[i] = logMeanExp(logWeights[i]);
        }
        return out;
    }

    /**
     * Each row's reconstruction log-probability (An and Cho): the mean over {@code samples} draws h ~ q(h|x) of
     * {@code log p(x|h)}. A pure function of {@code seed}; needs an encoder with a prior.
     */
    public synchronized double[] reconstructionLogProbability(Tensor x, int samples, long seed) {
        double[] out = new double[x.rows()];
        forEachSampledRow("reconstructionLogProbability", x, samples, seed, (code, row, at, sample, logLikelihood) ->
                out[at] += logLikelihood / samples);
        return out;
    }

    @FunctionalInterface
    private interface SampledRow {
        /** Row {@code row} of the chunk, row {@code at} of the input, with its {@code log p(x|h)} under draw {@code sample}. */
        void accept(Code code, int row, int at, int sample, double logLikelihood);
    }

    /** Draws h ~ q(h|x) {@code samples} times per row and hands each row's {@code log p(x|h)} to {@code consumer}. */
    private void forEachSampledRow(String what, Tensor x, int samples, long seed, SampledRow consumer) {
        requireInput(what, x, config.inputDimension());
        requirePrior(what);
        requireSamples(samples);
        double normalizer = config.likelihood().logNormalizer(config.inputDimension());
        try (TensorScope scope = TensorScope.open(what + " rows")) {
            Tensor rowLoss = scope.allocateFloat(Math.min(EVALUATION_ROWS, x.rows()));
            forEachSampledChunk(x, samples, seed, (g, from, rows, sample) -> {
                Tensor losses = rows == rowLoss.dim(0) ? rowLoss : scope.allocateFloat(rows);
                config.likelihood().rowLosses(this, ops, g.output.value(), g.input.value(), losses);
                for (int i = 0; i < rows; i++) {
                    consumer.accept(g.code, i, from + i, sample, -losses.getFlat(i) + normalizer);
                }
            });
        }
    }

    /**
     * The mean over rows of {@code ||dh/dx||_F^2} of the encoder (its mean) at clean input, exact (the closed form
     * for one layer, forward-mode products for deeper encoders).
     */
    public synchronized double meanJacobianNormSquared(Tensor x) {
        requireInput("meanJacobianNormSquared", x, config.inputDimension());
        double[] total = new double[1];
        forEachChunk(x, JACOBIAN_ROWS, "jacobian", (g, from, rows) -> total[0] += g.graph.scalar(g.loss) * rows);
        return total[0] / x.rows();
    }

    /**
     * The encoder's Jacobian {@code J(x) = dh/dx} at every row of {@code x} (of the code's mean for a stochastic
     * encoder), exactly, by the engine's forward-mode products: {@code n x k x d} (k the code size), allocated in
     * {@code into}. UnsupportedOperationException, naming the model, for an encoder that is not a differentiable
     * stack of dense layers.
     */
    public synchronized Tensor encoderJacobian(Tensor x, TensorScope into) {
        requireInput("encoderJacobian", x, config.inputDimension());
        try {
            graph("encoder-jacobian", Math.min(JACOBIAN_ROWS, x.rows()));
        } catch (IllegalArgumentException e) {
            throw new UnsupportedOperationException("model '" + config.name() + "' has no encoder Jacobian to give: "
                    + e.getMessage(), e);
        }
        int d = config.inputDimension();
        int k = config.codeSize();
        Tensor out = into.allocateFloat(x.rows(), k, d);
        forEachChunk(x, JACOBIAN_ROWS, "encoder-jacobian", (g, from, rows) -> {
            Tensor stacked = g.output.value();
            for (int p = 0; p < d; p++) {
                for (int i = 0; i < rows; i++) {
                    for (int c = 0; c < k; c++) {
                        out.setFlat(((long) (from + i) * k + c) * d + p, stacked.get(p * rows + i, c));
                    }
                }
            }
        });
        return out;
    }

    /**
     * The encoder's local directions of change at every row of {@code x}: the singular values of {@code J(x)}
     * (largest first, {@code min(k, d)} of them) and its top {@code count} right singular vectors, the input
     * directions the code is most sensitive to: for a contractive model, the tangent plane of the data manifold
     * (seed 14.6, 14.7). Computed in float64 from {@link #encoderJacobian}.
     */
    public synchronized Tangents tangents(Tensor x, int count) {
        int d = config.inputDimension();
        int k = config.codeSize();
        if (count < 1 || count > Math.min(k, d)) {
            throw new IllegalArgumentException("tangents: k must be in [1, " + Math.min(k, d) + "] (the code has " + k
                    + " units, the input " + d + " features), got " + count);
        }
        double[][] singularValues = new double[x.rows()][];
        double[][][] directions = new double[x.rows()][count][];
        try (TensorScope scope = TensorScope.open("jacobians")) {
            Tensor jacobians = encoderJacobian(x, scope);
            double[][] j = new double[k][d];
            for (int i = 0; i < x.rows(); i++) {
                for (int c = 0; c < k; c++) {
                    for (int p = 0; p < d; p++) {
                        j[c][p] = jacobians.getFlat(((long) i * k + c) * d + p);
                    }
                }
                // Jacobi rotates pairs of columns: decompose whichever of J and J^T has fewer of them.
                if (d > k) {
                    SingularValueDecomposition svd = SingularValueDecomposition.of(transpose(j));
                    singularValues[i] = svd.singularValues();
                    for (int t = 0; t < count; t++) {
                        directions[i][t] = svd.leftSingularVector(t);
                    }
                } else {
                    SingularValueDecomposition svd = SingularValueDecomposition.of(j);
                    singularValues[i] = svd.singularValues();
                    for (int t = 0; t < count; t++) {
                        directions[i][t] = svd.rightSingularVector(t);
                    }
                }
            }
        }
        return new Tangents(singularValues, directions);
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int r = 0; r < a.length; r++) {
            for (int c = 0; c < a[0].length; c++) {
                t[c][r] = a[r][c];
            }
        }
        return t;
    }

    /**
     * What {@link #tangents} gives: per example, the singular values of the encoder's Jacobian (largest first) and
     * the top right singular vectors (unit, in input space).
     */
    public record Tangents(double[][] singularValues, double[][][] directions) {
    }

    // ---- training

    /**
     * Continues training from where it stands (after a checkpoint, or to more epochs) up to
     * {@code config.epochs()} end-to-end epochs. To continue bit for bit, {@code config} must equal the one this
     * model was trained with except for epochs, threads (which must then also be the same number as before for
     * equal bits) and the checkpoint path; anything else is rejected.
     */
    public synchronized TrainingHistory resume(Dataset train, Dataset validation, TrainingConfig config, TrainingListener listener) {
        checkOpen();
        requireResumable(config);
        this.trainingConfig = config;
        return Autoencoder.runTraining(this, train, validation, config, listener);
    }

    /** {@link #resume(Dataset, Dataset, TrainingConfig, TrainingListener)} with the validation split of the config. */
    public synchronized TrainingHistory resume(Dataset data, TrainingConfig config, TrainingListener listener) {
        checkOpen();
        requireResumable(config);
        this.trainingConfig = config;
        return Autoencoder.trainWithSplit(this, data, config, listener);
    }

    /**
     * Training by hand, one batch at a time, from where training stands: for benchmarks and custom loops. Each
     * {@link TrainingStepper#step()} trains on the next batch of {@code train} (shuffled as {@code fit} shuffles),
     * starting a new epoch when one ends; nothing is validated, recorded or saved.
     */
    public synchronized TrainingStepper stepper(Dataset train) {
        checkOpen();
        requireDataset("training data", train);
        return new TrainingStepper(this, train);
    }

    /**
     * Gradients and optimizer updates as separate calls, for training whose batches are split across processes
     * (see {@link GradientSteps}); the model's training configuration fixes the optimizer, schedule and seeds.
     */
    public synchronized GradientSteps gradientSteps() {
        checkOpen();
        return new GradientSteps(this);
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

    /**
     * Writes a checkpoint (docs/checkpoint-format.md) atomically: the previous file stays intact until the rename.
     *
     * @throws IOException if the file cannot be written; a previous checkpoint is then left as it was
     */
    public synchronized void save(Path file) throws IOException {
        checkOpen();
        Checkpoints.save(this, file);
    }

    /**
     * Loads a checkpoint with the thread count it was saved with; its parts must be built in.
     *
     * @throws IOException if the file cannot be read, or {@link CheckpointFormatException} naming the offset and
     *         field at fault
     */
    public static FittedAutoencoder load(Path file) throws IOException {
        return Checkpoints.load(file, 0, Catalog.builtIn());
    }

    /**
     * Loads a checkpoint to run on {@code threads} threads.
     *
     * @throws IOException if the file cannot be read, or {@link CheckpointFormatException} naming the offset and
     *         field at fault
     */
    public static FittedAutoencoder load(Path file, int threads) throws IOException {
        requireThreads(threads);
        return Checkpoints.load(file, threads, Catalog.builtIn());
    }

    /**
     * Loads a checkpoint whose parts {@code catalog} knows (built-in parts and your own).
     *
     * @throws IOException if the file cannot be read, or {@link CheckpointFormatException} naming the offset and
     *         field at fault (a part kind {@code catalog} does not know included)
     */
    public static FittedAutoencoder load(Path file, int threads, Catalog catalog) throws IOException {
        requireThreads(threads);
        return Checkpoints.load(file, threads, Objects.requireNonNull(catalog, "catalog"));
    }

    private static void requireThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    /**
     * Writes the parameters as an NPZ archive that {@code numpy.load} reads, one float32 array per parameter under its
     * name ({@code encoder.0.weight} of shape [out, in], ...); see docs/checkpoint-format.md for how they reproduce
     * {@link #encode}.
     *
     * @throws IOException if the file cannot be written; a previous file is then left as it was
     */
    public synchronized void exportNpz(Path file) throws IOException {
        checkOpen();
        NpzWriter writer = new NpzWriter();
        for (Parameter p : params.all()) {
            writer.add(p.name(), p.value());
        }
        writer.write(file, false);
    }

    // ---- internals

    List<TrainingProcedure.PhasePlan> phases(int endToEndEpochs) {
        return config.procedure().plan(config, endToEndEpochs);
    }

    int phaseCount() {
        return phases(0).size();
    }

    /** What phase {@code phase} trains, in a fixed order (the optimizer state follows it). */
    List<Parameter> phaseParameters(int phase) {
        return config.procedure().parameters(phase, this);
    }

    /** The optimizer of phase {@code phase} when training asks for {@code training}: the procedure decides. */
    OptimizerConfig phaseOptimizer(int phase, OptimizerConfig training) {
        return config.procedure().optimizer(phase, config, training);
    }

    Map<String, Tensor> parameterTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Parameter p : params.all()) {
            out.put(p.name(), p.value());
        }
        return out;
    }

    /** The step of {@code phase} for batches of {@code rows}, built on first use and kept. */
    PhaseStep trainingStep(int phase, int rows, long noiseSeed) {
        String key = phase + ":" + rows + ":" + noiseSeed;
        PhaseStep step = steps.get(key);
        if (step == null) {
            step = config.procedure().openStep(phase, this, rows, noiseSeed);
            steps.put(key, step);
        }
        return step;
    }

    private ModelGraph graph(String kind, int rows) {
        String key = kind + ":" + rows;
        ModelGraph g = graphs.get(key);
        if (g == null) {
            g = switch (kind) {
                case "eval" -> ModelGraph.evaluation(params, rows, false, pool);
                case "sampled" -> ModelGraph.evaluation(params, rows, true, pool);
                case "decode" -> ModelGraph.decoding(params, rows, pool);
                case "jacobian" -> ModelGraph.jacobianNorm(params, rows, pool);
                case "encoder-jacobian" -> ModelGraph.encoderJacobian(params, rows, pool);
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

    @FunctionalInterface
    private interface SampleConsumer {
        void accept(ModelGraph g, int from, int rows, int sample);
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

    /**
     * Replays the sampling evaluation graph {@code samples} times per chunk; the noise of (chunk, sample) is a pure
     * function of the seed, the chunk's first row and the sample number.
     */
    private void forEachSampledChunk(Tensor x, int samples, long seed, SampleConsumer consumer) {
        int n = x.rows();
        int chunk = Math.min(EVALUATION_ROWS, n);
        for (int from = 0; from < n; from += chunk) {
            int rows = Math.min(chunk, n - from);
            ModelGraph g = graph("sampled", rows);
            g.graph.bind(g.input, x.rows(from, from + rows));
            for (int s = 0; s < samples; s++) {
                g.graph.seekNoise(Seeds.derive(seed, from, s));
                g.graph.forward();
                consumer.accept(g, from, rows, s);
            }
        }
    }

    /** KL(N(mu, exp(v)) || N(0, I)) of row {@code i}. */
    private static double gaussianKl(Code code, int i) {
        Tensor mu = code.mean().value();
        Tensor lv = code.logVariance().value();
        double sum = 0;
        for (int j = 0; j < mu.cols(); j++) {
            double m = read(mu, i, j);
            double v = read(lv, i, j);
            sum += 1 + v - m * m - Math.exp(v);
        }
        return -0.5 * sum;
    }

    /** log N(h; 0, I) of row {@code i} of the sample. */
    private static double logPrior(Code code, int i) {
        Tensor h = code.sample().value();
        double sum = 0;
        for (int j = 0; j < h.cols(); j++) {
            double z = read(h, i, j);
            sum += z * z;
        }
        return -0.5 * (sum + h.cols() * LOG_2PI);
    }

    /** log q(h|x) of row {@code i} of the sample. */
    private static double logPosterior(Code code, int i) {
        Tensor h = code.sample().value();
        Tensor mu = code.mean().value();
        Tensor lv = code.logVariance().value();
        double sum = 0;
        for (int j = 0; j < h.cols(); j++) {
            double d = read(h, i, j) - read(mu, i, j);
            double v = read(lv, i, j);
            sum += d * d * Math.exp(-v) + v + LOG_2PI;
        }
        return -0.5 * sum;
    }

    private static double read(Tensor t, int i, int j) {
        MemorySegment s = t.segment();
        return s.getAtIndex(ValueLayout.JAVA_FLOAT, t.offset() + (long) i * t.cols() + j);
    }

    static double logMeanExp(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (double v : values) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum / values.length);
    }

    private void requirePrior(String what) {
        if (!config.encoder().hasPrior()) {
            throw new IllegalStateException(what + " needs a model with a prior p(h) (a variational autoencoder);"
                    + " model '" + config.name() + "' has a " + config.encoder().kind().name() + " encoder");
        }
    }

    private static void requireSamples(int samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("need at least one sample, got " + samples);
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
        if (data.dimension() != config.inputDimension()) {
            throw new IllegalArgumentException(what + ": dataset '" + data.name() + "' has " + data.dimension()
                    + " features but model '" + config.name() + "' takes " + config.inputDimension());
        }
        if (config.likelihood().needsUnitInterval()) {
            requireUnitInterval(what, data);
        }
    }

    private void requireUnitInterval(String what, Dataset data) {
        if (data.isStoredAsBytes()) {
            return;
        }
        Tensor x = data.features();
        MemorySegment values = x.segment();
        long base = x.offset();
        long n = x.size();
        for (long i = 0; i < n; i++) {
            float v = values.getAtIndex(ValueLayout.JAVA_FLOAT, base + i);
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException(what + ": dataset '" + data.name() + "' has " + v + " at row "
                        + i / x.cols() + ", column " + i % x.cols() + ", but model '" + config.name() + "' reads"
                        + " features in [0, 1] (its likelihood is " + config.likelihood().kind().name()
                        + "); scale the data to [0, 1] or choose another likelihood");
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model '" + config.name() + "' is closed");
        }
    }

    /** Frees the parameters, graphs, optimizer state and threads. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ModelGraph g : graphs.values()) {
            g.close();
        }
        graphs.clear();
        for (PhaseStep s : steps.values()) {
            s.close();
        }
        steps.clear();
        state.close();
        params.close();
        pool.close();
    }

    @Override
    public String toString() {
        return "FittedAutoencoder[" + config.name() + ", " + parameterCount() + " parameters]";
    }
}
