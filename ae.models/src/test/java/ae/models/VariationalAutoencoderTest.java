package ae.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.autodiff.Graph;
import ae.autodiff.GraphBuilder;
import ae.autodiff.GradientChecker;
import ae.autodiff.Node;
import ae.autodiff.Parameter;
import ae.data.Dataset;
import ae.tensor.Activation;
import ae.tensor.ComputePool;
import ae.tensor.DType;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The stochastic autoencoders of section 14.4: gradients, the reparameterization, the bounds, the prior. */
class VariationalAutoencoderTest {
    private static final int D = 12;

    private static ModelConfig vae(int hidden, int code, Likelihood likelihood) {
        ModelConfig base = Presets.vae(D, hidden, code);
        return likelihood == base.likelihood() ? base : base.withLikelihood(likelihood);
    }

    /** The training graph of {@code config} in float64, its parameters drawn from {@code seed}. */
    private static void assertGradientsAgree(ModelConfig config, long seed) {
        try (ModelParameters params = new ModelParameters(config, DType.F64)) {
            params.initialize(seed);
            for (String name : List.of("encoder.log-variance.bias", "encoder.mean.bias")) {
                if (params.store.parameters().stream().anyMatch(p -> p.name().equals(name))) {
                    // Clearly away from 0, so that exp(v/2) and the KL's log-variance terms are exercised.
                    params.get(name).value().fill(name.contains("variance") ? 0.4 : -0.3);
                }
            }
            ModelGraph g = ModelGraph.training(params, 3, seed, ComputePool.common());
            try (g) {
                TestData.fillInterior(g.input.value(), seed);
                g.graph.forward();
                assertTrue(g.code.logVariance() == null || maxAbs(g.code.logVariance().value()) > 0.1);
                GradientChecker.defaults().verify(g.graph, g.objective);
            }
        }
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (double v : t.toDoubleArray()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Test
    void gradientsThroughTheWholeVaeGraphMatchCentralDifferences() {
        assertGradientsAgree(vae(5, 3, Likelihood.bernoulli()), 1);
        assertGradientsAgree(vae(5, 3, Likelihood.gaussian()), 2);
        assertGradientsAgree(vae(5, 3, Likelihood.squaredError()), 3);
        assertGradientsAgree(vae(5, 3, Likelihood.bernoulli()).withEncoder(new GaussianEncoder(
                List.of(LayerSpec.of(5, Activation.TANH)), 3, 0.5)), 4);
        assertGradientsAgree(Presets.noisyCode(D, 4, 0.3), 5);
        assertGradientsAgree(vae(5, 3, Likelihood.bernoulli()).withPenalties(List.of(new ContractivePenalty(0.2),
                new WeightDecayPenalty(0.01))), 6);
    }

    @Test
    void aWrongGaussianLikelihoodGradientIsCaught() {
        // The Gaussian likelihood's backward with its log-variance gradient doubled must be rejected.
        try (ParameterStore64 s = new ParameterStore64()) {
            GraphBuilder b = Graph.builder("wrong gaussian", DType.F64);
            Node mean = b.inputWithGradient("mean", 2, 3);
            Parameter logVariance = s.store.create("log-variance", 3);
            logVariance.value().fill(0.2);
            Node target = b.input("target", 2, 3);
            ae.autodiff.Primitive right = GaussianLikelihood.NegativeLogLikelihood.INSTANCE;
            ae.autodiff.Primitive wrong = new ae.autodiff.Primitive() {
                @Override
                public String name() {
                    return "doubled";
                }

                @Override
                public void forward(Tensor[] inputs, Tensor output) {
                    right.forward(inputs, output);
                }

                @Override
                public void backward(Tensor[] inputs, Tensor output, Tensor outputGradient, Tensor[] grads) {
                    right.backward(inputs, output, outputGradient, grads);
                    right.backward(inputs, output, outputGradient, new Tensor[] {null, grads[1], null});
                }
            };
            Node loss = b.apply(wrong, 1, 1, mean, b.parameter(logVariance), target);
            try (Graph g = b.build()) {
                mean.value().copyFrom(new double[] {0.1, 0.5, -0.3, 1.2, 0.0, 0.7});
                target.value().copyFrom(new double[] {0.3, 0.2, 0.1, 0.9, -0.5, 0.4});
                GradientChecker.Report report = GradientChecker.defaults().check(g, loss);
                assertFalse(report.passed(), report.message());
                assertTrue(report.message().contains("log-variance"), report.message());
            }
        }
    }

    /** A float64 parameter store that closes itself. */
    private static final class ParameterStore64 implements AutoCloseable {
        final ae.autodiff.ParameterStore store = ae.autodiff.ParameterStore.open("test", DType.F64);

        @Override
        public void close() {
            store.close();
        }
    }

    @Test
    void theReparameterizedSampleIsTheMeanPlusTheStandardDeviationTimesTheNoise() {
        int rows = 4;
        int cols = 5;
        double[] mu = new double[rows * cols];
        double[] logVariance = new double[rows * cols];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < mu.length; i++) {
            mu[i] = random.nextDouble(-2, 2);
            logVariance[i] = random.nextDouble(-2, 2);
        }
        double[] eps;
        double[] z;
        // Two graphs with the same seed and the same op give the same draw: with mu = 0 and v = 0 it is eps itself.
        GraphBuilder plain = Graph.builder("eps", DType.F64).seed(9);
        Node zero = plain.input("zero", rows, cols);
        Node epsNode = plain.reparameterize(zero, zero);
        try (Graph g = plain.build()) {
            g.forward();
            eps = epsNode.value().toDoubleArray();
        }
        GraphBuilder b = Graph.builder("z", DType.F64).seed(9);
        Node m = b.input("mu", rows, cols);
        Node v = b.input("v", rows, cols);
        Node zNode = b.reparameterize(m, v);
        try (Graph g = b.build()) {
            m.value().copyFrom(mu);
            v.value().copyFrom(logVariance);
            g.forward();
            z = zNode.value().toDoubleArray();
        }
        for (int i = 0; i < z.length; i++) {
            assertEquals(mu[i] + Math.exp(logVariance[i] / 2) * eps[i], z[i], 1e-12, "element " + i);
        }
    }

    @Test
    void theElboOfEachRowIsTheHandComputedReconstructionTermMinusTheKl() {
        ModelConfig config = vae(6, 3, Likelihood.bernoulli());
        try (Dataset data = TestData.swissRoll(50, D, 4);
             FittedAutoencoder model = Autoencoder.of(config).fit(data, TestData.quick(2), TrainingListener.none());
             TensorScope scope = TensorScope.open("elbo")) {
            Tensor x = data.features();
            double[] elbo = model.elbo(x, 17);
            Tensor z = model.sampleCode(x, 17, scope);
            Tensor r = model.decode(z, scope);
            double[][] hidden = dense(x, model.parameter("encoder.0.weight").value(),
                    model.parameter("encoder.0.bias").value(), true);
            double[][] mean = dense(hidden, model.parameter("encoder.mean.weight").value(),
                    model.parameter("encoder.mean.bias").value());
            double[][] logVariance = dense(hidden, model.parameter("encoder.log-variance.weight").value(),
                    model.parameter("encoder.log-variance.bias").value());
            for (int i = 0; i < x.rows(); i++) {
                double bce = 0;
                for (int j = 0; j < D; j++) {
                    double p = r.get(i, j);
                    double t = x.get(i, j);
                    bce -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
                }
                double kl = 0;
                for (int j = 0; j < 3; j++) {
                    kl += 0.5 * (mean[i][j] * mean[i][j] + Math.exp(logVariance[i][j]) - 1 - logVariance[i][j]);
                }
                assertEquals(-bce - kl, elbo[i], 1e-3 * Math.max(1, Math.abs(elbo[i])), "row " + i);
            }
            assertEquals(-java.util.Arrays.stream(model.elbo(x, 0)).average().orElseThrow(), model.meanLoss(x), 1e-9);
        }
    }

    private static double[][] dense(Tensor x, Tensor w, Tensor b, boolean relu) {
        double[][] in = new double[x.rows()][x.cols()];
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.cols(); j++) {
                in[i][j] = x.get(i, j);
            }
        }
        double[][] out = dense(in, w, b);
        if (relu) {
            for (double[] row : out) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = Math.max(0, row[j]);
                }
            }
        }
        return out;
    }

    private static double[][] dense(double[][] x, Tensor w, Tensor b) {
        double[][] out = new double[x.length][w.rows()];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < w.rows(); o++) {
                double sum = b.getFlat(o);
                for (int k = 0; k < w.cols(); k++) {
                    sum += x[i][k] * w.get(o, k);
                }
                out[i][o] = sum;
            }
        }
        return out;
    }

    @Test
    void theImportanceWeightedBoundStartsAtTheElboAndRisesWithTheSamples() {
        // An untrained model: its q(h|x) is far from the posterior, so more samples tighten the bound visibly.
        try (Dataset data = TestData.swissRoll(300, D, 6);
             FittedAutoencoder model = Autoencoder.of(vae(16, 2, Likelihood.bernoulli())).initialize(
                     TestData.quick(1))) {
            Tensor x = data.features();
            double[] elbo = model.elbo(x, 1);
            double[] one = model.logLikelihood(x, 1, 2);
            double[] ten = model.logLikelihood(x, 10, 3);
            double[] hundred = model.logLikelihood(x, 100, 4);
            // k = 1 estimates the ELBO (with a sampled KL instead of the closed form): equal means within noise.
            double[] difference = new double[elbo.length];
            for (int i = 0; i < elbo.length; i++) {
                difference[i] = one[i] - elbo[i];
            }
            double se = standardError(difference);
            System.out.printf("ELBO %.4f, IWAE k=1 %.4f (se %.4f), k=10 %.4f, k=100 %.4f%n", mean(elbo), mean(one),
                    se, mean(ten), mean(hundred));
            assertTrue(Math.abs(mean(difference)) <= 3 * se, mean(difference) + " vs se " + se);
            assertTrue(mean(ten) > mean(one) + 3 * se, mean(ten) + " vs " + mean(one));
            assertTrue(mean(hundred) > mean(ten), mean(hundred) + " vs " + mean(ten));
            double[] gain = new double[elbo.length];
            double[] preciseElbo = model.elbo(x, 200, 5);
            for (int i = 0; i < elbo.length; i++) {
                gain[i] = hundred[i] - preciseElbo[i];
            }
            assertTrue(mean(gain) > 3 * standardError(gain), "IWAE-100 - ELBO: " + mean(gain) + ", se "
                    + standardError(gain));
            assertArrayEquals(hundred, model.logLikelihood(x, 100, 4), "a pure function of the seed");
        }
    }

    @Test
    void onALinearGaussianModelTheImportanceWeightedEstimateConvergesToTheExactLikelihood() {
        int d = 3;
        int m = 2;
        double[][] w = {{1.0, 0.5}, {-0.4, 0.8}, {0.3, -0.7}};
        double[] bias = {0.2, -0.1, 0.4};
        double sigma2 = 0.5;
        ModelConfig config = ModelConfig.of("linear-gaussian", d, new GaussianEncoder(List.of(), m, 1),
                new Decoder(List.of(LayerSpec.of(d, Activation.IDENTITY)), false), Likelihood.squaredError(),
                List.of(), Corruption.none());
        // The exact posterior: covariance S = (I + W^T W / sigma^2)^-1, mean S W^T (x - b) / sigma^2.
        double[][] precision = new double[m][m];
        for (int a = 0; a < m; a++) {
            for (int c = 0; c < m; c++) {
                double sum = a == c ? 1 : 0;
                for (int k = 0; k < d; k++) {
                    sum += w[k][a] * w[k][c] / sigma2;
                }
                precision[a][c] = sum;
            }
        }
        double det = precision[0][0] * precision[1][1] - precision[0][1] * precision[1][0];
        double[][] cov = {{precision[1][1] / det, -precision[0][1] / det},
                {-precision[1][0] / det, precision[0][0] / det}};
        double[][] gain = new double[m][d];
        for (int a = 0; a < m; a++) {
            for (int k = 0; k < d; k++) {
                double sum = 0;
                for (int c = 0; c < m; c++) {
                    sum += cov[a][c] * w[k][c] / sigma2;
                }
                gain[a][k] = sum;
            }
        }
        try (FittedAutoencoder model = Autoencoder.of(config).initialize(TestData.quick(1));
             TensorScope scope = TensorScope.open("linear gaussian")) {
            Tensor meanWeight = model.parameter("encoder.mean.weight").value();
            Tensor meanBias = model.parameter("encoder.mean.bias").value();
            for (int a = 0; a < m; a++) {
                double offset = 0;
                for (int k = 0; k < d; k++) {
                    meanWeight.set(a, k, gain[a][k]);
                    offset -= gain[a][k] * bias[k];
                }
                meanBias.setFlat(a, offset);
            }
            // A diagonal proposal, broader than the posterior's marginals, so that the weights have finite variance.
            model.parameter("encoder.log-variance.weight").value().fill(0);
            Tensor lvBias = model.parameter("encoder.log-variance.bias").value();
            for (int a = 0; a < m; a++) {
                lvBias.setFlat(a, Math.log(1.5 * cov[a][a]));
            }
            Tensor decoderWeight = model.parameter("decoder.0.weight").value();
            for (int k = 0; k < d; k++) {
                for (int a = 0; a < m; a++) {
                    decoderWeight.set(k, a, w[k][a]);
                }
                model.parameter("decoder.0.bias").value().setFlat(k, bias[k]);
            }
            double[][] points = {{0.5, -0.2, 1.0}, {-1.0, 0.7, 0.1}, {2.0, 1.5, -1.2}};
            Tensor x = scope.allocateFloat(points.length, d);
            for (int i = 0; i < points.length; i++) {
                for (int k = 0; k < d; k++) {
                    x.set(i, k, points[i][k]);
                }
            }
            int runs = 20;
            double[][] estimates = new double[points.length][runs];
            for (int r = 0; r < runs; r++) {
                double[] ll = model.logLikelihood(x, 500, 100 + r);
                for (int i = 0; i < points.length; i++) {
                    estimates[i][r] = ll[i];
                }
            }
            double[] elbo = model.elbo(x, 4000, 5);
            for (int i = 0; i < points.length; i++) {
                double exact = exactLogLikelihood(points[i], w, bias, sigma2);
                double estimate = mean(estimates[i]);
                double se = standardError(estimates[i]);
                System.out.printf("x%d: exact log p(x) %.5f, IWAE-500 %.5f (se %.5f), ELBO %.4f%n", i, exact,
                        estimate, se, elbo[i]);
                assertTrue(Math.abs(estimate - exact) <= 3 * se + 1e-4, i + ": " + estimate + " vs " + exact
                        + " (se " + se + ")");
                assertTrue(elbo[i] < exact, "the ELBO is a lower bound");
            }
        }
    }

    /** log N(x; b, W W^T + sigma^2 I). */
    private static double exactLogLikelihood(double[] x, double[][] w, double[] b, double sigma2) {
        int d = x.length;
        double[][] c = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double sum = i == j ? sigma2 : 0;
                for (int a = 0; a < w[0].length; a++) {
                    sum += w[i][a] * w[j][a];
                }
                c[i][j] = sum;
            }
        }
        // Cholesky of the 3 x 3 covariance.
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = c[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i][k] * l[j][k];
                }
                l[i][j] = i == j ? Math.sqrt(sum) : sum / l[j][j];
            }
        }
        double[] y = new double[d];
        double logDet = 0;
        for (int i = 0; i < d; i++) {
            double sum = x[i] - b[i];
            for (int k = 0; k < i; k++) {
                sum -= l[i][k] * y[k];
            }
            y[i] = sum / l[i][i];
            logDet += 2 * Math.log(l[i][i]);
        }
        double quad = 0;
        for (double v : y) {
            quad += v * v;
        }
        return -0.5 * (quad + logDet + d * Math.log(2 * Math.PI));
    }

    @Test
    void samplesFromThePriorHaveItsMeanAndVariance() {
        try (FittedAutoencoder model = Autoencoder.of(vae(8, 4, Likelihood.bernoulli())).initialize(TestData.quick(1));
             TensorScope scope = TensorScope.open("prior")) {
            int n = 20_000;
            Tensor codes = model.samplePrior(n, 7, scope);
            for (int j = 0; j < 4; j++) {
                double sum = 0;
                double squares = 0;
                for (int i = 0; i < n; i++) {
                    double v = codes.get(i, j);
                    sum += v;
                    squares += v * v;
                }
                double mean = sum / n;
                double variance = squares / n - mean * mean;
                assertTrue(Math.abs(mean) < 4 / Math.sqrt(n), "unit " + j + " mean " + mean);
                assertTrue(Math.abs(variance - 1) < 4 * Math.sqrt(2.0 / n), "unit " + j + " variance " + variance);
            }
            assertArrayEquals(model.decode(model.samplePrior(10, 3, scope), scope).toFloatArray(),
                    model.sample(10, 3, scope).toFloatArray());
            assertFalse(java.util.Arrays.equals(model.sample(10, 3, scope).toFloatArray(),
                    model.sample(10, 4, scope).toFloatArray()));
        }
    }

    @Test
    void encodeGivesTheMeanAndSampleCodeADrawFromTheSeed() {
        try (Dataset data = TestData.swissRoll(40, D, 2);
             FittedAutoencoder model = Autoencoder.of(vae(8, 3, Likelihood.bernoulli())).fit(data, TestData.quick(1),
                     TrainingListener.none());
             TensorScope scope = TensorScope.open("codes")) {
            Tensor x = data.features();
            float[] mean = model.encode(x, scope).toFloatArray();
            float[] one = model.sampleCode(x, 1, scope).toFloatArray();
            assertArrayEquals(one, model.sampleCode(x, 1, scope).toFloatArray());
            assertFalse(java.util.Arrays.equals(one, model.sampleCode(x, 2, scope).toFloatArray()));
            assertFalse(java.util.Arrays.equals(one, mean));
            double[] scores = model.scoreSamples(x);
            double[] probability = model.reconstructionLogProbability(x, FittedAutoencoder.SCORE_SAMPLES, 0);
            for (int i = 0; i < scores.length; i++) {
                assertEquals(-probability[i], scores[i], 0);
            }
        }
    }

    @Test
    void modelsWithoutAPriorRefuseWhatNeedsOne() {
        try (Dataset data = TestData.swissRoll(40, D, 2);
             FittedAutoencoder model = Autoencoder.of(Presets.noisyCode(D, 4, 0.2)).fit(data, TestData.quick(1),
                     TrainingListener.none());
             TensorScope scope = TensorScope.open("refused")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.sample(3, 0, scope));
            assertTrue(e.getMessage().contains("noisy-code") && e.getMessage().contains("prior"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> model.logLikelihood(data.features(), 5, 0));
            // A stochastic encoder without a prior still samples codes, and encodes to its mean.
            assertFalse(java.util.Arrays.equals(model.sampleCode(data.features(), 1, scope).toFloatArray(),
                    model.encode(data.features(), scope).toFloatArray()));
        }
    }

    static double mean(double[] values) {
        return java.util.Arrays.stream(values).average().orElseThrow();
    }

    static double standardError(double[] values) {
        double m = mean(values);
        double squares = 0;
        for (double v : values) {
            squares += (v - m) * (v - m);
        }
        return Math.sqrt(squares / (values.length - 1) / values.length);
    }
}
