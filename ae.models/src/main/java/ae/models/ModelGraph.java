package ae.models;

import ae.autodiff.Graph;
import ae.autodiff.GraphBuilder;
import ae.autodiff.Node;
import ae.autodiff.Parameter;
import ae.tensor.Activation;
import ae.tensor.ComputePool;
import java.util.ArrayList;
import java.util.List;

/**
 * One recorded graph over a model's parameters for a fixed row count, and the nodes its users read. Built once per
 * (purpose, batch size) and replayed: this is what keeps a training step free of allocation. The parts record
 * themselves; this class only strings them together in the order every graph shares.
 *
 * <p>{@link #output} is the decoder's output as the likelihood reads it (logits under a Bernoulli likelihood).
 */
final class ModelGraph implements AutoCloseable {
    final Graph graph;
    final int rows;
    final Node input;
    final Code code;
    final Node output;
    /** The likelihood's loss (mean over rows), or null. */
    final Node loss;
    /** What is minimized: the loss, the encoder's term and the weighted penalties; null for graphs that do not train. */
    final Node objective;
    /** What {@link #loss} compares the output with. */
    final Node target;

    private ModelGraph(Graph graph, int rows, Node input, Code code, Node output, Node loss, Node objective,
                       Node target) {
        this.graph = graph;
        this.rows = rows;
        this.input = input;
        this.code = code;
        this.output = output;
        this.loss = loss;
        this.objective = objective;
        this.target = target;
    }

    private interface Body {
        ModelGraph record(GraphBuilder b);
    }

    private static ModelGraph build(GraphBuilder b, Body body) {
        try {
            return body.record(b);
        } catch (RuntimeException e) {
            b.abandon();
            throw e;
        }
    }

    private static GraphBuilder builder(ModelParameters params, String purpose, int rows, ComputePool pool) {
        return Graph.builder(params.config.name() + " " + purpose + " x" + rows, params.store.dtype(), pool);
    }

    /** The model's training objective on corrupted input, every parameter learnable, the encoder sampling. */
    static ModelGraph training(ModelParameters params, int rows, long noiseSeed, ComputePool pool) {
        ModelConfig config = params.config;
        GraphBuilder b = builder(params, "training", rows, pool).seed(noiseSeed);
        return build(b, ignored -> {
            GraphContext context = new GraphContext(b, params, true, true);
            Node x = b.input("x", rows, config.inputDimension());
            Node encoderInput = config.corruption().apply(b, x);
            Code code = config.encoder().encode(context, encoderInput);
            Node out = config.decoder().decode(context, code.sample(), config.likelihood());
            Node loss = config.likelihood().loss(context, out, x);
            Node objective = code.lossTerm() == null ? loss : b.add(loss, code.lossTerm());
            PenaltySite site = new PenaltySite(b, encoderInput, code.mean(), config.encoder().depth(), out,
                    config.likelihood().readsLogits(), params.weights());
            objective = addPenalties(b, objective, config.penalties(), site);
            return new ModelGraph(b.build(), rows, x, code, out, loss, objective, x);
        });
    }

    /**
     * Greedy pretraining of encoder layer {@code layer} with its mirror decoder layer: the layers below are frozen and
     * produce the target codes; the pair reconstructs them.
     */
    static ModelGraph pretraining(ModelParameters params, GreedyLayerWise procedure, int layer, int rows,
                                  long noiseSeed, ComputePool pool) {
        ModelConfig config = params.config;
        DeterministicEncoder encoder = (DeterministicEncoder) config.encoder();
        Decoder decoder = config.decoder();
        int mirror = encoder.depth() - 1 - layer;
        GraphBuilder b = builder(params, "pretraining layer " + layer, rows, pool).seed(noiseSeed);
        return build(b, ignored -> {
            GraphContext frozen = new GraphContext(b, params, false, false);
            GraphContext learnable = new GraphContext(b, params, true, true);
            Node x = b.input("x", rows, config.inputDimension());
            Node below = x;
            for (int i = 0; i < layer; i++) {
                below = frozen.dense(below, "encoder." + i, null, encoder.layers().get(i).activation());
            }
            Node layerInput = procedure.layerCorruption().apply(b, below);
            Node code = learnable.dense(layerInput, "encoder." + layer, null, encoder.layers().get(layer).activation());
            Likelihood likelihood = layer == 0 ? config.likelihood().forLayerPretraining()
                    : SquaredErrorLikelihood.INSTANCE;
            Activation act = GreedyLayerWise.mirrorActivation(config, layer);
            Node out = decoder.decodeLayer(learnable, code, mirror, likelihood.readsLogits() ? Activation.IDENTITY
                    : act);
            Node loss = likelihood.loss(learnable, out, below);
            List<Parameter> weights = new ArrayList<>();
            weights.add(params.get("encoder." + layer + ".weight"));
            if (!decoder.tied()) {
                weights.add(params.get("decoder." + mirror + ".weight"));
            }
            PenaltySite site = new PenaltySite(b, layerInput, code, 1, out, likelihood.readsLogits(), weights);
            Node objective = addPenalties(b, loss, procedure.layerPenalties(), site);
            return new ModelGraph(b.build(), rows, x, Code.deterministic(code), out, loss, objective, below);
        });
    }

    /**
     * Clean input through frozen parameters. With {@code sampling}, the code is drawn from p(h|x) and the decoder
     * reads the draw (Monte Carlo estimates); without, everything takes means (encode, reconstruct, score).
     */
    static ModelGraph evaluation(ModelParameters params, int rows, boolean sampling, ComputePool pool) {
        ModelConfig config = params.config;
        GraphBuilder b = builder(params, sampling ? "sampled evaluation" : "evaluation", rows, pool);
        return build(b, ignored -> {
            GraphContext context = new GraphContext(b, params, false, sampling);
            Node x = b.input("x", rows, config.inputDimension());
            Code code = config.encoder().encode(context, x);
            Node out = config.decoder().decode(context, code.sample(), config.likelihood());
            Node loss = config.likelihood().loss(context, out, x);
            return new ModelGraph(b.build(), rows, x, code, out, loss, null, x);
        });
    }

    /** Codes to the decoder's output. */
    static ModelGraph decoding(ModelParameters params, int rows, ComputePool pool) {
        ModelConfig config = params.config;
        GraphBuilder b = builder(params, "decoder", rows, pool);
        return build(b, ignored -> {
            GraphContext context = new GraphContext(b, params, false, false);
            Node code = b.input("code", rows, config.codeSize());
            Node out = config.decoder().decode(context, code, config.likelihood());
            return new ModelGraph(b.build(), rows, code, Code.deterministic(code), out, null, null, null);
        });
    }

    /**
     * The mean over rows of {@code ||dh/dx||_F^2} of the encoder's mean at clean input, exactly: the closed form for
     * one layer, forward-mode products for more. Held in {@link #loss}.
     */
    static ModelGraph jacobianNorm(ModelParameters params, int rows, ComputePool pool) {
        ModelConfig config = params.config;
        GraphBuilder b = builder(params, "jacobian", rows, pool);
        return build(b, ignored -> {
            GraphContext context = new GraphContext(b, params, false, false);
            Node x = b.input("x", rows, config.inputDimension());
            Code code = config.encoder().encode(context, x);
            Node norm = config.encoder().depth() == 1 ? b.contractivePenalty(code.mean())
                    : b.jacobianNormSquared(x, code.mean());
            return new ModelGraph(b.build(), rows, x, code, null, norm, null, null);
        });
    }

    /**
     * The per-example Jacobians of the encoder's mean at clean input, held in {@link #output}: {@code (d rows) x k},
     * row {@code p rows + i} the derivative of example i's code along input p (see {@link GraphBuilder#jacobian}).
     */
    static ModelGraph encoderJacobian(ModelParameters params, int rows, ComputePool pool) {
        ModelConfig config = params.config;
        GraphBuilder b = builder(params, "encoder jacobian", rows, pool);
        return build(b, ignored -> {
            GraphContext context = new GraphContext(b, params, false, false);
            Node x = b.input("x", rows, config.inputDimension());
            Code code = config.encoder().encode(context, x);
            Node jacobian = b.jacobian(x, code.mean());
            return new ModelGraph(b.build(), rows, x, code, jacobian, null, null, null);
        });
    }

    private static Node addPenalties(GraphBuilder b, Node objective, List<Penalty> penalties, PenaltySite site) {
        Node total = objective;
        for (Penalty p : penalties) {
            if (p.weight() == 0) {
                continue;
            }
            total = b.add(total, b.scale(p.term(site), p.weight()));
        }
        return total;
    }

    @Override
    public void close() {
        graph.close();
    }
}
