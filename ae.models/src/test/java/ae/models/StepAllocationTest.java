package ae.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.data.Dataset;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A steady-state training step allocates at most 1 KiB on the training thread's heap, as ThreadMXBean counts it.
 *
 * <p>ae.models' pom runs this class twice, each in its own JVM: with the SIMD kernels users run, under
 * {@code -Xbatch} so that the JIT has compiled the Vector API code by the measured epoch; and with
 * {@code -Dae.simd=false}, the scalar reference kernels, which isolates what ae.models, ae.autodiff and ae.data
 * do around the kernels (the loop, batching, graph replay, loss checks, optimizer dispatch).
 */
class StepAllocationTest {
    /** Records the training thread's allocated bytes after every step, into a preallocated array. */
    private static final class AllocationProbe implements TrainingListener {
        private final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        private final int measuredEpoch;
        private final String measuredPhase;
        private final long[] allocated = new long[2048];
        private int steps;

        AllocationProbe(int measuredEpoch) {
            this(measuredEpoch, null);
        }

        /** Measures epoch {@code measuredEpoch} of the phase {@code measuredPhase} (null: of every phase). */
        AllocationProbe(int measuredEpoch, String measuredPhase) {
            this.measuredEpoch = measuredEpoch;
            this.measuredPhase = measuredPhase;
        }

        @Override
        public void onStep(String phase, int epoch, int step, int stepsPerEpoch, double loss) {
            if (epoch == measuredEpoch && (measuredPhase == null || measuredPhase.equals(phase))) {
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

        /** Mean bytes allocated per step of the measured epoch: the "heap bytes per step". */
        double meanPerStep() {
            return (double) (allocated[steps - 1] - allocated[0]) / (steps - 1);
        }
    }

    /**
     * The workloads' own layer kinds, penalties and corruption at a sixteenth of their widths (still multiples of the
     * vector lanes, as 784, 512, 256 and 64 are), measured in the last epoch of a run of some 2,000 steps, by
     * when the JIT has compiled the step: steady state.
     */
    @ParameterizedTest
    @CsvSource({"R1, 1", "R2, 1", "R3, 1", "R4, 1", "R5, 1", "R6, 1", "R1, 2", "R6, 2"})
    void aSteadyStateTrainingStepAllocatesAtMostOneKibibyte(String workload, int threads) {
        int d = 32;
        ModelConfig reference = Presets.reference(workload);
        ModelConfig small = smaller(reference, d);
        int epochs = 8;
        AllocationProbe probe = new AllocationProbe(epochs);
        TrainingConfig training = TestData.quick(epochs).withBatchSize(16).withThreads(threads);
        try (Dataset data = TestData.swissRoll(4 * 1024, d, 8)) {
            // A first, unmeasured fit of the same model: until C2 has compiled them, the Vector API kernels run
            // on their Java fallback, which allocates a vector object per operation.
            Autoencoder.of(small).fit(data, training, TrainingListener.none()).close();
            measure(workload, threads, Autoencoder.of(small).fit(data, training, probe), probe);
        }
    }

    /**
     * A steady-state step of RBM pretraining (the second RBM of a sigmoid stack, so that the frozen layer below runs
     * too: contrastive divergence's products, samples and SGD updates), in its last epoch.
     */
    @ParameterizedTest
    @CsvSource({"1", "2"})
    void aSteadyStateRbmStepAllocatesAtMostOneKibibyte(int threads) {
        int d = 32;
        int epochs = 8;
        ModelConfig stack = ModelConfig.of("rbm-stack", d,
                new DeterministicEncoder(List.of(LayerSpec.of(32, ae.tensor.Activation.SIGMOID),
                        LayerSpec.of(16, ae.tensor.Activation.SIGMOID))),
                new Decoder(List.of(LayerSpec.of(32, ae.tensor.Activation.SIGMOID),
                        LayerSpec.of(d, ae.tensor.Activation.SIGMOID)), false),
                BernoulliLikelihood.INSTANCE, List.of(), Corruption.none())
                .withProcedure(new RbmPretraining(epochs));
        AllocationProbe probe = new AllocationProbe(epochs, "rbm-layer-1");
        TrainingConfig training = TestData.quick(1).withBatchSize(16).withThreads(threads);
        try (Dataset data = TestData.swissRoll(4 * 1024, d, 8)) {
            Autoencoder.of(stack).fit(data, training, TrainingListener.none()).close();
            measure("RBM stack", threads, Autoencoder.of(stack).fit(data, training, probe), probe);
        }
    }

    /** The workload's layers at a sixteenth of their widths, on {@code d} features. */
    static ModelConfig smaller(ModelConfig reference, int d) {
        int[] widths = reference.encoder().layers().stream().mapToInt(l -> l.units() / 16).toArray();
        Encoder encoder = reference.encoder().withWidths(widths);
        List<LayerSpec> decoderLayers = new java.util.ArrayList<>();
        List<LayerSpec> dec = reference.decoder().layers();
        for (int i = 0; i < dec.size() - 1; i++) {
            decoderLayers.add(LayerSpec.of(dec.get(i).units() / 16, dec.get(i).activation()));
        }
        decoderLayers.add(LayerSpec.of(d, dec.getLast().activation()));
        return new ModelConfig(reference.name(), d, encoder, new Decoder(decoderLayers, false),
                reference.likelihood(), reference.penalties(), reference.corruption(), reference.procedure(),
                reference.initialization());
    }

    private static void measure(String workload, int threads, FittedAutoencoder fitted, AllocationProbe probe) {
        try (FittedAutoencoder model = fitted) {
            assertEquals(TrainingHistory.Outcome.COMPLETED, model.history().outcome());
            double mean = probe.meanPerStep();
            System.out.printf("%s at %d threads: %.1f heap bytes per steady-state step (%s)%n", workload, threads,
                    mean, probe.summary());
            // A rare step may allocate while the JIT recompiles something; the steady state is what is bounded.
            assertTrue(mean <= 1024, workload + ": " + mean + " bytes allocated per step (" + probe.summary() + ")");
        }
    }
}
