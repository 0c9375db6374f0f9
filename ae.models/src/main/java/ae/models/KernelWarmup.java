package ae.models;

import ae.data.Dataset;
import java.util.SplittableRandom;

/**
 * Training steps of a throwaway copy of a model, on synthetic data, on a background thread: the JIT compiles the
 * training kernels (the Vector API ones run slowly until C2 has compiled them) while the caller does other work,
 * typically reading its data, so that the real training's first epoch starts nearer its steady speed.
 *
 * <pre>{@code
 * KernelWarmup warmup = KernelWarmup.start(config, training);
 * Dataset train;
 * try {
 *     train = Datasets.load("fashion-mnist");
 * } finally {
 *     warmup.close();   // stops the steps; the copy is freed once the step under way ends
 * }
 * FittedAutoencoder model = Autoencoder.of(config).fit(train, training, listener);
 * }</pre>
 *
 * <p>The copy has its own parameters, its own seed-independent data and its own threads: nothing of it reaches the
 * real model, whose results are the same with or without a warm-up. A warm-up that fails (say, a procedure that does
 * not train by steps) simply ends; {@link #close()} never throws.
 *
 * <p>{@link #close()} does not wait for the step under way: before the kernels are compiled one step of a full-size
 * model takes seconds (the Vector API runs interpreted), and the data is often loaded before the warm-up's first step
 * ends. The warm-up's thread finishes that step beside the real training, then frees the copy.
 */
public final class KernelWarmup implements AutoCloseable {
    /** A bound on the steps, should the caller never close the warm-up. */
    public static final int MAX_STEPS = 5000;
    private static final KernelWarmup NONE = new KernelWarmup();

    private final Thread thread;
    private volatile boolean stop;
    private volatile long steps;

    private KernelWarmup() {
        this.thread = null;
    }

    private KernelWarmup(ModelConfig config, TrainingConfig training) {
        this.thread = Thread.ofPlatform().daemon().name("ae kernel warm-up").unstarted(() -> run(config, training));
        thread.start();
    }

    /** Starts steps of a copy of {@code config} trained as {@code training} says (batch size, threads, optimizer). */
    public static KernelWarmup start(ModelConfig config, TrainingConfig training) {
        return new KernelWarmup(config, training.withCheckpoint(null).withEpochs(1).withValidation(0, 0));
    }

    /** A warm-up that does nothing, for callers that have nothing to warm up. */
    public static KernelWarmup none() {
        return NONE;
    }

    private void run(ModelConfig config, TrainingConfig training) {
        int rows = 2 * training.batchSize();
        int d = config.inputDimension();
        float[] values = new float[rows * d];
        SplittableRandom random = new SplittableRandom(0);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble();
        }
        try (Dataset data = Dataset.copyOf("warm-up", values, rows, d, null);
             FittedAutoencoder model = Autoencoder.of(config).initialize(training);
             TrainingStepper stepper = model.stepper(data)) {
            while (!stop && steps < MAX_STEPS) {
                stepper.step();
                steps++;
            }
        } catch (RuntimeException e) {
            // A warm-up is only an optimization: the real training reports its own errors.
        }
    }

    /** Steps taken so far (the one under way when {@link #close()} is called counts once it ends). */
    public long steps() {
        return steps;
    }

    /**
     * Stops the steps without waiting: the step under way, if any, ends on the warm-up's thread, which then frees the
     * copy; idempotent.
     */
    @Override
    public void close() {
        stop = true;
    }

    /** Waits until the warm-up's thread has ended and freed the copy (for tests). */
    void awaitEnd() throws InterruptedException {
        if (thread != null) {
            thread.join();
        }
    }
}
