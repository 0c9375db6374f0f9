package ae.models;

import ae.autodiff.Parameter;
import ae.data.Seeds;
import ae.tensor.Activation;
import ae.tensor.Gemm;
import ae.tensor.Rng;
import ae.tensor.Tensor;
import ae.tensor.TensorOps;
import ae.tensor.TensorScope;
import java.util.ArrayList;
import java.util.List;

/**
 * Pretraining as a stack of restricted Boltzmann machines (Hinton and Salakhutdinov 2006, "Reducing the
 * dimensionality of data with neural networks"; Salakhutdinov and Hinton, "Semantic hashing"), then end-to-end
 * fine-tuning. Encoder layer {@code l} is an RBM with binary (Bernoulli) hidden units, its weight and bias the
 * layer's, and Bernoulli visible units whose bias is the bias of its mirror decoder layer {@code L-1-l}; its visible
 * data are the probabilities of the (frozen) sigmoid layers below it, the pixels themselves for the first layer
 * (values in [0, 1] taken as probabilities). The top RBM's hidden units are the code's logistic units. Each RBM is
 * trained by contrastive divergence (CD-k, k = 1 unless set): the hidden states sampled from the data, visible
 * probabilities reconstructed from them (binary samples of them with {@code sampleVisible}), hidden probabilities of
 * the reconstruction, k times; the update
 * {@code <v h>_data - <v h>_reconstruction} by SGD at {@code learningRate} with momentum (0.5 in a layer's first
 * epoch, {@code momentum} after, as in Hinton's practical guide) and an L2 weight cost on the weights only. After
 * every epoch the stack is unrolled: the mirror decoder layer's weight becomes the transposed encoder weight (an
 * untied decoder keeps that as its starting point; a tied one reads it anyway). Fine-tuning then trains everything
 * with the model's own objective (for semantic hashing, with the code-input noise) for the training configuration's
 * epochs. Phases are named {@code rbm-layer-<l>}, then {@code train}; with 0 pretraining epochs only the end-to-end
 * phase runs. Each RBM epoch reads every training row once in its stored order (the batches of {@code fit}'s other
 * whole-epoch phases), its objective is the mean squared reconstruction error per row, and its samples come from the
 * training seed, the layer and the epoch, so a seed and thread count give the same bits. An RBM phase's momentum is
 * its optimizer state ({@link #optimizer}: SGD with this procedure's settings), which checkpoints save and restore
 * like any phase's, so resuming in the middle of an RBM phase continues it bit for bit; a checkpoint written before
 * they saved it resumes with zero momentum, as a new phase starts.
 */
public record RbmPretraining(int pretrainEpochs, double learningRate, double momentum, double weightCost,
                             int cdSteps, boolean sampleVisible) implements TrainingProcedure {
    public static final PartKind<RbmPretraining> KIND = PartKind.of(RbmPretraining.class, "rbm-pretraining",
            "pretraining as a stack of RBMs by contrastive divergence (sigmoid layers), unrolled, then fine-tuning",
            List.of(Setting.integer("pretrain-epochs", 5, "--pretrain-epochs", "pretraining epochs per layer (0: none)",
                            RbmPretraining::pretrainEpochs),
                    Setting.real("learning-rate", 0.1, "--rbm-learning-rate", "the contrastive-divergence learning rate"
                            + " of RBM pretraining (--pretrain rbm: 0.1 unless set)", RbmPretraining::learningRate),
                    Setting.real("momentum", 0.9, null, "momentum after a layer's first epoch (0.5 in it)",
                            RbmPretraining::momentum),
                    Setting.real("weight-cost", 2e-4, null, "L2 weight cost on the RBMs' weights",
                            RbmPretraining::weightCost),
                    Setting.integer("cd-steps", 1, null, "k of CD-k: Gibbs steps from the data to the negative"
                            + " statistics", RbmPretraining::cdSteps),
                    Setting.bool("sample-visible", false, null, "true: binary visible states at every Gibbs step (a"
                            + " true Gibbs chain, whose CD-k tends to the likelihood gradient as k grows); false:"
                            + " visible probabilities, the practical guide's less noisy recipe",
                            RbmPretraining::sampleVisible)),
            v -> new RbmPretraining(v.integer("pretrain-epochs"), v.real("learning-rate"), v.real("momentum"),
                    v.real("weight-cost"), v.integer("cd-steps"), v.bool("sample-visible")));

    /** The momentum of a layer's first epoch, while the weights move far (Hinton's practical guide). */
    static final double INITIAL_MOMENTUM = 0.5;
    /** Seed stream of the RBMs' samples, apart from the trainer's shuffle and noise streams. */
    static final long SAMPLE_STREAM = 0x5C;

    /** Checks the settings; throws {@link IllegalArgumentException} naming the one out of range. */
    public RbmPretraining {
        if (pretrainEpochs < 0) {
            throw new IllegalArgumentException("RBM pretraining needs >= 0 epochs per layer, got " + pretrainEpochs);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("RBM pretraining's learning rate must be finite and > 0, got "
                    + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("RBM pretraining's momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightCost >= 0) || !Double.isFinite(weightCost)) {
            throw new IllegalArgumentException("RBM pretraining's weight cost must be finite and >= 0, got "
                    + weightCost);
        }
        if (cdSteps < 1) {
            throw new IllegalArgumentException("RBM pretraining needs CD-k with k >= 1, got " + cdSteps);
        }
    }

    /** CD-1 at learning rate 0.1, momentum 0.9, weight cost 2e-4, for {@code pretrainEpochs} epochs per layer. */
    public RbmPretraining(int pretrainEpochs) {
        this(pretrainEpochs, 0.1, 0.9, 2e-4, 1, false);
    }

    @Override
    public PartKind<RbmPretraining> kind() {
        return KIND;
    }

    /**
     * {@code model} with sigmoid hidden layers in its encoder and decoder (RBMs have binary units) and this
     * procedure; the widths, code, output, likelihood, penalties and corruption are kept. The encoder must be a dense
     * or a binary-code one with a sigmoid code; an IllegalArgumentException names the model otherwise.
     */
    public ModelConfig applyTo(ModelConfig model) {
        Encoder encoder = model.encoder();
        List<LayerSpec> hidden = new ArrayList<>();
        List<LayerSpec> layers = encoder.layers();
        for (int i = 0; i < layers.size() - 1; i++) {
            hidden.add(LayerSpec.of(layers.get(i).units(), Activation.SIGMOID));
        }
        Encoder sigmoid;
        if (encoder instanceof BinaryCodeEncoder b) {
            sigmoid = new BinaryCodeEncoder(hidden, b.bits(), b.sigma(), b.noiseRampSteps(), b.perExampleNoise());
        } else if (encoder instanceof DeterministicEncoder) {
            List<LayerSpec> all = new ArrayList<>(hidden);
            all.add(layers.getLast());
            sigmoid = new DeterministicEncoder(all);
        } else {
            throw new IllegalArgumentException("model '" + model.name() + "': RBM pretraining stacks dense layers;"
                    + " a " + encoder.kind().name() + " encoder has none to stack");
        }
        Decoder d = model.decoder();
        Decoder decoder = Decoder.mirroring(sigmoid.layers(), model.inputDimension(), Activation.SIGMOID,
                d.outputActivation(), d.tied()).withMaxColumnNorm(d.maxColumnNorm());
        return model.withLayers(sigmoid, decoder).withProcedure(this);
    }

    @Override
    public void check(String model, Encoder encoder, Decoder decoder) {
        if (!(encoder instanceof DeterministicEncoder) && !(encoder instanceof BinaryCodeEncoder)) {
            throw new IllegalArgumentException("model '" + model + "': RBM pretraining needs a dense or binary-code"
                    + " encoder, not " + encoder.kind().name());
        }
        if (encoder.depth() != decoder.layers().size()) {
            throw new IllegalArgumentException("model '" + model + "': RBM pretraining unrolls each encoder layer"
                    + " into its mirror decoder layer, so both stacks need the same depth");
        }
        for (int i = 0; i < encoder.depth(); i++) {
            if (encoder.layers().get(i).activation() != Activation.SIGMOID
                    || decoder.layers().get(i).activation() != Activation.SIGMOID) {
                throw new IllegalArgumentException("model '" + model + "': RBM pretraining stacks Bernoulli units,"
                        + " so every encoder and decoder layer must be sigmoid (encoder layer " + i + " is "
                        + encoder.layers().get(i).activation().name().toLowerCase(java.util.Locale.ROOT)
                        + ", decoder layer " + i + " "
                        + decoder.layers().get(i).activation().name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
        }
    }

    @Override
    public List<PhasePlan> plan(ModelConfig model, int endToEndEpochs) {
        List<PhasePlan> phases = new ArrayList<>();
        if (pretrainEpochs > 0) {
            for (int l = 0; l < model.encoder().depth(); l++) {
                phases.add(new PhasePlan("rbm-layer-" + l, pretrainEpochs, false));
            }
        }
        phases.add(new PhasePlan("train", endToEndEpochs, true));
        return phases;
    }

    /** The RBM of phase {@code phase}, or -1 for the end-to-end phase. */
    private int layer(int phase, ModelConfig model) {
        return pretrainEpochs > 0 && phase < model.encoder().depth() ? phase : -1;
    }

    /**
     * An RBM phase's optimizer: SGD at {@code learningRate} with {@code momentum} and {@code weightCost}, whose
     * momentum buffers are the RBM's velocities (its first epoch's lower momentum and the weight cost on the weight
     * alone are applied by the RBM itself); the end-to-end phase's is {@code training}.
     */
    @Override
    public OptimizerConfig optimizer(int phase, ModelConfig model, OptimizerConfig training) {
        return layer(phase, model) < 0 ? training : new OptimizerConfig.Sgd(learningRate, momentum, false, weightCost);
    }

    @Override
    public List<Parameter> parameters(int phase, FittedAutoencoder model) {
        int l = layer(phase, model.config());
        if (l < 0) {
            return model.params.all();
        }
        int mirror = model.config().encoder().depth() - 1 - l;
        return List.of(model.params.get("encoder." + l + ".weight"), model.params.get("encoder." + l + ".bias"),
                model.params.get("decoder." + mirror + ".bias"));
    }

    @Override
    public PhaseStep openStep(int phase, FittedAutoencoder model, int rows, long noiseSeed) {
        if (layer(phase, model.config()) >= 0) {
            throw new UnsupportedOperationException("RBM layers are trained from whole epochs, not by optimizer"
                    + " steps");
        }
        return GraphStep.training(model, rows, noiseSeed);
    }

    @Override
    public EpochFit openEpochFit(int phase, FittedAutoencoder model) {
        int l = layer(phase, model.config());
        if (l < 0) {
            return null;
        }
        long seed = Seeds.derive(model.trainingConfig().seed(), SAMPLE_STREAM, phase);
        // The velocities live in the training state, where a checkpoint saves them and a loaded one left them.
        TrainingState state = model.state;
        OptimizerConfig sgd = optimizer(phase, model.config(), model.trainingConfig().optimizer());
        if (state.optimizer != null && !state.optimizer.config().equals(sgd)) {
            state.closeOptimizer();
        }
        if (state.optimizer == null) {
            state.optimizer = new Optimizer(sgd, parameters(phase, model), model.ops, model.config().name()
                    + " rbm-layer-" + l);
        }
        return new Machine(this, model, l, seed, state.optimizer);
    }

    /**
     * Writes the CD-k update of RBM {@code layer} for {@code batch} (the model's input rows), as a descent direction,
     * into the layer's weight, hidden-bias and visible-bias gradients: {@code -(<v h>_data - <v h>_k) / rows}, without
     * weight cost; draws its samples from {@code rng}; returns the mean squared reconstruction error per row. For
     * tests; a training loop uses {@link #openEpochFit}.
     */
    static double contrastiveDivergence(FittedAutoencoder model, int layer, int k, boolean sampleVisible,
                                        Tensor batch, Rng rng) {
        RbmPretraining settings = new RbmPretraining(1, 0.1, 0.9, 0, k, sampleVisible);
        int phase = layer; // RBM l is phase l
        try (Optimizer velocities = new Optimizer(settings.optimizer(phase, model.config(), null),
                settings.parameters(phase, model), model.ops, "contrastive divergence of layer " + layer);
             Machine m = new Machine(settings, model, layer, 0, velocities)) {
            return m.gradients(batch, rng);
        }
    }

    /** One RBM's training: the frozen layers below it, its CD-k update and the SGD step, in reused buffers. */
    static final class Machine implements EpochFit {
        private final RbmPretraining settings;
        private final FittedAutoencoder model;
        private final TensorOps ops;
        private final int layer;
        private final long seed;
        private final Parameter[] below;
        private final Parameter[] belowBias;
        private final Parameter weight;
        private final Parameter hiddenBias;
        private final Parameter visibleBias;
        private final Tensor decoderWeight;
        private final TensorScope scope;
        /** The velocities (null without momentum) and the step count: the phase's optimizer state, checkpointed. */
        private final Optimizer velocities;
        private final Tensor weightVelocity;
        private final Tensor hiddenVelocity;
        private final Tensor visibleVelocity;
        private Buffers full;
        private Buffers partial;
        private Rng rng;
        private int epoch;
        private double errorSum;
        private long rowsRead;

        /**
         * {@code velocities}: an optimizer over the weight, hidden bias and visible bias in that order (the phase's
         * parameters), whose momentum buffers and step count this machine updates and does not close.
         */
        Machine(RbmPretraining settings, FittedAutoencoder model, int layer, long seed, Optimizer velocities) {
            this.settings = settings;
            this.model = model;
            this.ops = model.ops;
            this.layer = layer;
            this.seed = seed;
            ModelParameters params = model.params;
            int depth = model.config().encoder().depth();
            below = new Parameter[layer];
            belowBias = new Parameter[layer];
            for (int i = 0; i < layer; i++) {
                below[i] = params.get("encoder." + i + ".weight");
                belowBias[i] = params.get("encoder." + i + ".bias");
            }
            weight = params.get("encoder." + layer + ".weight");
            hiddenBias = params.get("encoder." + layer + ".bias");
            visibleBias = params.get("decoder." + (depth - 1 - layer) + ".bias");
            decoderWeight = model.config().decoder().tied() ? null
                    : params.get("decoder." + (depth - 1 - layer) + ".weight").value();
            this.velocities = velocities;
            weightVelocity = velocities.firstMoment(0);
            hiddenVelocity = velocities.firstMoment(1);
            visibleVelocity = velocities.firstMoment(2);
            scope = TensorScope.open("rbm-layer-" + layer);
        }

        /** The buffers of one batch size: the layers below, and the RBM's visible and hidden states. */
        private final class Buffers {
            final int rows;
            final Tensor[] activations;
            final Tensor hiddenData;
            final Tensor hiddenSample;
            final Tensor uniform;
            final Tensor visibleUniform;
            final Tensor visible;
            final Tensor hidden;
            final Tensor visibleDifference;
            final Tensor hiddenDifference;

            Buffers(int rows) {
                this.rows = rows;
                activations = new Tensor[layer];
                for (int i = 0; i < layer; i++) {
                    activations[i] = scope.allocate(weight.dtype(), rows, below[i].shape()[0]);
                }
                int h = weight.shape()[0];
                int v = weight.shape()[1];
                hiddenData = scope.allocate(weight.dtype(), rows, h);
                hiddenSample = scope.allocate(weight.dtype(), rows, h);
                uniform = scope.allocate(weight.dtype(), rows, h);
                visible = scope.allocate(weight.dtype(), rows, v);
                visibleUniform = settings.sampleVisible ? scope.allocate(weight.dtype(), rows, v) : null;
                hidden = scope.allocate(weight.dtype(), rows, h);
                visibleDifference = scope.allocate(weight.dtype(), rows, v);
                hiddenDifference = scope.allocate(weight.dtype(), rows, h);
            }
        }

        private Buffers buffers(int rows) {
            if (full == null) {
                full = new Buffers(rows);
            }
            if (full.rows == rows) {
                return full;
            }
            // The last batch of an epoch may be short; its buffers are made once.
            if (partial == null || partial.rows != rows) {
                partial = new Buffers(rows);
            }
            return partial;
        }

        @Override
        public void startEpoch() {
            epoch = model.state.epochsDone;
            rng = Rng.seeded(Seeds.derive(seed, SAMPLE_STREAM, epoch));
            errorSum = 0;
            rowsRead = 0;
        }

        @Override
        public void read(Tensor batch) {
            double error = gradients(batch, rng);
            errorSum += error * batch.rows();
            rowsRead += batch.rows();
            double m = epoch == 0 ? Math.min(INITIAL_MOMENTUM, settings.momentum) : settings.momentum;
            double lr = settings.learningRate;
            // The first step of the phase, not of this machine: a resumed phase goes on from its saved velocities.
            boolean firstStep = velocities.steps() == 0;
            ops.sgd(weight.value(), weight.grad(), weightVelocity, lr, m, 0, settings.weightCost, false, firstStep);
            ops.sgd(hiddenBias.value(), hiddenBias.grad(), hiddenVelocity, lr, m, 0, 0, false, firstStep);
            ops.sgd(visibleBias.value(), visibleBias.grad(), visibleVelocity, lr, m, 0, 0, false, firstStep);
            velocities.countStep();
        }

        /** The CD-k descent direction into the parameters' gradients; returns the reconstruction error per row. */
        double gradients(Tensor batch, Rng samples) {
            int rows = batch.rows();
            Buffers b = buffers(rows);
            Tensor v0 = batch;
            for (int i = 0; i < layer; i++) {
                Gemm.multiply(model.pool, 1, v0, false, below[i].value(), true, 0, b.activations[i]);
                ops.biasActivation(Activation.SIGMOID, b.activations[i], belowBias[i].value(), b.activations[i]);
                v0 = b.activations[i];
            }
            Tensor w = weight.value();
            // Positive phase: p(h | v0), and a binary sample of it.
            Gemm.multiply(model.pool, 1, v0, false, w, true, 0, b.hiddenData);
            ops.biasActivation(Activation.SIGMOID, b.hiddenData, hiddenBias.value(), b.hiddenData);
            Tensor hiddenProbabilities = b.hiddenData;
            double error = 0;
            for (int step = 0; step < settings.cdSteps; step++) {
                sample(hiddenProbabilities, b.hiddenSample, b.uniform, samples);
                // Visible probabilities (not samples) reconstructed from the binary hidden states, as the guide
                // advises: less sampling noise in the negative statistics, the same expectation.
                Gemm.multiply(model.pool, 1, b.hiddenSample, false, w, false, 0, b.visible);
                ops.biasActivation(Activation.SIGMOID, b.visible, visibleBias.value(), b.visible);
                if (step == 0) {
                    ops.sub(b.visible, v0, b.visibleDifference);
                    error = ops.sumOfSquares(b.visibleDifference) / rows;
                }
                if (settings.sampleVisible) {
                    sample(b.visible, b.visible, b.visibleUniform, samples);
                }
                Gemm.multiply(model.pool, 1, b.visible, false, w, true, 0, b.hidden);
                ops.biasActivation(Activation.SIGMOID, b.hidden, hiddenBias.value(), b.hidden);
                hiddenProbabilities = b.hidden;
            }
            double scale = 1.0 / rows;
            // -(<v h>_data - <v h>_k) / rows, as the gradient of a loss the optimizer descends.
            Gemm.multiply(model.pool, scale, b.hidden, true, b.visible, false, 0, weight.grad());
            Gemm.multiply(model.pool, -scale, b.hiddenData, true, v0, false, 1, weight.grad());
            ops.sub(b.visible, v0, b.visibleDifference);
            ops.columnSums(b.visibleDifference, visibleBias.grad(), false);
            ops.scale(scale, visibleBias.grad(), visibleBias.grad());
            ops.sub(b.hidden, b.hiddenData, b.hiddenDifference);
            ops.columnSums(b.hiddenDifference, hiddenBias.grad(), false);
            ops.scale(scale, hiddenBias.grad(), hiddenBias.grad());
            return error;
        }

        /** Binary states: 1 where a uniform draw falls below the probability ({@code states} may be the same tensor). */
        private void sample(Tensor probabilities, Tensor states, Tensor uniform, Rng samples) {
            samples.fillUniform(model.pool, uniform, 0, 1);
            long n = probabilities.size();
            for (long i = 0; i < n; i++) {
                states.setFlat(i, uniform.getFlat(i) < probabilities.getFlat(i) ? 1 : 0);
            }
        }

        @Override
        public double finishEpoch() {
            unroll();
            return errorSum / Math.max(1, rowsRead);
        }

        /** The mirror decoder layer's weight becomes the transposed encoder weight. */
        private void unroll() {
            if (decoderWeight == null) {
                return;
            }
            Tensor w = weight.value();
            int h = w.rows();
            int v = w.cols();
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < v; j++) {
                    decoderWeight.set(j, i, w.get(i, j));
                }
            }
        }

        @Override
        public void close() {
            scope.close();
        }
    }
}
