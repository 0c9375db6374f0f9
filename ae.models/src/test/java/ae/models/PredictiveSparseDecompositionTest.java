package ae.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.autodiff.GradientChecker;
import ae.autodiff.Graph;
import ae.autodiff.GraphBuilder;
import ae.autodiff.Node;
import ae.autodiff.Parameter;
import ae.data.Dataset;
import ae.tensor.DType;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Predictive sparse decomposition: the encoder's gain, the dictionary's constraint, codes and their prediction. */
class PredictiveSparseDecompositionTest {
    private static final int D = 16;
    private static final int CODE = 24;

    private static ModelConfig model() {
        return Presets.psd(D, CODE, 0.1, 1);
    }

    private static Dataset data() {
        return TestData.swissRoll(512, D, 3);
    }

    @Test
    void theGainsGradientMatchesCentralDifferences() {
        try (ae.autodiff.ParameterStore store = ae.autodiff.ParameterStore.open("gain", DType.F64)) {
            GraphBuilder b = Graph.builder("gain", DType.F64);
            Node h = b.inputWithGradient("h", 3, 4);
            Parameter gain = store.create("gain", 4);
            gain.value().copyFrom(new double[] {0.5, -1.5, 2, 0.25});
            Node out = b.apply(PredictiveEncoder.ColumnGain.INSTANCE, 3, 4, h, b.parameter(gain));
            Node target = b.input("target", 3, 4);
            Node loss = b.squaredError(out, target);
            try (Graph g = b.build()) {
                h.value().copyFrom(new double[] {0.1, -0.4, 0.9, 0.3, -0.7, 0.2, 0.5, -0.1, 0.6, 0.8, -0.3, 0.4});
                target.value().copyFrom(new double[] {1, 0, -1, 0.5, 0.2, 0.3, -0.4, 0.1, 0, 0.7, 0.2, -0.6});
                GradientChecker.Report report = GradientChecker.defaults().check(g, loss);
                assertTrue(report.passed(), report.message());
            }
        }
    }

    /** The model's graph with the gain away from 1: the encoder's parameters and the dictionary, in float64. */
    @Test
    void thePsdModelsGraphPassesTheGradientCheck() {
        try (ModelParameters params = new ModelParameters(Presets.psd(5, 3, 0.1, 1), DType.F64)) {
            params.initialize(4);
            params.get("encoder.gain").value().copyFrom(new double[] {0.7, -1.3, 2.1});
            try (ModelGraph g = ModelGraph.training(params, 3, 4, ae.tensor.ComputePool.common())) {
                TestData.fillInterior(g.input.value(), 4);
                g.graph.forward();
                GradientChecker.defaults().verify(g.graph, g.objective);
            }
        }
    }

    @Test
    void theDictionarysColumnsStayAtUnitNorm() {
        try (Dataset data = data();
             FittedAutoencoder model = Autoencoder.of(model()).fit(data, TestData.quick(3), TrainingListener.none())) {
            Tensor dictionary = model.parameter("decoder.0.weight").value();
            for (int j = 0; j < CODE; j++) {
                double squares = 0;
                for (int i = 0; i < D; i++) {
                    squares += dictionary.get(i, j) * dictionary.get(i, j);
                }
                assertEquals(1, Math.sqrt(squares), 1e-5, "column " + j);
            }
        }
    }

    /** The mean over rows of ||h* - f(x)||^2, h* by FISTA. */
    private static double predictionError(FittedAutoencoder model, Dataset data) {
        try (TensorScope scope = TensorScope.open("prediction error")) {
            Tensor predicted = model.encode(data.features(), scope);
            Tensor inferred = PredictiveSparseDecomposition.of(model).inferCodes(model, data.features(),
                    SparseCodeSolver.Method.FISTA, 100, scope);
            double total = 0;
            for (long i = 0; i < predicted.size(); i++) {
                double d = predicted.getFlat(i) - inferred.getFlat(i);
                total += d * d;
            }
            return total / data.size();
        }
    }

    @Test
    void theEncodersPredictionErrorFallsAndTheInferredCodesAreSparse() {
        try (Dataset data = data();
             FittedAutoencoder model = Autoencoder.of(model()).fit(data, TestData.quick(1), TrainingListener.none())) {
            double early = predictionError(model, data);
            model.resume(data, TestData.quick(8), TrainingListener.none());
            double late = predictionError(model, data);
            assertTrue(late < 0.7 * early, "||h* - f(x)||^2 went from " + early + " to " + late);
            try (TensorScope scope = TensorScope.open("codes")) {
                Tensor inferred = PredictiveSparseDecomposition.of(model).inferCodes(model, data.features(),
                        SparseCodeSolver.Method.FISTA, 100, scope);
                double zeros = PredictiveSparseDecomposition.fractionNearZero(inferred);
                double predictedZeros = PredictiveSparseDecomposition.fractionNearZero(model.encode(data.features(),
                        scope));
                System.out.printf("psd on a swiss roll in %d dimensions, %d atoms: ||h* - f(x)||^2 %.4f after 1"
                                + " epoch, %.4f after 8; |h*| < 1e-3: %.1f%% of values (f(x): %.1f%%)%n", D, CODE,
                        early, late, 100 * zeros, 100 * predictedZeros);
                assertTrue(zeros > 0.25, "only " + zeros + " of the inferred code values are near zero");
            }
        }
    }

    @Test
    void inferredCodesLowerTheObjectiveBelowThePredictions() {
        try (Dataset data = data();
             FittedAutoencoder model = Autoencoder.of(model()).fit(data, TestData.quick(2), TrainingListener.none());
             TensorScope scope = TensorScope.open("objective")) {
            Tensor x = data.features().rows(0, 64);
            Tensor predicted = model.encode(x, scope);
            Tensor inferred = PredictiveSparseDecomposition.of(model).inferCodes(model, x,
                    SparseCodeSolver.Method.FISTA, 50, scope);
            try (SparseCodeSolver solver = new SparseCodeSolver(64, D, CODE, DType.F32, model.pool)) {
                Tensor offset = model.parameter("decoder.0.bias").value();
                solver.setDictionary(model.parameter("decoder.0.weight").value(), offset);
                double atPrediction = solver.objective(x, offset, predicted, predicted, 0.1, 1);
                double atInference = solver.objective(x, offset, predicted, inferred, 0.1, 1);
                assertTrue(atInference < atPrediction, atInference + " >= " + atPrediction);
            }
            Tensor none = PredictiveSparseDecomposition.of(model).inferCodes(model, x,
                    SparseCodeSolver.Method.FISTA, 0, scope);
            assertArrayEquals(predicted.toFloatArray(), none.toFloatArray(), "0 iterations leave f(x)");
        }
    }

    @Test
    void aCheckpointRoundTripsTheModelAndItsProcedure(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("psd.ckpt");
        try (Dataset data = data();
             FittedAutoencoder model = Autoencoder.of(model()).fit(data, TestData.quick(1), TrainingListener.none());
             TensorScope scope = TensorScope.open("round trip")) {
            model.save(file);
            try (FittedAutoencoder loaded = FittedAutoencoder.load(file)) {
                assertEquals(model.config(), loaded.config());
                Tensor x = data.features().rows(0, 20);
                assertArrayEquals(model.encode(x, scope).toFloatArray(), loaded.encode(x, scope).toFloatArray());
                assertArrayEquals(PredictiveSparseDecomposition.of(model).inferCodes(model, x,
                                SparseCodeSolver.Method.FISTA, 20, scope).toFloatArray(),
                        PredictiveSparseDecomposition.of(loaded).inferCodes(loaded, x, SparseCodeSolver.Method.FISTA,
                                20, scope).toFloatArray());
            }
        }
    }

    @Test
    void refusesAnEncoderOrDecoderItCannotTrain() {
        ModelConfig psd = model();
        IllegalArgumentException encoder = assertThrows(IllegalArgumentException.class,
                () -> Presets.undercomplete(D, 4).withLikelihood(SquaredErrorLikelihood.INSTANCE)
                        .withProcedure(psd.procedure()));
        assertTrue(encoder.getMessage().contains("predictive encoder"), encoder.getMessage());
        IllegalArgumentException decoder = assertThrows(IllegalArgumentException.class,
                () -> psd.withDecoder(new Decoder(List.of(LayerSpec.of(8, ae.tensor.Activation.TANH),
                        LayerSpec.of(D, ae.tensor.Activation.IDENTITY)), false)));
        assertTrue(decoder.getMessage().contains("dictionary"), decoder.getMessage());
        try (Dataset data = data();
             FittedAutoencoder other = Autoencoder.of(Presets.undercomplete(D, 4)).fit(data, TestData.quick(1),
                     TrainingListener.none())) {
            assertThrows(IllegalArgumentException.class, () -> PredictiveSparseDecomposition.of(other));
        }
    }
}
