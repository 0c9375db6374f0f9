package ae.models;

import ae.autodiff.Graph;
import ae.autodiff.GraphBuilder;
import ae.autodiff.Node;
import ae.autodiff.Parameter;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.List;

/**
 * Predictive sparse decomposition (Kavukcuoglu, Ranzato and LeCun, 2008; Deep Learning 14.8): a dictionary decoder D
 * whose columns (atoms) are kept at unit norm, a parametric encoder f(x) (a {@link PredictiveEncoder}) and the loss
 * <pre>  ||x - c - D h||^2 + lambda ||h||_1 + alpha ||h - f(x)||^2</pre>
 * (c the decoder's bias). Each step infers the codes h* of the batch by minimizing the loss over h with FISTA from f(x)
 * ({@link SparseCodeSolver}), then writes the gradients of D, c and the encoder's (G, W, b) with h* fixed; after the
 * optimizer's update, D's columns are rescaled to unit norm. At test time the code is f(x), with no optimization:
 * {@code encode} gives it, {@link #inferCodes} the optimized codes. One phase, {@code train}.
 */
public record PredictiveSparseDecomposition(double sparsity, double predictionWeight, int iterations)
        implements TrainingProcedure {
    public static final PartKind<PredictiveSparseDecomposition> KIND = PartKind.of(PredictiveSparseDecomposition.class,
            "predictive-sparse-decomposition", "alternates FISTA inference of sparse codes with a gradient step on"
                    + " the dictionary and on the encoder that predicts the codes",
            List.of(Setting.real("sparsity", 0.5, "--sparsity", "lambda, the weight of the codes' L1 norm",
                            PredictiveSparseDecomposition::sparsity),
                    Setting.real("prediction-weight", 1, "--prediction-weight",
                            "alpha, the weight of the encoder's prediction error ||h - f(x)||^2",
                            PredictiveSparseDecomposition::predictionWeight),
                    Setting.integer("iterations", 50, "--inference-iterations",
                            "FISTA iterations per training batch", PredictiveSparseDecomposition::iterations)),
            v -> new PredictiveSparseDecomposition(v.real("sparsity"), v.real("prediction-weight"),
                    v.integer("iterations")));

    /** A code value below this in magnitude counts as zero in {@link #fractionNearZero}. */
    public static final double ZERO = 1e-3;
    private static final int INFERENCE_ROWS = 256;

    /**
     * Checks the settings; throws {@link IllegalArgumentException} for a negative sparsity or another setting out of
     * range.
     */
    public PredictiveSparseDecomposition {
        if (!(sparsity >= 0) || !Double.isFinite(sparsity)) {
            throw new IllegalArgumentException("predictive sparse decomposition: sparsity must be >= 0, got "
                    + sparsity);
        }
        if (!(predictionWeight > 0) || !Double.isFinite(predictionWeight)) {
            throw new IllegalArgumentException("predictive sparse decomposition: the prediction weight must be > 0,"
                    + " got " + predictionWeight);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("predictive sparse decomposition: need >= 1 inference iteration, got "
                    + iterations);
        }
    }

    @Override
    public PartKind<PredictiveSparseDecomposition> kind() {
        return KIND;
    }

    @Override
    public void check(String model, Encoder encoder, Decoder decoder) {
        if (!(encoder instanceof PredictiveEncoder)) {
            throw new IllegalArgumentException("model '" + model + "': predictive sparse decomposition needs a"
                    + " predictive encoder (f(x) = G tanh(W x + b)), not " + encoder.kind().name());
        }
        if (decoder.layers().size() != 1 || decoder.tied()
                || decoder.outputActivation() != ae.tensor.Activation.IDENTITY) {
            throw new IllegalArgumentException("model '" + model + "': predictive sparse decomposition needs a"
                    + " dictionary decoder: one untied linear layer");
        }
    }

    @Override
    public List<PhasePlan> plan(ModelConfig model, int endToEndEpochs) {
        return List.of(new PhasePlan("train", endToEndEpochs, true));
    }

    @Override
    public List<Parameter> parameters(int phase, FittedAutoencoder model) {
        return model.params.all();
    }

    @Override
    public PhaseStep openStep(int phase, FittedAutoencoder model, int rows, long noiseSeed) {
        return new Step(this, model, rows);
    }

    /** The procedure of {@code model}, which must have been trained by predictive sparse decomposition. */
    public static PredictiveSparseDecomposition of(FittedAutoencoder model) {
        if (!(model.config().procedure() instanceof PredictiveSparseDecomposition psd)) {
            throw new IllegalArgumentException("model '" + model.config().name() + "' is trained by "
                    + model.config().procedure().kind().name() + ", not predictive sparse decomposition: it has no"
                    + " sparse codes to infer");
        }
        return psd;
    }

    /**
     * The optimized codes h* of the rows of {@code x} under {@code model}: {@code iterations} iterations of
     * {@code method} from f(x), with this procedure's lambda and alpha and the step from the Lipschitz constant;
     * {@code n x codeSize}, allocated in {@code into}.
     */
    public Tensor inferCodes(FittedAutoencoder model, Tensor x, SparseCodeSolver.Method method, int iterations,
                             TensorScope into) {
        if (iterations < 0) {
            throw new IllegalArgumentException("inference needs >= 0 iterations, got " + iterations);
        }
        Tensor codes = model.encode(x, into);
        Tensor dictionary = model.params.get("decoder.0.weight").value();
        Tensor offset = model.params.get("decoder.0.bias").value();
        int n = x.rows();
        int chunk = Math.min(INFERENCE_ROWS, Math.max(1, n));
        SparseCodeSolver solver = null;
        try (TensorScope scratch = TensorScope.open("psd inference")) {
            Tensor prediction = scratch.allocate(codes.dtype(), chunk, codes.cols());
            for (int from = 0; from < n; from += chunk) {
                int rows = Math.min(chunk, n - from);
                if (solver == null || rows != chunk) {
                    if (solver != null) {
                        solver.close();
                    }
                    solver = new SparseCodeSolver(rows, x.cols(), codes.cols(), x.dtype(), model.pool);
                    solver.setDictionary(dictionary, offset);
                }
                Tensor predicted = prediction.rows(0, rows);
                Tensor h = codes.rows(from, from + rows);
                predicted.copyFrom(h);
                solver.solve(x.rows(from, from + rows), predicted, sparsity, predictionWeight, method,
                        SparseCodeSolver.StepRule.LIPSCHITZ, iterations, 0, h);
            }
        } finally {
            if (solver != null) {
                solver.close();
            }
        }
        return codes;
    }

    /** The fraction of the values of {@code codes} below {@link #ZERO} in magnitude. */
    public static double fractionNearZero(Tensor codes) {
        long zeros = 0;
        long size = codes.size();
        for (long i = 0; i < size; i++) {
            zeros += Math.abs(codes.getFlat(i)) < ZERO ? 1 : 0;
        }
        return size == 0 ? 0 : (double) zeros / size;
    }

    /** Rescales each column of the dictionary (decoder.0.weight, features x atoms) to unit norm. */
    static void normalizeColumns(Tensor dictionary) {
        int features = dictionary.rows();
        int atoms = dictionary.cols();
        for (int j = 0; j < atoms; j++) {
            double squares = 0;
            for (int i = 0; i < features; i++) {
                double v = dictionary.get(i, j);
                squares += v * v;
            }
            if (squares == 0 || !Double.isFinite(squares)) {
                continue;
            }
            double scale = 1 / Math.sqrt(squares);
            for (int i = 0; i < features; i++) {
                dictionary.set(i, j, dictionary.get(i, j) * scale);
            }
        }
    }

    /**
     * One PSD step for batches of a fixed size: the encoder's prediction (a frozen graph), FISTA from it, then the
     * gradients of the loss at the inferred codes (a second graph, with the codes as an input).
     */
    private static final class Step implements PhaseStep {
        private final PredictiveSparseDecomposition procedure;
        private final Tensor dictionary;
        private final Tensor offset;
        private final Graph prediction;
        private final Node predictionInput;
        private final Node predicted;
        private final Graph training;
        private final Node trainingInput;
        private final Node codesInput;
        private final Node objective;
        private final TensorScope scope;
        private final Tensor codes;
        private final SparseCodeSolver solver;

        Step(PredictiveSparseDecomposition procedure, FittedAutoencoder model, int rows) {
            this.procedure = procedure;
            ModelParameters params = model.params;
            ModelConfig config = params.config;
            dictionary = params.get("decoder.0.weight").value();
            offset = params.get("decoder.0.bias").value();
            // The constraint holds from the first step on (and a resumed model's dictionary is already on it).
            normalizeColumns(dictionary);
            int code = config.codeSize();
            scope = TensorScope.open("psd step x" + rows);
            SparseCodeSolver s = null;
            Graph p = null;
            try {
                codes = scope.allocate(params.store.dtype(), rows, code);
                s = new SparseCodeSolver(rows, config.inputDimension(), code, params.store.dtype(), model.pool);
                GraphBuilder pb = Graph.builder(config.name() + " psd prediction x" + rows, params.store.dtype(),
                        model.pool);
                try {
                    GraphContext frozen = new GraphContext(pb, params, false, false);
                    predictionInput = pb.input("x", rows, config.inputDimension());
                    predicted = config.encoder().encode(frozen, predictionInput).mean();
                    p = pb.build();
                } catch (RuntimeException e) {
                    pb.abandon();
                    throw e;
                }
                GraphBuilder b = Graph.builder(config.name() + " psd training x" + rows, params.store.dtype(),
                        model.pool);
                try {
                    GraphContext learnable = new GraphContext(b, params, true, false);
                    trainingInput = b.input("x", rows, config.inputDimension());
                    codesInput = b.input("codes", rows, code);
                    Node f = config.encoder().encode(learnable, trainingInput).mean();
                    Node out = config.decoder().decode(learnable, codesInput, config.likelihood());
                    Node reconstruction = config.likelihood().loss(learnable, out, trainingInput);
                    Node predictionError = b.squaredError(f, codesInput);
                    Node total = b.add(reconstruction, b.scale(predictionError, procedure.predictionWeight));
                    if (procedure.sparsity > 0) {
                        total = b.add(total, b.scale(b.l1(codesInput), procedure.sparsity));
                    }
                    objective = total;
                    training = b.build();
                } catch (RuntimeException e) {
                    b.abandon();
                    throw e;
                }
                training.bind(codesInput, codes);
            } catch (RuntimeException e) {
                if (p != null) {
                    p.close();
                }
                if (s != null) {
                    s.close();
                }
                scope.close();
                throw e;
            }
            prediction = p;
            solver = s;
        }

        @Override
        public double computeGradients(Tensor batch, long step) {
            prediction.bind(predictionInput, batch);
            prediction.forward();
            Tensor f = predicted.value();
            codes.copyFrom(f);
            solver.setDictionary(dictionary, offset);
            solver.solve(batch, f, procedure.sparsity, procedure.predictionWeight, SparseCodeSolver.Method.FISTA,
                    SparseCodeSolver.StepRule.LIPSCHITZ, procedure.iterations, 0, codes);
            training.bind(trainingInput, batch);
            training.forward();
            double value = training.scalar(objective);
            if (!Double.isFinite(value)) {
                return value;
            }
            training.backward(objective);
            return value;
        }

        @Override
        public void afterUpdate() {
            normalizeColumns(dictionary);
        }

        @Override
        public void close() {
            training.close();
            prediction.close();
            solver.close();
            scope.close();
        }
    }
}
