package ae.models;

import ae.autodiff.Graph;
import ae.autodiff.GraphBuilder;
import ae.autodiff.Node;
import ae.autodiff.Parameter;
import ae.tensor.Gemm;
import ae.tensor.Tensor;
import java.util.List;

/**
 * Training by recirculation (Hinton and McClelland, 1988), with no back-propagated error. The input goes twice round
 * the loop of a one-hidden-layer autoencoder: visible {@code x(0)} to hidden {@code h(1) = f(x(0))}, back to visible
 * {@code x(2) = lambda x(0) + (1 - lambda) g(h(1))} (the "regression" lambda), and to hidden {@code h(3) = f(x(2))}
 * (optionally regressed toward h(1) the same way). The decoder learns {@code h(1) (x(0) - x(2))^T} and the encoder
 * {@code (h(1) - h(3)) x(2)^T}, each unit from the difference of its own two states; biases from the differences
 * alone. Averaged over the batch and negated, these are the "gradients" the trainer's optimizer applies: with SGD at
 * learning rate epsilon, exactly the paper's rule. The objective reported is the model's reconstruction loss of
 * {@code g(h(1))}. One phase, {@code train}.
 */
public record Recirculation(double regression, boolean regressHidden) implements TrainingProcedure {
    public static final PartKind<Recirculation> KIND = PartKind.of(Recirculation.class, "recirculation",
            "recirculation (Hinton and McClelland 1988): local updates from two passes round the loop, no"
                    + " back-propagated error",
            List.of(Setting.real("regression", 0.75, "--regression",
                            "lambda: x(2) = lambda x(0) + (1 - lambda) g(h(1))", Recirculation::regression),
                    Setting.bool("regress-hidden", false, null, "regress h(3) toward h(1) by lambda as well",
                            Recirculation::regressHidden)),
            v -> new Recirculation(v.real("regression"), v.bool("regress-hidden")));

    /** Checks the setting; throws {@link IllegalArgumentException} for a regression lambda outside [0, 1). */
    public Recirculation {
        if (!(regression >= 0 && regression < 1)) {
            throw new IllegalArgumentException("recirculation: the regression lambda must be in [0, 1), got "
                    + regression);
        }
    }

    @Override
    public PartKind<Recirculation> kind() {
        return KIND;
    }

    @Override
    public void check(String model, Encoder encoder, Decoder decoder) {
        if (!(encoder instanceof DeterministicEncoder) || encoder.depth() != 1 || decoder.layers().size() != 1
                || decoder.tied()) {
            throw new IllegalArgumentException("model '" + model + "': recirculation trains one deterministic hidden"
                    + " layer and an untied decoder layer");
        }
    }

    @Override
    public List<PhasePlan> plan(ModelConfig model, int endToEndEpochs) {
        return List.of(new PhasePlan("train", endToEndEpochs, true));
    }

    @Override
    public List<Parameter> parameters(int phase, FittedAutoencoder model) {
        return List.of(model.params.get("encoder.0.weight"), model.params.get("encoder.0.bias"),
                model.params.get("decoder.0.weight"), model.params.get("decoder.0.bias"));
    }

    @Override
    public PhaseStep openStep(int phase, FittedAutoencoder model, int rows, long noiseSeed) {
        return new Step(this, model, rows);
    }

    /**
     * The angle in degrees between the recirculation update and the negative gradient of the model's objective
     * (back-propagated) on {@code batch}, at the current parameters: below 90 degrees, recirculation descends. Writes
     * the parameters' gradients (and leaves the true gradient there); not for a training loop.
     */
    public static double angleToGradient(FittedAutoencoder model, Tensor batch) {
        if (!(model.config().procedure() instanceof Recirculation procedure)) {
            throw new IllegalArgumentException("model '" + model.config().name() + "' is not trained by"
                    + " recirculation");
        }
        List<Parameter> parameters = procedure.parameters(0, model);
        try (Step step = new Step(procedure, model, batch.rows());
             ModelGraph backprop = ModelGraph.training(model.params, batch.rows(), 0, model.pool)) {
            step.computeGradients(batch, 0);
            double[][] recirculation = new double[parameters.size()][];
            for (int p = 0; p < parameters.size(); p++) {
                recirculation[p] = parameters.get(p).grad().toDoubleArray();
            }
            backprop.graph.bind(backprop.input, batch);
            backprop.graph.forward();
            backprop.graph.backward(backprop.objective);
            double dot = 0;
            double recirculationSquares = 0;
            double gradientSquares = 0;
            for (int p = 0; p < parameters.size(); p++) {
                double[] gradient = parameters.get(p).grad().toDoubleArray();
                for (int i = 0; i < gradient.length; i++) {
                    dot += recirculation[p][i] * gradient[i];
                    recirculationSquares += recirculation[p][i] * recirculation[p][i];
                    gradientSquares += gradient[i] * gradient[i];
                }
            }
            double cosine = dot / Math.sqrt(recirculationSquares * gradientSquares);
            return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cosine))));
        }
    }

    /** The two passes as one frozen graph; the updates from its nodes by GEMM. */
    private static final class Step implements PhaseStep {
        private final Graph graph;
        private final Node input;
        private final Node hidden;
        private final Node recirculated;
        private final Node visibleDifference;
        private final Node hiddenDifference;
        private final Node loss;
        private final Parameter encoderWeight;
        private final Parameter encoderBias;
        private final Parameter decoderWeight;
        private final Parameter decoderBias;
        private final FittedAutoencoder model;
        private final int rows;

        Step(Recirculation procedure, FittedAutoencoder model, int rows) {
            this.model = model;
            this.rows = rows;
            ModelParameters params = model.params;
            ModelConfig config = params.config;
            encoderWeight = params.get("encoder.0.weight");
            encoderBias = params.get("encoder.0.bias");
            decoderWeight = params.get("decoder.0.weight");
            decoderBias = params.get("decoder.0.bias");
            double lambda = procedure.regression;
            GraphBuilder b = Graph.builder(config.name() + " recirculation x" + rows, params.store.dtype(),
                    model.pool);
            try {
                GraphContext frozen = new GraphContext(b, params, false, false);
                input = b.input("x", rows, config.inputDimension());
                hidden = config.encoder().encode(frozen, input).mean();
                Node output = config.decoder().decode(frozen, hidden, config.likelihood());
                loss = config.likelihood().loss(frozen, output, input);
                Node visible = config.likelihood().readsLogits()
                        ? b.activation(output, config.decoder().outputActivation()) : output;
                recirculated = b.add(b.scale(input, lambda), b.scale(visible, 1 - lambda));
                Node second = config.encoder().encode(frozen, recirculated).mean();
                if (procedure.regressHidden) {
                    second = b.add(b.scale(hidden, lambda), b.scale(second, 1 - lambda));
                }
                visibleDifference = b.subtract(input, recirculated);
                hiddenDifference = b.subtract(hidden, second);
                graph = b.build();
            } catch (RuntimeException e) {
                b.abandon();
                throw e;
            }
        }

        @Override
        public double computeGradients(Tensor batch, long step) {
            graph.bind(input, batch);
            graph.forward();
            double objective = graph.scalar(loss);
            if (!Double.isFinite(objective)) {
                return objective;
            }
            double scale = -1.0 / rows;
            Gemm.multiply(model.pool, scale, visibleDifference.value(), true, hidden.value(), false, 0,
                    decoderWeight.grad());
            columnSums(visibleDifference.value(), scale, decoderBias.grad());
            Gemm.multiply(model.pool, scale, hiddenDifference.value(), true, recirculated.value(), false, 0,
                    encoderWeight.grad());
            columnSums(hiddenDifference.value(), scale, encoderBias.grad());
            return objective;
        }

        private static void columnSums(Tensor matrix, double scale, Tensor into) {
            int cols = matrix.cols();
            for (int j = 0; j < cols; j++) {
                into.setFlat(j, 0);
            }
            for (int i = 0; i < matrix.rows(); i++) {
                for (int j = 0; j < cols; j++) {
                    into.setFlat(j, into.getFlat(j) + scale * matrix.get(i, j));
                }
            }
        }

        @Override
        public void close() {
            graph.close();
        }
    }
}
