package ae.bench;

import ae.data.Dataset;
import ae.data.Datasets;
import ae.models.Autoencoder;
import ae.models.FittedAutoencoder;
import ae.models.OptimizerConfig;
import ae.models.PredictiveSparseDecomposition;
import ae.models.Presets;
import ae.models.SparseCodeSolver;
import ae.models.TrainingConfig;
import ae.models.TrainingListener;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The trade predictive sparse decomposition exists for: encoding a batch of 256 Fashion-MNIST images with the
 * parametric encoder f(x), one layer, against inferring their codes with FISTA from f(x) ({@code iterations} of it).
 * The model is the {@code psd} preset (784 -> 256 atoms) trained in the set-up for {@code epochs} epochs on the
 * embedded sample; the set-up prints each method's reconstruction error ||x - c - D h||^2 per image and the fraction
 * of code values below 1e-3, the accuracy the time buys.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class PsdInferenceBenchmark {
    static final int BATCH = 256;

    /** A trained PSD model and a held-out batch. */
    @State(Scope.Benchmark)
    public static class Model {
        @Param({"10", "50", "200"})
        public int iterations;

        @Param({"3"})
        public int epochs;

        @Param({"1"})
        public int threads;

        Dataset data;
        FittedAutoencoder model;
        PredictiveSparseDecomposition psd;
        Tensor batch;

        @Setup(Level.Trial)
        public void train() throws java.io.IOException {
            data = Datasets.load("fashion-mnist-sample");
            int held = data.size() - BATCH;
            try (Dataset training = data.subset("training", java.util.stream.IntStream.range(0, held).toArray())) {
                model = Autoencoder.of(Presets.byName("psd", data.dimension())).fit(training, TrainingConfig
                        .defaults().withEpochs(epochs).withBatchSize(128).withThreads(threads).withSeed(1)
                        .withOptimizer(OptimizerConfig.adam(1e-3)), TrainingListener.none());
            }
            psd = PredictiveSparseDecomposition.of(model);
            batch = data.features().rows(held, data.size());
            try (TensorScope scope = TensorScope.open("accuracy")) {
                Tensor predicted = model.encode(batch, scope);
                Tensor inferred = psd.inferCodes(model, batch, SparseCodeSolver.Method.FISTA, iterations, scope);
                System.out.printf(Locale.ROOT, "%npsd after %d epochs, %d held-out images: reconstruction error"
                                + " per image %.3f with f(x), %.3f with %d FISTA iterations; |h| < 1e-3: %.1f%% of f(x),"
                                + " %.1f%% of h*%n", epochs, BATCH, squaredError(model, batch, predicted, scope),
                        squaredError(model, batch, inferred, scope), iterations,
                        100 * PredictiveSparseDecomposition.fractionNearZero(predicted),
                        100 * PredictiveSparseDecomposition.fractionNearZero(inferred));
            }
        }

        private static double squaredError(FittedAutoencoder model, Tensor x, Tensor codes, TensorScope scope) {
            Tensor reconstruction = model.decode(codes, scope);
            double total = 0;
            for (long i = 0; i < x.size(); i++) {
                double d = x.getFlat(i) - reconstruction.getFlat(i);
                total += d * d;
            }
            return total / x.rows();
        }

        @TearDown(Level.Trial)
        public void free() {
            model.close();
            data.close();
        }
    }

    @Benchmark
    public Tensor predictWithTheEncoder(Model m) {
        try (TensorScope scope = TensorScope.open("codes")) {
            return m.model.encode(m.batch, scope);
        }
    }

    @Benchmark
    public Tensor inferWithFista(Model m) {
        try (TensorScope scope = TensorScope.open("codes")) {
            return m.psd.inferCodes(m.model, m.batch, SparseCodeSolver.Method.FISTA, m.iterations, scope);
        }
    }
}
