package ae.models;

import ae.data.BatchOptions;
import ae.data.Batcher;
import ae.data.Dataset;
import ae.data.Seeds;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * Runs the reference workloads R1..R5 of ../shared/WORKLOADS.md for throughput, as {@code ae bench workload} and the
 * JMH benchmarks do: batch 128, Adam at 1e-3, fan-in uniform initialization, a seeded shuffle every epoch with the
 * last partial batch dropped. After {@code warmupSteps} steps (which also let the JIT compile the step), it times
 * {@code steps} more and counts the bytes the training thread allocates on the heap meanwhile.
 */
public final class ReferenceWorkloads {
    public static final int BATCH_SIZE = 128;

    private ReferenceWorkloads() {
    }

    /** The workloads this class runs. */
    public static List<String> names() {
        return List.of("R1", "R2", "R3", "R4", "R5");
    }

    /**
     * One measurement.
     *
     * @param samplesPerSecond training samples per second over the measured steps
     * @param heapBytesPerStep heap bytes allocated by the training thread per measured step (compute-pool threads
     *     not included)
     * @param firstLoss the objective of the first warm-up step
     * @param lastLoss the objective of the last measured step
     */
    public record Result(String workload, int threads, int warmupSteps, int steps, int batchSize,
                         double samplesPerSecond, double heapBytesPerStep, double firstLoss, double lastLoss,
                         double seconds) {
        public String describe() {
            return String.format(Locale.ROOT, "%s threads=%d steps=%d: %.1f samples/s, %.1f heap bytes/step, loss %.3f -> %.3f",
                    workload, threads, steps, samplesPerSecond, heapBytesPerStep, firstLoss, lastLoss);
        }
    }

    /**
     * A workload ready to step: the model, its optimizer, its training graph and a batcher, for callers that time
     * steps themselves (JMH). Each {@link #step()} trains on the next batch (a new shuffled epoch when one ends).
     */
    public static final class Session implements AutoCloseable {
        private final FittedAutoencoder model;
        private final Batcher batches;
        private final ModelGraph graph;
        private final TrainingConfig training;
        private final int stepsPerEpoch;
        private long epoch;

        private Session(String id, Dataset train, int threads, long seed) {
            ModelConfig config = Presets.reference(id.trim().toUpperCase(Locale.ROOT));
            this.training = TrainingConfig.defaults().withThreads(threads).withSeed(seed).withBatchSize(BATCH_SIZE)
                    .withEpochs(0);
            FittedAutoencoder m = Autoencoder.of(config).initialize(training);
            try {
                m.requireDataset("workload " + config.name(), train);
                this.batches = Batcher.create(train, new BatchOptions(BATCH_SIZE, true, true,
                        Seeds.derive(seed, Trainer.SHUFFLE_STREAM, 0)));
            } catch (RuntimeException e) {
                m.close();
                throw e;
            }
            this.model = m;
            model.state.optimizer = new Optimizer(training.optimizer(), model.phaseParameters(0), model.ops,
                    config.name());
            this.graph = model.trainingGraph(0, BATCH_SIZE, Seeds.derive(seed, Trainer.NOISE_STREAM, 0));
            this.stepsPerEpoch = batches.batchesPerEpoch();
            batches.startEpoch(0);
        }

        /** One training step; returns its objective. Allocates nothing once the JIT has compiled it. */
        public double step() {
            if (!batches.next()) {
                batches.startEpoch(++epoch);
                batches.next();
            }
            double loss = Trainer.step(graph, batches.features(), model.state, training, stepsPerEpoch);
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException("workload " + model.config().name() + " diverged at step "
                        + model.state.stepsDone + ": loss " + loss);
            }
            return loss;
        }

        /** The model being trained. */
        public FittedAutoencoder model() {
            return model;
        }

        @Override
        public void close() {
            try {
                batches.close();
            } finally {
                model.close();
            }
        }
    }

    /** A {@link Session} of workload {@code id} (R1..R5) on {@code train} (784 features in [0, 1]). */
    public static Session open(String id, Dataset train, int threads, long seed) {
        return new Session(id, train, threads, seed);
    }

    /** Runs workload {@code id} (R1..R5) on {@code train} (784 features in [0, 1], Fashion-MNIST). */
    public static Result run(String id, Dataset train, int threads, int warmupSteps, int steps, long seed) {
        if (warmupSteps < 0 || steps < 1) {
            throw new IllegalArgumentException("need warmupSteps >= 0 and steps >= 1, got " + warmupSteps + " and "
                    + steps);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Session session = open(id, train, threads, seed)) {
            double firstLoss = Double.NaN;
            for (int i = 0; i < warmupSteps; i++) {
                double loss = session.step();
                if (i == 0) {
                    firstLoss = loss;
                }
            }
            long bytesBefore = mx.getCurrentThreadAllocatedBytes();
            long started = System.nanoTime();
            double loss = Double.NaN;
            for (int i = 0; i < steps; i++) {
                loss = session.step();
            }
            long elapsed = System.nanoTime() - started;
            long bytes = mx.getCurrentThreadAllocatedBytes() - bytesBefore;
            if (warmupSteps == 0) {
                firstLoss = loss;
            }
            double seconds = elapsed / 1e9;
            return new Result(session.model.config().name(), threads, warmupSteps, steps, BATCH_SIZE,
                    (double) steps * BATCH_SIZE / seconds, (double) bytes / steps, firstLoss, loss, seconds);
        }
    }
}
