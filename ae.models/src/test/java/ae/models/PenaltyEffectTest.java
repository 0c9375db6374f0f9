package ae.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.tensor.Activation;
import ae.data.Dataset;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each regularizer visibly does its job against the same model without it, same seed, same data. */
class PenaltyEffectTest {
    private static final int D = 16;

    private static FittedAutoencoder fit(ModelConfig config, Dataset data, int epochs) {
        return Autoencoder.of(config).fit(data, TestData.quick(epochs), TrainingListener.none());
    }

    private static double meanCodeActivation(FittedAutoencoder model, Dataset data) {
        try (TensorScope scope = TensorScope.open("codes")) {
            Tensor codes = model.encode(data.features(), scope);
            double sum = 0;
            for (long i = 0; i < codes.size(); i++) {
                sum += codes.getFlat(i);
            }
            return sum / codes.size();
        }
    }

    @Test
    void klSparsityMovesTheMeanActivationTowardRho() {
        double rho = 0.05;
        ModelConfig sparse = Presets.sparseKl(D, 12, rho, 1.0);
        try (Dataset data = TestData.swissRoll(512, D, 5);
             FittedAutoencoder withKl = fit(sparse, data, 8);
             FittedAutoencoder without = fit(sparse.withPenalties(List.of()), data, 8)) {
            double a = meanCodeActivation(withKl, data);
            double b = meanCodeActivation(without, data);
            System.out.printf("mean code activation: with KL %.4f, without %.4f (rho %.2f)%n", a, b, rho);
            assertTrue(Math.abs(a - rho) < 0.5 * Math.abs(b - rho), "with KL " + a + ", without " + b);
        }
    }

    @Test
    void l1MakesCodesSmaller() {
        ModelConfig sparse = Presets.sparseL1(D, 12, 0.05);
        try (Dataset data = TestData.swissRoll(512, D, 5);
             FittedAutoencoder withL1 = fit(sparse, data, 8);
             FittedAutoencoder without = fit(sparse.withPenalties(List.of()), data, 8)) {
            double a = meanCodeActivation(withL1, data);
            double b = meanCodeActivation(without, data);
            System.out.printf("mean ReLU code: with L1 %.4f, without %.4f%n", a, b);
            assertTrue(a < 0.5 * b, "with L1 " + a + ", without " + b);
        }
    }

    @Test
    void contractivePenaltyLowersTheJacobianNorm() {
        ModelConfig cae = Presets.contractive(D, 12, 0.5);
        try (Dataset data = TestData.swissRoll(512, D, 5);
             FittedAutoencoder withPenalty = fit(cae, data, 8);
             FittedAutoencoder without = fit(cae.withPenalties(List.of()), data, 8)) {
            double a = Math.sqrt(withPenalty.meanJacobianNormSquared(data.features()));
            double b = Math.sqrt(without.meanJacobianNormSquared(data.features()));
            System.out.printf("||J||_F: contractive %.4f, plain %.4f%n", a, b);
            assertTrue(a < 0.8 * b, "contractive " + a + ", plain " + b);
        }
    }

    @Test
    void weightDecayShrinksTheWeights() {
        ModelConfig plain = Presets.undercomplete(D, 8);
        try (Dataset data = TestData.swissRoll(256, D, 5);
             FittedAutoencoder decayed = fit(plain.withPenalties(List.of(new WeightDecayPenalty(0.05))), data, 6);
             FittedAutoencoder without = fit(plain, data, 6)) {
            double a = squaredWeights(decayed);
            double b = squaredWeights(without);
            System.out.printf("sum of squared weights: decayed %.4f, plain %.4f%n", a, b);
            assertTrue(a < 0.8 * b, "decayed " + a + ", plain " + b);
        }
    }

    private static double squaredWeights(FittedAutoencoder model) {
        double sum = 0;
        for (var p : model.parameters()) {
            if (p.name().endsWith(".weight")) {
                for (long i = 0; i < p.size(); i++) {
                    double v = p.value().getFlat(i);
                    sum += v * v;
                }
            }
        }
        return sum;
    }

    @Test
    void denoisingReconstructsCorruptedInputsBetter() {
        ModelConfig plain = Presets.mirrored("plain", D, new int[] {24}, Activation.SIGMOID, Activation.SIGMOID,
                Activation.SIGMOID, BernoulliLikelihood.INSTANCE, List.of(), Corruption.none());
        try (Dataset data = TestData.swissRoll(512, D, 5);
             FittedAutoencoder denoising = fit(plain.withCorruption(new MaskingNoise(0.25)), data, 16);
             FittedAutoencoder ordinary = fit(plain, data, 16);
             TensorScope scope = TensorScope.open("corrupted")) {
            Tensor clean = data.features();
            Tensor corrupted = scope.allocateFloat(clean.rows(), clean.cols());
            SplittableRandom random = new SplittableRandom(99);
            for (long i = 0; i < clean.size(); i++) {
                corrupted.setFlat(i, random.nextDouble() < 0.25 ? 0 : clean.getFlat(i));
            }
            double a = bceAgainstClean(denoising.reconstruct(corrupted, scope), clean);
            double b = bceAgainstClean(ordinary.reconstruct(corrupted, scope), clean);
            System.out.printf("BCE of reconstructions of masked inputs vs clean: denoising %.4f, plain %.4f%n", a, b);
            assertTrue(a < b, "denoising " + a + ", plain " + b);
        }
    }

    private static double bceAgainstClean(Tensor reconstruction, Tensor clean) {
        double total = 0;
        for (long i = 0; i < clean.size(); i++) {
            double r = Math.min(Math.max(reconstruction.getFlat(i), 1e-7), 1 - 1e-7);
            double t = clean.getFlat(i);
            total -= t * Math.log(r) + (1 - t) * Math.log(1 - r);
        }
        return total / clean.rows();
    }
}
