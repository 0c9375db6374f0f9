package ae.models;

import ae.data.Dataset;
import ae.tensor.KernelShapes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;

/**
 * Training steps of a throwaway miniature copy of a model, on synthetic data, on a background thread: the JIT
 * compiles the training kernels (the Vector API ones run slowly until C2 has compiled them) while the caller does
 * other work, typically reading its data, so that the real training's first epoch starts nearer its steady speed.
 *
 * <p>The copy is a {@link #miniature miniature}: the same parts, ops and kernels, but every width and the batch size
 * replaced by the smallest extents that take the same branches in every kernel ({@link KernelShapes}), so that a
 * step costs a small fraction of a real one (R1: 784 -> 256 -> 784 on batches of 128 becomes 272 -> 64 -> 272 on
 * batches of 64 with 16-lane vectors, about 20 times less work). Before C2 has compiled the kernels a step runs the Vector API
 * interpreted, so a full-size step costs about a second; the miniature takes many steps while the data loads,
 * bringing each kernel to C2's invocation thresholds with profiles of the real run's branches.
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

    /**
     * {@code config} with its input width and every layer width replaced by the smallest extents that take the same
     * branches in every kernel ({@link KernelShapes#miniature}), and the batch size of {@code batchSize} rows
     * replaced likewise.
     *
     * @throws IllegalArgumentException if the parts refuse the smaller widths (say, a setting that must equal a
     *                                  width)
     */
    public static Miniature miniature(ModelConfig config, int batchSize) {
        TreeSet<Integer> extents = new TreeSet<>();
        extents.add(config.inputDimension());
        extents.add(batchSize);
        for (Part p : config.parts()) {
            forEachLayers(p, layers -> layers.forEach(l -> extents.add(l.units())));
        }
        int[] real = extents.stream().mapToInt(Integer::intValue).toArray();
        int[] small = KernelShapes.miniature(real);
        Map<Integer, Integer> byExtent = new HashMap<>();
        for (int i = 0; i < real.length; i++) {
            byExtent.put(real[i], small[i]);
        }
        IntUnaryOperator shrink = byExtent::get;
        ModelConfig mini = new ModelConfig(config.name(), shrink.applyAsInt(config.inputDimension()),
                (Encoder) shrunk(config.encoder(), shrink), (Decoder) shrunk(config.decoder(), shrink),
                (Likelihood) shrunk(config.likelihood(), shrink),
                config.penalties().stream().map(p -> (Penalty) shrunk(p, shrink)).toList(),
                (Corruption) shrunk(config.corruption(), shrink),
                (TrainingProcedure) shrunk(config.procedure(), shrink), config.initialization());
        return new Miniature(mini, shrink.applyAsInt(batchSize));
    }

    /** A miniature of a model: its configuration and its batch size. */
    public record Miniature(ModelConfig config, int batchSize) {
    }

    private static void forEachLayers(Part part, Consumer<List<LayerSpec>> action) {
        PartKind<Part> kind = PartKind.kindOf(part);
        for (Setting<Part> s : kind.settings()) {
            if (s.type() == Setting.Type.LAYERS) {
                action.accept(layers(s.valueIn(part)));
            }
        }
    }

    /** {@code part} with its layers' widths shrunk, nested parts (penalties, corruption) too. */
    private static Part shrunk(Part part, IntUnaryOperator shrink) {
        PartKind<Part> kind = PartKind.kindOf(part);
        Map<String, Object> changes = new LinkedHashMap<>();
        for (Setting<Part> s : kind.settings()) {
            Object v = s.valueIn(part);
            switch (s.type()) {
                case LAYERS -> {
                    List<LayerSpec> out = new ArrayList<>();
                    for (LayerSpec l : layers(v)) {
                        out.add(new LayerSpec(shrink.applyAsInt(l.units()), l.activation()));
                    }
                    changes.put(s.key(), out);
                }
                case PENALTIES -> changes.put(s.key(),
                        ((List<?>) v).stream().map(n -> shrunk((Part) n, shrink)).toList());
                case CORRUPTION -> changes.put(s.key(), shrunk((Part) v, shrink));
                default -> {
                }
            }
        }
        return changes.isEmpty() ? part : kind.with(part, changes);
    }

    @SuppressWarnings("unchecked")
    private static List<LayerSpec> layers(Object value) {
        return (List<LayerSpec>) value;
    }

    private void run(ModelConfig realConfig, TrainingConfig realTraining) {
        ModelConfig config = realConfig;
        TrainingConfig training = realTraining;
        try {
            Miniature mini = miniature(realConfig, realTraining.batchSize());
            config = mini.config();
            training = realTraining.withBatchSize(mini.batchSize());
        } catch (RuntimeException e) {
            // Parts that refuse the smaller widths: the full-size copy warms the same kernels, only more slowly.
        }
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
