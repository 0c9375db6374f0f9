package ae.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae.autodiff.GraphBuilder;
import ae.autodiff.Node;
import ae.data.Dataset;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof that models are compositions: a penalty written here, as one class outside ae.models' sources, trains
 * end to end, describes itself, and saves and loads with a catalog that knows it.
 */
class CompositionTest {
    private static final int D = 12;

    /** {@code weight * mean over rows of ||h||^2}: an L2 prior on the code. */
    record CodeL2Penalty(double weight) implements Penalty {
        static final PartKind<CodeL2Penalty> KIND = PartKind.of(CodeL2Penalty.class, "code-l2",
                "the squared L2 norm of the code", List.of(Setting.real("weight", 0.5, "--code-l2",
                        "weight of the L2 penalty on the code", CodeL2Penalty::weight)),
                v -> new CodeL2Penalty(v.real("weight")));

        @Override
        public PartKind<CodeL2Penalty> kind() {
            return KIND;
        }

        @Override
        public Node term(PenaltySite site) {
            GraphBuilder b = site.builder();
            return b.scale(b.sumOfSquares(site.code()), 1.0 / site.code().rows());
        }
    }

    @TempDir
    Path dir;

    private static double meanSquaredCode(FittedAutoencoder model, Dataset data) {
        try (TensorScope scope = TensorScope.open("codes")) {
            Tensor codes = model.encode(data.features(), scope);
            double sum = 0;
            for (double v : codes.toDoubleArray()) {
                sum += v * v;
            }
            return sum / codes.rows();
        }
    }

    @Test
    void aPenaltyWrittenOutsideTheModelsTrainsEndToEnd() throws IOException {
        ModelConfig deep = Presets.deep(D, 10, 4);
        ModelConfig penalized = deep.withPenalties(List.of(new CodeL2Penalty(0.5)));
        assertEquals("code-l2 (weight 0.5)", new CodeL2Penalty(0.5).describe());
        try (Dataset data = TestData.swissRoll(384, D, 3);
             FittedAutoencoder plain = Autoencoder.of(deep).fit(data, TestData.quick(8), TrainingListener.none());
             FittedAutoencoder small = Autoencoder.of(penalized).fit(data, TestData.quick(8),
                     TrainingListener.none())) {
            double without = meanSquaredCode(plain, data);
            double with = meanSquaredCode(small, data);
            System.out.printf("mean ||h||^2 without the penalty %.4f, with %.4f%n", without, with);
            assertTrue(with < 0.5 * without, with + " vs " + without);
            assertEquals(TrainingHistory.Outcome.COMPLETED, small.history().outcome());

            Path file = dir.resolve("l2.ckpt");
            small.save(file);
            CheckpointFormatException unknown = assertThrows(CheckpointFormatException.class,
                    () -> FittedAutoencoder.load(file));
            assertTrue(unknown.getMessage().contains("unknown penalty 'code-l2'"), unknown.getMessage());
            try (FittedAutoencoder loaded = FittedAutoencoder.load(file, 1, Catalog.builtIn()
                    .with(CodeL2Penalty.KIND))) {
                assertEquals(penalized, loaded.config());
                CheckpointTest.assertSameParameters(small, loaded);
            }
        }
    }

    @Test
    void settingsChangeByTheirOptionsEverywhereInTheModel() {
        ModelConfig stacked = Presets.stacked(D, new int[] {8, 4}, 2, List.of(new KlSparsityPenalty(1, 0.1)),
                new MaskingNoise(0.2));
        java.util.Set<String> applied = new java.util.HashSet<>();
        ModelConfig changed = stacked.withOptionValues(Map.of("--corruption", 0.4, "--rho", 0.3,
                "--pretrain-epochs", 5, "--contractive", 1.0), applied);
        assertEquals(new GreedyLayerWise(5, List.of(new KlSparsityPenalty(1, 0.3)), new MaskingNoise(0.4)),
                changed.procedure());
        assertEquals(java.util.Set.of("--corruption", "--rho", "--pretrain-epochs"), applied);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> stacked.withOptionValues(Map.of("--rho", 2.0), new java.util.HashSet<>()));
        assertTrue(e.getMessage().contains("rho must be in (0, 1)"), e.getMessage());
    }
}
