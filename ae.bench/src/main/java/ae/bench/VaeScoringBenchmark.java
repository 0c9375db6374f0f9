package ae.bench;

import ae.data.Dataset;
import ae.data.Datasets;
import ae.models.Autoencoder;
import ae.models.FittedAutoencoder;
import ae.models.OptimizerConfig;
import ae.models.Presets;
import ae.models.TrainingConfig;
import ae.models.TrainingListener;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
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
 * The cost of a VAE's Monte Carlo anomaly scores against a plain reconstruction pass, on the rows of the embedded
 * Fashion-MNIST sample: {@code reconstruct} once, and the reconstruction log-probability and the importance-weighted
 * log-likelihood with {@code samples} draws of q(h|x) per row. Divide a Monte Carlo time by {@code samples} and by the
 * reconstruction time to get its cost per draw in reconstruction passes (the goal: at most 2).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class VaeScoringBenchmark {
    /** The R6 VAE trained briefly (the weights do not change the cost) and the rows it scores. */
    @State(Scope.Benchmark)
    public static class Model {
        @Param({"16"})
        public int samples;

        @Param({"1"})
        public int threads;

        Dataset data;
        FittedAutoencoder model;
        Tensor rows;

        @Setup(Level.Trial)
        public void train() throws java.io.IOException {
            data = Datasets.load("fashion-mnist-sample");
            model = Autoencoder.of(Presets.reference("R6")).fit(data, TrainingConfig.defaults().withEpochs(1)
                    .withBatchSize(128).withThreads(threads).withSeed(1).withOptimizer(OptimizerConfig.adam(1e-3)),
                    TrainingListener.none());
            rows = data.features();
        }

        @TearDown(Level.Trial)
        public void close() {
            model.close();
            data.close();
        }
    }

    @Benchmark
    public float reconstruction(Model m) {
        try (TensorScope scope = TensorScope.open("reconstructions")) {
            return (float) m.model.reconstruct(m.rows, scope).getFlat(0);
        }
    }

    @Benchmark
    public double[] reconstructionProbability(Model m) {
        return m.model.reconstructionLogProbability(m.rows, m.samples, 0);
    }

    @Benchmark
    public double[] importanceWeighted(Model m) {
        return m.model.logLikelihood(m.rows, m.samples, 0);
    }
}
