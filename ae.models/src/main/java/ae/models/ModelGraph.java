package ae.models;

import ae.tensor.Activation;
import ae.autodiff.Graph;
import ae.autodiff.GraphBuilder;
import ae.autodiff.Node;
import ae.autodiff.Parameter;
import ae.tensor.ComputePool;
import ae.tensor.DType;
import java.util.ArrayList;
import java.util.List;

/**
 * One recorded graph over a model's parameters for a fixed row count, and the nodes its users read. Built once per
 * (purpose, batch size) and replayed: this is what keeps a training step free of allocation.
 *
 * <p>With binary cross-entropy, {@link #output} holds the logits of the reconstruction (the sigmoid is applied by
 * whoever needs probabilities); with squared error it holds the reconstruction itself.
 */
final class ModelGraph implements AutoCloseable {
    final Graph graph;
    final int rows;
    final Node input;
    final Node code;
    final Node output;
    /** The reconstruction loss (mean over rows), or null. */
    final Node loss;
    /** What is minimized: loss plus weighted penalties, or null for graphs that do not train. */
    final Node objective;
    /** The target of {@link #loss} when it is not {@link #input} (layer-wise pretraining). */
    final Node target;

    private ModelGraph(Graph graph, int rows, Node input, Node code, Node output, Node loss, Node objective, Node target) {
        this.graph = graph;
        this.rows = rows;
        this.input = input;
        this.code = code;
        this.output = output;
        this.loss = loss;
        this.objective = objective;
        this.target = target;
    }

    /** The model's training objective on corrupted input, every parameter learnable. */
    static ModelGraph training(ModelConfig config, ModelParameters params, int rows, long noiseSeed, ComputePool pool) {
        Architecture a = config.architecture();
        GraphBuilder b = Graph.builder(config.name() + " training x" + rows, DType.F32, pool).seed(noiseSeed);
        try {
            Node x = b.input("x", rows, a.inputDimension());
            Node encoderInput = corrupt(b, x, config.corruption());
            Node h = encoderInput;
            for (int i = 0; i < a.encoder().size(); i++) {
                h = dense(b, h, params.encoderWeights[i], params.encoderBiases[i], false,
                        a.encoder().get(i).activation(), true);
            }
            Node code = h;
            Node out = decode(b, params, config.loss(), code, true);
            Node loss = reconstructionLoss(b, config.loss(), out, x);
            Node objective = addPenalties(b, loss, config.penalties(), encoderInput, code, a.encoder().size(),
                    params.weights());
            return new ModelGraph(b.build(), rows, x, code, out, loss, objective, x);
        } catch (RuntimeException e) {
            b.abandon();
            throw e;
        }
    }

    /**
     * Greedy pretraining of encoder layer {@code layer} with its mirror decoder layer: the layers below are frozen and
     * produce the target codes; the pair reconstructs them.
     */
    static ModelGraph pretraining(ModelConfig config, TrainingProcedure.GreedyLayerWise procedure,
                                  ModelParameters params, int layer, int rows, long noiseSeed, ComputePool pool) {
        Architecture a = config.architecture();
        int depth = a.encoder().size();
        int mirror = depth - 1 - layer;
        GraphBuilder b = Graph.builder(config.name() + " pretraining layer " + layer + " x" + rows, DType.F32, pool)
                .seed(noiseSeed);
        try {
            Node x = b.input("x", rows, a.inputDimension());
            Node below = x;
            for (int i = 0; i < layer; i++) {
                below = dense(b, below, params.encoderWeights[i], params.encoderBiases[i], false,
                        a.encoder().get(i).activation(), false);
            }
            Node layerInput = corrupt(b, below, procedure.layerCorruption());
            Node code = dense(b, layerInput, params.encoderWeights[layer], params.encoderBiases[layer], false,
                    a.encoder().get(layer).activation(), true);
            ReconstructionLoss lossKind = layer == 0 ? config.loss() : ReconstructionLoss.SQUARED_ERROR;
            Activation act = a.decoder().get(mirror).activation();
            boolean logits = lossKind == ReconstructionLoss.BINARY_CROSS_ENTROPY;
            Node out = dense(b, code, params.decoderWeight(mirror), params.decoderBiases[mirror], a.tiedWeights(),
                    logits ? Activation.IDENTITY : act, true);
            Node loss = reconstructionLoss(b, lossKind, out, below);
            List<Parameter> weights = new ArrayList<>();
            weights.add(params.encoderWeights[layer]);
            if (!a.tiedWeights()) {
                weights.add(params.decoderWeights[mirror]);
            }
            Node objective = addPenalties(b, loss, procedure.layerPenalties(), layerInput, code, 1, weights);
            return new ModelGraph(b.build(), rows, x, code, out, loss, objective, below);
        } catch (RuntimeException e) {
            b.abandon();
            throw e;
        }
    }

    /** Clean input through frozen parameters: code, output and reconstruction loss, no gradients anywhere. */
    static ModelGraph evaluation(ModelConfig config, ModelParameters params, int rows, ComputePool pool) {
        Architecture a = config.architecture();
        GraphBuilder b = Graph.builder(config.name() + " evaluation x" + rows, DType.F32, pool);
        try {
            Node x = b.input("x", rows, a.inputDimension());
            Node code = encode(b, params, x);
            Node out = decode(b, params, config.loss(), code, false);
            Node loss = reconstructionLoss(b, config.loss(), out, x);
            return new ModelGraph(b.build(), rows, x, code, out, loss, null, x);
        } catch (RuntimeException e) {
            b.abandon();
            throw e;
        }
    }

    /** Codes to reconstructions (logits with binary cross-entropy). */
    static ModelGraph decoding(ModelConfig config, ModelParameters params, int rows, ComputePool pool) {
        GraphBuilder b = Graph.builder(config.name() + " decoder x" + rows, DType.F32, pool);
        try {
            Node code = b.input("code", rows, config.architecture().codeSize());
            Node out = decode(b, params, config.loss(), code, false);
            return new ModelGraph(b.build(), rows, code, code, out, null, null, null);
        } catch (RuntimeException e) {
            b.abandon();
            throw e;
        }
    }

    /**
     * The mean over rows of {@code ||dh/dx||_F^2} of the encoder at clean input, exactly: the closed form for one
     * layer, forward-mode products for more. Held in {@link #loss}.
     */
    static ModelGraph jacobianNorm(ModelConfig config, ModelParameters params, int rows, ComputePool pool) {
        Architecture a = config.architecture();
        GraphBuilder b = Graph.builder(config.name() + " jacobian x" + rows, DType.F32, pool);
        try {
            Node x = b.input("x", rows, a.inputDimension());
            Node code = encode(b, params, x);
            Node norm = a.encoder().size() == 1 ? b.contractivePenalty(code) : b.jacobianNormSquared(x, code);
            return new ModelGraph(b.build(), rows, x, code, null, norm, null, null);
        } catch (RuntimeException e) {
            b.abandon();
            throw e;
        }
    }

    private static Node encode(GraphBuilder b, ModelParameters params, Node x) {
        Architecture a = params.architecture;
        Node h = x;
        for (int i = 0; i < a.encoder().size(); i++) {
            h = dense(b, h, params.encoderWeights[i], params.encoderBiases[i], false, a.encoder().get(i).activation(),
                    false);
        }
        return h;
    }

    private static Node decode(GraphBuilder b, ModelParameters params, ReconstructionLoss loss, Node code,
                               boolean learnable) {
        Architecture a = params.architecture;
        Node h = code;
        int last = a.decoder().size() - 1;
        for (int i = 0; i <= last; i++) {
            Activation act = a.decoder().get(i).activation();
            if (i == last && loss == ReconstructionLoss.BINARY_CROSS_ENTROPY) {
                act = Activation.IDENTITY;
            }
            h = dense(b, h, params.decoderWeight(i), params.decoderBiases[i], a.tiedWeights(), act, learnable);
        }
        return h;
    }

    private static Node dense(GraphBuilder b, Node x, Parameter weight, Parameter bias, boolean tied,
                              Activation activation, boolean learnable) {
        Node w = learnable ? b.parameter(weight) : b.frozen(weight);
        Node bn = learnable ? b.parameter(bias) : b.frozen(bias);
        return tied ? b.tiedLinear(x, w, bn, activation) : b.linear(x, w, bn, activation);
    }

    private static Node corrupt(GraphBuilder b, Node x, Corruption corruption) {
        return switch (corruption) {
            case Corruption.None n -> x;
            case Corruption.Masking m -> b.maskingNoise(x, m.probability());
            case Corruption.Gaussian g -> b.gaussianNoise(x, g.stddev());
            case Corruption.SaltAndPepper s -> b.saltAndPepperNoise(x, s.probability());
        };
    }

    private static Node reconstructionLoss(GraphBuilder b, ReconstructionLoss kind, Node output, Node target) {
        return switch (kind) {
            case BINARY_CROSS_ENTROPY -> b.binaryCrossEntropyWithLogits(output, target);
            case SQUARED_ERROR -> b.squaredError(output, target);
        };
    }

    private static Node addPenalties(GraphBuilder b, Node loss, List<Penalty> penalties, Node encoderInput, Node code,
                                     int encoderDepth, List<Parameter> weights) {
        Node total = loss;
        for (Penalty p : penalties) {
            if (p.weight() == 0) {
                continue;
            }
            Node term = switch (p) {
                case Penalty.L1Code l1 -> b.l1(code);
                case Penalty.KlSparsity kl -> b.klSparsity(code, kl.rho());
                case Penalty.Contractive c -> encoderDepth == 1 ? b.contractivePenalty(code)
                        : c.probes() == 0 ? b.jacobianNormSquared(encoderInput, code)
                        : b.jacobianNormSquaredEstimate(encoderInput, code, c.probes());
                case Penalty.HigherOrderContractive h -> b.higherOrderContractivePenalty(code, h.sigma(),
                        h.corruptions());
                case Penalty.WeightDecay wd -> sumOfSquaredWeights(b, weights);
            };
            total = b.add(total, b.scale(term, p.weight()));
        }
        return total;
    }

    private static Node sumOfSquaredWeights(GraphBuilder b, List<Parameter> weights) {
        Node sum = null;
        for (Parameter w : weights) {
            Node term = b.sumOfSquares(b.parameter(w));
            sum = sum == null ? term : b.add(sum, term);
        }
        return sum;
    }

    @Override
    public void close() {
        graph.close();
    }
}
