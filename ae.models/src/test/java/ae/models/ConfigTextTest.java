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
        penalties.add(new Penalty.L1Code(weight));
        if (kind % 2 == 0) {
            penalties.add(new Penalty.Contractive(weight * 3, kind % 5));
        }
        penalties.add(new Penalty.WeightDecay(weight / 7));
        Corruption corruption = switch (kind % 4) {
            case 0 -> Corruption.none();
            case 1 -> new Corruption.Masking(Math.min(1, weight));
            case 2 -> new Corruption.Gaussian(weight);
            default -> new Corruption.SaltAndPepper(Math.min(1, weight));
        };
        Architecture a = Architecture.mirrored(input, new int[] {code + 3, code}, acts[kind % acts.length],
                acts[(kind + 1) % acts.length], Activation.SIGMOID, tied,
                kind % 3 == 0 ? Initialization.GLOROT_UNIFORM : Initialization.FAN_IN_UNIFORM);
        TrainingProcedure procedure = kind % 3 == 1 ? new TrainingProcedure.GreedyLayerWise(kind + 1,
                List.of(new Penalty.Contractive(weight)), corruption) : TrainingProcedure.backpropagation();
        return new ModelConfig("model " + kind, a, ReconstructionLoss.BINARY_CROSS_ENTROPY, penalties, corruption,
                procedure);
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
                        assertEquals(m, ConfigText.model(ConfigText.read(text, "test"), "test"), text);
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
                        assertEquals(t, ConfigText.training(ConfigText.read(ConfigText.write(entries), "t"), "t"));
                    } catch (CheckpointFormatException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    @Test
    void invalidValuesNameTheSettingAndTheFile() {
        Map<String, String> entries = new LinkedHashMap<>();
        ConfigText.putModel(entries, Presets.reference("R3"));
        entries.put("model.penalties", "Contractive(weight=-1.0, probes=0)");
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> ConfigText.model(entries, "model.aeckpt"));
        assertTrue(e.getMessage().contains("model.aeckpt") && e.getMessage().contains("penalty weight"), e.getMessage());
        entries.remove("model.loss");
        e = assertThrows(CheckpointFormatException.class, () -> ConfigText.model(entries, "model.aeckpt"));
        assertTrue(e.getMessage().contains("model.loss"), e.getMessage());
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
