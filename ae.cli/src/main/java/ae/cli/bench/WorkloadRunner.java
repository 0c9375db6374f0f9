package ae.cli.bench;

import ae.data.Dataset;
import ae.models.Autoencoder;
import ae.models.FittedAutoencoder;
import ae.models.Presets;
import ae.models.TrainingConfig;
import ae.models.TrainingStepper;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Runs a reference workload of docs/workloads.md for throughput: batch 128, Adam at 1e-3, fan-in uniform
 * initialization, a seeded shuffle every epoch with the last partial batch dropped. After {@code warmupSteps} steps
 * (which also let the JIT compile the step), it times {@code steps} more and counts the bytes the training thread
 * allocates on the heap meanwhile.
 */
final class WorkloadRunner {
    static final int BATCH_SIZE = 128;

    private WorkloadRunner() {
    }

    /**
     * One measurement.
     *
     * @param samplesPerSecond training samples per second over the measured steps
     * @param heapBytesPerStep heap bytes allocated by the training thread per measured step (compute-pool threads
     *     not included)
     * @param firstLoss the objective of the first warm-up step
     * @param lastLoss the objective of the last measured step
     * @param roundTripNanosBefore with two threads or more, the {@link CrossCpuRoundTrip} just before the measured
     *     steps; NaN otherwise
     * @param roundTripNanosAfter the same just after them
     */
    record Result(String workload, int threads, int warmupSteps, int steps, double samplesPerSecond,
                  double heapBytesPerStep, double firstLoss, double lastLoss, double seconds,
                  double roundTripNanosBefore, double roundTripNanosAfter) {
        String describe() {
            String line = String.format(Locale.ROOT, "%s threads=%d steps=%d: %.1f samples/s, %.1f heap bytes/step,"
                    + " loss %.3f -> %.3f", workload, threads, steps, samplesPerSecond, heapBytesPerStep, firstLoss,
                    lastLoss);
            if (Double.isFinite(roundTripNanosBefore) && Double.isFinite(roundTripNanosAfter)) {
                line += String.format(Locale.ROOT, ", cross-CPU round trip %.0f ns before, %.0f ns after",
                        roundTripNanosBefore, roundTripNanosAfter);
            }
            return line;
        }
    }

    /** Runs workload {@code id} (R1..R6) on {@code train} (784 features in [0, 1], Fashion-MNIST). */
    static Result run(String id, Dataset train, int threads, int warmupSteps, int steps, long seed) {
        if (warmupSteps < 0 || steps < 1) {
            throw new IllegalArgumentException("need warmupSteps >= 0 and steps >= 1, got " + warmupSteps + " and "
                    + steps);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        TrainingConfig training = TrainingConfig.defaults().withThreads(threads).withSeed(seed)
                .withBatchSize(BATCH_SIZE).withEpochs(0);
        try (FittedAutoencoder model = Autoencoder.of(Presets.reference(id)).initialize(training);
             TrainingStepper stepper = model.stepper(train)) {
            double firstLoss = Double.NaN;
            for (int i = 0; i < warmupSteps; i++) {
                double loss = stepper.step();
                if (i == 0) {
                    firstLoss = loss;
                }
            }
            // Which placement of the CPUs the measured steps ran on: a two-thread figure means little without it.
            double roundTripBefore = threads > 1 ? CrossCpuRoundTrip.medianNanos() : Double.NaN;
            long bytesBefore = mx.getCurrentThreadAllocatedBytes();
            long started = System.nanoTime();
            double loss = Double.NaN;
            for (int i = 0; i < steps; i++) {
                loss = stepper.step();
            }
            long elapsed = System.nanoTime() - started;
            long bytes = mx.getCurrentThreadAllocatedBytes() - bytesBefore;
            double roundTripAfter = threads > 1 ? CrossCpuRoundTrip.medianNanos() : Double.NaN;
            if (warmupSteps == 0) {
                firstLoss = loss;
            }
            double seconds = elapsed / 1e9;
            return new Result(model.config().name(), threads, warmupSteps, steps,
                    (double) steps * BATCH_SIZE / seconds, (double) bytes / steps, firstLoss, loss, seconds,
                    roundTripBefore, roundTripAfter);
        }
    }
}
