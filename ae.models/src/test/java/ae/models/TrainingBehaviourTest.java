package ae.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.tensor.Activation;
import ae.autodiff.Parameter;
import ae.data.Dataset;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainingBehaviourTest {
    private static final int D = 16;

    @Test
    void theSameSeedAndThreadCountGiveTheSameBits() {
        ModelConfig config = Presets.denoising(D, 6, new Corruption.SaltAndPepper(0.1))
                .withPenalties(List.of(new Penalty.Contractive(0.1)));
        TrainingConfig training = TestData.quick(3).withThreads(2);
        try (Dataset data = TestData.swissRoll(256, D, 8);
             FittedAutoencoder a = Autoencoder.of(config).fit(data, training, TrainingListener.none());
             FittedAutoencoder b = Autoencoder.of(config).fit(data, training, TrainingListener.none())) {
            CheckpointTest.assertSameParameters(a, b);
        }
    }

    @Test
    void aDivergingRunStopsWithAMessageAndKeepsTheLastGoodEpoch() {
        ModelConfig linear = ModelConfig.of("linear", Architecture.shallow(D, 4, Activation.IDENTITY,
                Activation.IDENTITY), ReconstructionLoss.SQUARED_ERROR, List.of(), Corruption.none());
        TrainingConfig explosive = TestData.quick(30).withOptimizer(OptimizerConfig.momentum(0.5, 0.9));
        try (Dataset data = TestData.swissRoll(256, D, 8);
             FittedAutoencoder diverged = Autoencoder.of(linear).fit(data, explosive, TrainingListener.none())) {
            TrainingHistory h = diverged.history();
            assertEquals(TrainingHistory.Outcome.DIVERGED, h.outcome(), h.message());
            int good = h.epochs().size();
            assertTrue(h.message().contains("epoch " + (good + 1)) && h.message().contains("end of epoch " + good)
                    && (h.message().contains("NaN") || h.message().contains("infinite")), h.message());
            for (Parameter p : diverged.parameters()) {
                for (float v : p.value().toFloatArray()) {
                    assertTrue(Float.isFinite(v), p.name());
                }
            }
            try (FittedAutoencoder lastGood = Autoencoder.of(linear).fit(data, explosive.withEpochs(good),
                    TrainingListener.none())) {
                CheckpointTest.assertSameParameters(lastGood, diverged);
            }
        }
    }

    @Test
    void earlyStoppingEndsTrainingWhenValidationStopsImproving() {
        // So small a rate that float32 parameters cannot move: the validation loss stays put.
        TrainingConfig frozen = TestData.quick(20).withOptimizer(OptimizerConfig.adam(1e-12)).withValidation(0.25, 2);
        try (Dataset data = TestData.swissRoll(128, D, 8);
             FittedAutoencoder model = Autoencoder.of(Presets.undercomplete(D, 4)).fit(data, frozen,
                     TrainingListener.none())) {
            TrainingHistory h = model.history();
            assertEquals(TrainingHistory.Outcome.EARLY_STOPPED, h.outcome(), h.message());
            assertEquals(3, h.epochs().size());
            assertTrue(h.message().contains("keeps epoch 1's parameters"), h.message());
            assertTrue(Double.isFinite(h.last().validationLoss()));
        }
    }

    /** Records the training thread's allocated bytes after every step, into a preallocated array. */
    private static final class AllocationProbe implements TrainingListener {
        private final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        private final int measuredEpoch;
        private final long[] allocated = new long[2048];
        private int steps;

        AllocationProbe(int measuredEpoch) {
            this.measuredEpoch = measuredEpoch;
        }

        @Override
        public void onStep(String phase, int epoch, int step, int stepsPerEpoch, double loss) {
            if (epoch == measuredEpoch) {
                allocated[steps++] = threads.getCurrentThreadAllocatedBytes();
            }
        }

        String summary() {
            int nonzero = 0;
            long total = 0;
            for (int i = 1; i < steps; i++) {
                long d = allocated[i] - allocated[i - 1];
                nonzero += d > 0 ? 1 : 0;
                total += d;
            }
            return nonzero + " of " + (steps - 1) + " steps allocated, " + total + " bytes in all";
        }

        /** The most bytes allocated between two consecutive steps of the measured epoch. */
        long worstStep() {
            long worst = 0;
            for (int i = 1; i < steps; i++) {
                worst = Math.max(worst, allocated[i] - allocated[i - 1]);
            }
            return worst;
        }
    }

    /**
     * The workloads' own layer kinds, penalties and corruption at a sixteenth of their widths (still multiples of the
     * vector lanes, as 784, 512, 256 and 64 are), measured in the last epoch of a run long enough (some 20,000
     * steps: C2 compiles the kernels' vector code one method at a time) to be in steady state.
     */
    @ParameterizedTest
    @CsvSource({"R1, 1", "R2, 1", "R3, 1", "R4, 1", "R5, 1", "R1, 2"})
    void aSteadyStateTrainingStepAllocatesAtMostOneKibibyte(String workload, int threads) {
        int d = 32;
        ModelConfig reference = Presets.reference(workload);
        Architecture a = reference.architecture();
        List<LayerSpec> encoder = a.encoder().stream().map(l -> LayerSpec.of(l.units() / 16, l.activation())).toList();
        List<LayerSpec> decoder = new java.util.ArrayList<>();
        for (int i = 0; i < a.decoder().size() - 1; i++) {
            decoder.add(LayerSpec.of(a.decoder().get(i).units() / 16, a.decoder().get(i).activation()));
        }
        decoder.add(LayerSpec.of(d, a.decoder().getLast().activation()));
        ModelConfig small = reference.withArchitecture(new Architecture(d, encoder, decoder, false,
                a.initialization()));
        int epochs = 20;
        AllocationProbe probe = new AllocationProbe(epochs);
        try (Dataset data = TestData.swissRoll(16 * 1024, d, 8);
             FittedAutoencoder model = Autoencoder.of(small).fit(data, TestData.quick(epochs).withBatchSize(16)
                             .withThreads(threads),
                     probe)) {
            assertEquals(TrainingHistory.Outcome.COMPLETED, model.history().outcome());
            long worst = probe.worstStep();
            System.out.printf("%s at %d threads: at most %d heap bytes per steady-state step (%s)%n", workload, threads,
                    worst, probe.summary());
            assertTrue(worst <= 1024, workload + ": " + worst + " bytes allocated in one step");
        }
    }
}
