package ae.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.data.Dataset;
import ae.tensor.Activation;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seed 14.7: the penalty on the reconstruction, contraction in every pretrained layer, the degenerate solution. */
class ContractionWhereItCountsTest {
    private static final int D = 6;

    private static ModelConfig shallow(List<Penalty> penalties, boolean tied) {
        ModelConfig c = Presets.mirrored("test", D, new int[] {8}, Activation.SIGMOID, Activation.SIGMOID,
                Activation.SIGMOID, Likelihood.bernoulli(), penalties, Corruption.none());
        return c.withDecoder(c.decoder().withTied(tied));
    }

    /** Mean over rows of ||dr/dx||_F^2 by central differences of the reconstruction. */
    private static double reconstructionSensitivity(FittedAutoencoder model, Tensor x) {
        double h = 1e-2;
        double total = 0;
        try (TensorScope scope = TensorScope.open("sensitivity")) {
            Tensor plus = scope.allocateFloat(x.rows(), D);
            Tensor minus = scope.allocateFloat(x.rows(), D);
            for (int p = 0; p < D; p++) {
                for (int i = 0; i < x.rows(); i++) {
                    for (int q = 0; q < D; q++) {
                        plus.set(i, q, x.get(i, q) + (p == q ? h : 0));
                        minus.set(i, q, x.get(i, q) - (p == q ? h : 0));
                    }
                }
                Tensor up = model.reconstruct(plus, scope);
                Tensor down = model.reconstruct(minus, scope);
                for (int i = 0; i < x.rows(); i++) {
                    for (int j = 0; j < D; j++) {
                        double derivative = (up.get(i, j) - down.get(i, j)) / (2 * h);
                        total += derivative * derivative;
                    }
                }
            }
        }
        return total / x.rows();
    }

    @Test
    void reconstructionPenaltyMakesTheReconstructionContractAndSurvivesACheckpoint(@TempDir Path dir)
            throws IOException {
        try (Dataset data = TestData.swissRoll(256, D, 4);
             FittedAutoencoder plain = Autoencoder.of(shallow(List.of(), false))
                     .fit(data, TestData.quick(10), TrainingListener.none());
             FittedAutoencoder penalized = Autoencoder.of(shallow(List.of(new ReconstructionContractivePenalty(5)),
                     false)).fit(data, TestData.quick(10), TrainingListener.none())) {
            double free = reconstructionSensitivity(plain, data.features());
            double contracted = reconstructionSensitivity(penalized, data.features());
            assertTrue(contracted < 0.5 * free, "||dr/dx||^2: penalized " + contracted + ", plain " + free);
            Path file = dir.resolve("model.ckpt");
            penalized.save(file);
            assertTrue(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1)
                    .contains("reconstruction-contractive"));
            try (FittedAutoencoder loaded = FittedAutoencoder.load(file)) {
                assertEquals(penalized.config(), loaded.config());
            }
        }
    }

    /** The stacked CAE: the contractive penalty on every layer's pretraining makes the composed encoder contract. */
    @Test
    void contractivePretrainingMakesTheComposedEncoderContract() {
        ModelConfig plain = Presets.stacked(D, new int[] {8, 4}, 4, List.of(), Corruption.none());
        ModelConfig contractive = plain.withProcedure(plain.procedure().withPenalty(new ContractivePenalty(5)));
        assertEquals(List.of(new ContractivePenalty(5)), ((GreedyLayerWise) contractive.procedure())
                .layerPenalties());
        TrainingConfig training = TestData.quick(1);
        try (Dataset data = TestData.swissRoll(256, D, 5);
             FittedAutoencoder a = Autoencoder.of(plain).fit(data, training, TrainingListener.none());
             FittedAutoencoder b = Autoencoder.of(contractive).fit(data, training, TrainingListener.none())) {
            double free = a.meanJacobianNormSquared(data.features());
            double contracted = b.meanJacobianNormSquared(data.features());
            assertTrue(contracted < 0.5 * free, "||dh/dx||^2: contractive pretraining " + contracted + ", plain "
                    + free);
        }
    }

    /**
     * The degenerate solution (seed 14.7): untied, the penalty on the code is dodged by shrinking the encoder's
     * weights against the decoder's (the decoder/encoder norm ratio grows); tied weights cannot (with tied weights the same penalty shrinks the whole
     * map instead).
     */
    @Test
    void untiedContractiveAutoencoderShrinksTheEncoderAgainstTheDecoderAndTiedWeightsCannot() {
        List<Penalty> strong = List.of(new ContractivePenalty(2.0));
        TrainingConfig training = TestData.quick(30);
        try (Dataset data = TestData.swissRoll(256, D, 6);
             FittedAutoencoder plain = Autoencoder.of(shallow(List.of(), false)).fit(data, training,
                     TrainingListener.none());
             FittedAutoencoder untied = Autoencoder.of(shallow(strong, false)).fit(data, training,
                     TrainingListener.none());
             FittedAutoencoder tied = Autoencoder.of(shallow(strong, true)).fit(data, training,
                     TrainingListener.none())) {
            double plainRatio = norm(plain, "decoder.0.weight") / norm(plain, "encoder.0.weight");
            double untiedRatio = norm(untied, "decoder.0.weight") / norm(untied, "encoder.0.weight");
            assertTrue(untiedRatio > 2 * plainRatio, "decoder/encoder norms: untied CAE " + untiedRatio + ", plain "
                    + plainRatio);
            assertTrue(norm(untied, "encoder.0.weight") < norm(plain, "encoder.0.weight"), "the encoder shrinks");
            assertTrue(tied.parameters().stream().noneMatch(p -> p.name().equals("decoder.0.weight")),
                    "tied, the decoder reads the encoder's weights and has none of its own to grow");
        }
    }

    /**
     * {@code --max-decoder-norm}: every decoder column ends within the bound when the bound binds (a quarter of the
     * largest column the same CAE grows without it). In this short training the drift of the previous test is the
     * encoder shrinking, not the decoder growing (the unguarded CAE's decoder stays smaller than the plain model's),
     * so the bound does not undo it: docs/manifolds.md.
     */
    @Test
    void aDecoderColumnBoundHoldsAfterTraining() {
        List<Penalty> strong = List.of(new ContractivePenalty(2.0));
        TrainingConfig training = TestData.quick(30);
        ModelConfig untied = shallow(strong, false);
        try (Dataset data = TestData.swissRoll(256, D, 6);
             FittedAutoencoder unguarded = Autoencoder.of(untied).fit(data, training, TrainingListener.none())) {
            double bound = largestColumnNorm(unguarded, "decoder.0.weight") / 4;
            try (FittedAutoencoder guarded = Autoencoder.of(untied.withDecoder(untied.decoder()
                    .withMaxColumnNorm(bound))).fit(data, training, TrainingListener.none())) {
                assertTrue(largestColumnNorm(guarded, "decoder.0.weight") <= bound * (1 + 1e-5),
                        "largest guarded column " + largestColumnNorm(guarded, "decoder.0.weight") + ", bound "
                                + bound);
                assertEquals(bound, guarded.config().decoder().maxColumnNorm());
            }
        }
    }

    private static double largestColumnNorm(FittedAutoencoder model, String name) {
        Tensor w = model.parameter(name).value();
        double largest = 0;
        for (int j = 0; j < w.cols(); j++) {
            double s = 0;
            for (int i = 0; i < w.rows(); i++) {
                s += w.get(i, j) * w.get(i, j);
            }
            largest = Math.max(largest, Math.sqrt(s));
        }
        return largest;
    }

    private static double norm(FittedAutoencoder model, String name) {
        Tensor w = model.parameter(name).value();
        double s = 0;
        for (int i = 0; i < w.rows(); i++) {
            for (int j = 0; j < w.cols(); j++) {
                s += w.get(i, j) * w.get(i, j);
            }
        }
        return Math.sqrt(s);
    }
}
