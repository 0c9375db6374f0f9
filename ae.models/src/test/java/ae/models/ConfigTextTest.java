package ae.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import ae.tensor.Activation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration block of a checkpoint parses back to equal records. */
class ConfigTextTest {
    private static ModelConfig model(int input, int code, int kind, double weight, boolean tied) {
        Activation[] acts = Activation.values();
        List<Penalty> penalties = new ArrayList<>();
        penalties.add(new L1Penalty(weight));
        if (kind % 2 == 0) {
            penalties.add(new ContractivePenalty(weight * 3, kind % 5));
        }
        penalties.add(new WeightDecayPenalty(weight / 7));
        Corruption corruption = switch (kind % 4) {
            case 0 -> Corruption.none();
            case 1 -> new MaskingNoise(Math.min(1, weight));
            case 2 -> new GaussianNoise(weight);
            default -> new SaltAndPepperNoise(Math.min(1, weight));
        };
        List<LayerSpec> layers = Presets.layers(new int[] {code + 3, code}, acts[kind % acts.length],
                acts[(kind + 1) % acts.length]);
        Encoder encoder = switch (kind % 5) {
            case 3 -> new GaussianEncoder(layers.subList(0, 1), code, weight);
            case 4 -> new NoisyEncoder(layers, weight);
            case 2 -> kind % 2 == 0 ? new BinaryCodeEncoder(layers.subList(0, 1), code, weight, kind % 4 * 100,
                    kind % 3 == 0)
                    : new DeterministicEncoder(layers);
            default -> new DeterministicEncoder(layers);
        };
        boolean canTie = tied && encoder instanceof DeterministicEncoder;
        Decoder decoder = Decoder.mirroring(encoder.layers(), input, acts[kind % acts.length],
                kind % 7 == 0 ? Activation.IDENTITY : Activation.SIGMOID, canTie);
        Likelihood likelihood = decoder.outputActivation() != Activation.SIGMOID ? SquaredErrorLikelihood.INSTANCE
                : kind % 3 == 0 ? GaussianLikelihood.INSTANCE : BernoulliLikelihood.INSTANCE;
        TrainingProcedure procedure = kind % 3 == 1 && encoder instanceof DeterministicEncoder
                ? new GreedyLayerWise(kind + 1, List.of(new ContractivePenalty(weight)), corruption)
                : TrainingProcedure.backpropagation();
        return new ModelConfig("model " + kind, input, encoder, decoder, likelihood, penalties, corruption,
                procedure, kind % 3 == 0 ? Initialization.GLOROT_UNIFORM : Initialization.FAN_IN_UNIFORM);
    }

    private static ModelConfig parseModel(Map<String, String> entries, String source)
            throws CheckpointFormatException {
        return ConfigText.model(new ConfigText.Fields(entries, source), Catalog.builtIn());
    }

    @Test
    void modelConfigurationsRoundTrip() {
        qt().forAll(integers().between(1, 500), integers().between(1, 40), integers().between(0, 60),
                doubles().between(0, 10)).checkAssert((input, code, kind, weight) -> {
                    ModelConfig m = model(input, code, kind, weight, kind % 2 == 1);
                    Map<String, String> entries = new LinkedHashMap<>();
                    ConfigText.putModel(entries, m);
                    try {
                        String text = ConfigText.write(entries);
                        assertEquals(m, parseModel(ConfigText.read(text, "test"), "test"), text);
                    } catch (CheckpointFormatException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    @Test
    void trainingConfigurationsRoundTrip() {
        qt().forAll(integers().between(0, 1000), integers().between(1, 4096), integers().between(0, 3),
                doubles().between(1e-9, 1)).checkAssert((epochs, batch, kind, rate) -> {
                    OptimizerConfig optimizer = switch (kind) {
                        case 0 -> OptimizerConfig.sgd(rate);
                        case 1 -> OptimizerConfig.nesterov(rate, 0.9);
                        case 2 -> OptimizerConfig.adam(rate);
                        default -> OptimizerConfig.adamW(rate, rate / 3);
                    };
                    LearningRateSchedule schedule = switch (kind) {
                        case 0 -> LearningRateSchedule.constant();
                        case 1 -> new LearningRateSchedule.StepDecay(batch % 7 + 1, 0.5);
                        case 2 -> new LearningRateSchedule.Exponential(0.99);
                        default -> new LearningRateSchedule.Cosine(epochs + 1, rate);
                    };
                    TrainingConfig t = new TrainingConfig(epochs, batch, -epochs * 31L, kind + 1, optimizer, schedule,
                            rate / 2, kind, kind % 2 == 0, null);
                    Map<String, String> entries = new LinkedHashMap<>();
                    ConfigText.putTraining(entries, t);
                    try {
                        assertEquals(t, ConfigText.training(new ConfigText.Fields(ConfigText.read(ConfigText.write(entries),
                                "t"), "t"), Catalog.builtIn()));
                    } catch (CheckpointFormatException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    @Test
    void invalidValuesNameTheSettingAndTheFile() {
        Map<String, String> entries = new LinkedHashMap<>();
        ConfigText.putModel(entries, Presets.reference("R3"));
        entries.put("model.penalties.0", "contractive weight=-1.0 probes=0");
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> parseModel(entries, "model.aeckpt"));
        assertTrue(e.getMessage().contains("model.aeckpt") && e.getMessage().contains("model.penalties.0")
                && e.getMessage().contains("penalty weight"), e.getMessage());
        entries.put("model.penalties.0", "contractive weight=0.1 probes=0 strength=2");
        e = assertThrows(CheckpointFormatException.class, () -> parseModel(entries, "model.aeckpt"));
        assertTrue(e.getMessage().contains("no setting 'strength'"), e.getMessage());
        entries.put("model.penalties.0", "contractiv weight=0.1");
        e = assertThrows(CheckpointFormatException.class, () -> parseModel(entries, "model.aeckpt"));
        assertTrue(e.getMessage().contains("unknown penalty 'contractiv'") && e.getMessage().contains("contractive"),
                e.getMessage());
        entries.remove("model.likelihood");
        e = assertThrows(CheckpointFormatException.class, () -> parseModel(entries, "model.aeckpt"));
        assertTrue(e.getMessage().contains("model.likelihood"), e.getMessage());
    }

    @Test
    void aSettingTheLineLeavesOutTakesItsDefault() throws CheckpointFormatException {
        Map<String, String> entries = new LinkedHashMap<>();
        ConfigText.putModel(entries, Presets.reference("R3"));
        entries.put("model.penalties.0", "contractive weight=0.5");
        assertEquals(List.of(new ContractivePenalty(0.5, 0)), parseModel(entries, "m").penalties());
    }

    @Test
    void onDiskNamesAreTheDocumentedWords() {
        Map<String, String> entries = new LinkedHashMap<>();
        ConfigText.putModel(entries, Presets.stacked(20, new int[] {8, 4}, 3, List.of(new KlSparsityPenalty(0.5,
                0.1)), new MaskingNoise(0.2)));
        assertEquals("deterministic layers=8:sigmoid,4:sigmoid", entries.get("model.encoder"));
        assertEquals("dense layers=8:sigmoid,20:sigmoid tied=false max-column-norm=0.0", entries.get("model.decoder"));
        assertEquals("bernoulli", entries.get("model.likelihood"));
        assertEquals("glorot-uniform", entries.get("model.initialization"));
        assertEquals("greedy-layer-wise pretrain-epochs=3", entries.get("model.procedure"));
        assertEquals("1", entries.get("model.procedure.penalties"));
        assertEquals("kl-sparsity weight=0.5 rho=0.1", entries.get("model.procedure.penalties.0"));
        assertEquals("masking probability=0.2", entries.get("model.procedure.corruption"));
        entries.clear();
        ConfigText.putModel(entries, Presets.reference("R6"));
        assertEquals("gaussian hidden=400:relu code=20 beta=1.0", entries.get("model.encoder"));
        entries.clear();
        ConfigText.putTraining(entries, TrainingConfig.defaults());
        assertEquals("adam learning-rate=0.001 beta1=0.9 beta2=0.999 epsilon=1.0E-8 weight-decay=0.0",
                entries.get("training.optimizer"));
        assertEquals("constant", entries.get("training.schedule"));
    }

    @Test
    void schedulesFollowTheirFormulas() {
        assertEquals(1, LearningRateSchedule.constant().factor(12345, 10));
        assertEquals(0.25, new LearningRateSchedule.StepDecay(2, 0.5).factor(45, 10), 1e-15);
        assertEquals(0.9 * 0.9, new LearningRateSchedule.Exponential(0.9).factor(29, 10), 1e-15);
        LearningRateSchedule.Cosine cosine = new LearningRateSchedule.Cosine(4, 0.1);
        assertEquals(1, cosine.factor(0, 10), 1e-15);
        assertEquals(0.55, cosine.factor(20, 10), 1e-12);
        assertEquals(0.1, cosine.factor(40, 10), 1e-15);
        assertEquals(0.1, cosine.factor(400, 10), 1e-15);
    }
}
