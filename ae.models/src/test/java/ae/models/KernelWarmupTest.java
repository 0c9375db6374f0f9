package ae.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.data.Dataset;
import ae.tensor.KernelShapes;
import ae.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A warm-up takes steps until closed, and leaves the real training's results exactly as they are without it. */
class KernelWarmupTest {
    private static final int D = 12;

    private static Map<String, float[]> trainedParameters(ModelConfig config, boolean withWarmup) {
        TrainingConfig training = TestData.quick(2);
        KernelWarmup warmup = withWarmup ? KernelWarmup.start(config, training) : KernelWarmup.none();
        try (Dataset data = TestData.swissRoll(200, config.inputDimension(), 5)) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (withWarmup && warmup.steps() < 3 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            if (withWarmup) {
                assertTrue(warmup.steps() >= 3, "the warm-up took no steps in a minute");
            }
            try (FittedAutoencoder model = Autoencoder.of(config).fit(data, training, TrainingListener.none())) {
                Map<String, float[]> out = new TreeMap<>();
                for (Map.Entry<String, Tensor> e : model.parameterTensors().entrySet()) {
                    out.put(e.getKey(), e.getValue().toFloatArray());
                }
                return out;
            }
        } finally {
            warmup.close();
        }
    }

    private static void assertSameBitsWithAndWithoutWarmup(ModelConfig config) {
        Map<String, float[]> without = trainedParameters(config, false);
        Map<String, float[]> with = trainedParameters(config, true);
        assertEquals(without.keySet(), with.keySet());
        for (String name : without.keySet()) {
            assertArrayEquals(without.get(name), with.get(name), name);
        }
    }

    @Test
    void trainingBesideAWarmupGivesTheSameBits() {
        assertSameBitsWithAndWithoutWarmup(Presets.undercomplete(D, 4));
    }

    @Test
    void trainingBesideAMiniatureWarmupGivesTheSameBits() {
        // 400 inputs and 128 units have smaller extents of their path class (272 and 64 with 16-lane vectors).
        ModelConfig config = Presets.undercomplete(400, 128);
        KernelWarmup.Miniature mini = KernelWarmup.miniature(config, TestData.quick(2).batchSize());
        assertTrue(mini.config().inputDimension() < 400 && mini.config().codeSize() < 128,
                "no miniature: " + mini.config().inputDimension() + " " + mini.config().codeSize());
        assertSameBitsWithAndWithoutWarmup(config);
    }

    @Test
    void closingStopsTheSteps() throws InterruptedException {
        KernelWarmup warmup = KernelWarmup.start(Presets.undercomplete(D, 4), TestData.quick(1));
        warmup.close();
        warmup.awaitEnd();
        long steps = warmup.steps();
        assertTrue(steps <= KernelWarmup.MAX_STEPS);
        Thread.yield();
        assertEquals(steps, warmup.steps());
        warmup.close();
    }

    /** Every width of a model in order (input, each part's layers), and the batch size last. */
    private static List<Integer> extents(ModelConfig config, int batchSize) {
        List<Integer> out = new ArrayList<>(List.of(config.inputDimension()));
        for (Part p : config.parts()) {
            for (Setting<Part> s : PartKind.kindOf(p).settings()) {
                if (s.type() == Setting.Type.LAYERS) {
                    for (Object layer : (List<?>) s.valueIn(p)) {
                        out.add(((LayerSpec) layer).units());
                    }
                }
            }
        }
        out.add(batchSize);
        return out;
    }

    private static List<String> activations(ModelConfig config) {
        List<String> out = new ArrayList<>();
        for (Part p : config.parts()) {
            out.add(p.kind().name());
            for (Setting<Part> s : PartKind.kindOf(p).settings()) {
                if (s.type() == Setting.Type.LAYERS) {
                    for (Object layer : (List<?>) s.valueIn(p)) {
                        out.add(((LayerSpec) layer).activation().toString());
                    }
                } else if (s.isScalar()) {
                    out.add(s.key() + "=" + s.valueIn(p));
                }
            }
        }
        return out;
    }

    @Test
    void theMiniatureOfEachReferenceWorkloadKeepsItsPartsAndEveryExtentsPathClass() {
        for (String id : Presets.referenceWorkloads()) {
            ModelConfig real = Presets.reference(id);
            KernelWarmup.Miniature mini = KernelWarmup.miniature(real, 128);
            assertEquals(activations(real), activations(mini.config()), id);
            List<Integer> a = extents(real, 128);
            List<Integer> b = extents(mini.config(), mini.batchSize());
            assertEquals(a.size(), b.size(), id);
            int largest = a.stream().max(Integer::compare).orElseThrow();
            int largestMini = b.stream().max(Integer::compare).orElseThrow();
            for (int i = 0; i < a.size(); i++) {
                assertTrue(b.get(i) <= a.get(i), id + ": " + a + " -> " + b);
                assertEquals(KernelShapes.pathClass(a.get(i), largest), KernelShapes.pathClass(b.get(i), largestMini),
                        id + ": " + a + " -> " + b);
            }
        }
    }

    @Test
    void aMiniatureR1StepIsSeveralTimesCheaperAndTrains() {
        ModelConfig real = Presets.reference("R1");
        KernelWarmup.Miniature mini = KernelWarmup.miniature(real, 128);
        List<Integer> a = extents(real, 128);
        List<Integer> b = extents(mini.config(), mini.batchSize());
        // Dense products: input x hidden x batch, twice (encoder and decoder).
        double work = (double) a.get(0) * a.get(1) * a.get(3);
        double miniWork = (double) b.get(0) * b.get(1) * b.get(3);
        assertTrue(work / miniWork >= 10, a + " -> " + b);
        TrainingConfig training = TestData.quick(1).withBatchSize(mini.batchSize());
        int d = mini.config().inputDimension();
        float[] values = new float[2 * mini.batchSize() * d];
        java.util.Arrays.fill(values, 0.5f);
        try (Dataset data = Dataset.copyOf("mini", values, 2 * mini.batchSize(), d, null);
             FittedAutoencoder model = Autoencoder.of(mini.config()).initialize(training);
             TrainingStepper stepper = model.stepper(data)) {
            assertTrue(Double.isFinite(stepper.step()));
        }
    }
}
