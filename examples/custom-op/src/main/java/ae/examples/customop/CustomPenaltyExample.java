package ae.examples.customop;

import ae.data.Dataset;
import ae.data.Datasets;
import ae.models.Autoencoder;
import ae.models.Catalog;
import ae.models.FittedAutoencoder;
import ae.models.ModelConfig;
import ae.models.Presets;
import ae.models.TrainingConfig;
import ae.models.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A model with a penalty ae does not have: the sparse preset's ReLU code under {@link StudentTPenalty} instead of L1,
 * trained, saved, and loaded back with a {@link Catalog} that knows the new part.
 *
 * <p>Usage: {@code CustomPenaltyExample [output-folder]} (default {@code target/custom-op}).
 */
public final class CustomPenaltyExample {
    private CustomPenaltyExample() {
    }

    /**
     * Runs the example.
     *
     * @param args the output folder, optional
     * @throws IOException if the embedded images cannot be read or the checkpoint cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path checkpoint = Path.of(args.length > 0 ? args[0] : "target/custom-op").resolve("student-t.ckpt");

        ModelConfig config = Presets.sparseL1(784, 64, 0).withName("sparse-student-t")
                .withPenalties(List.of(new StudentTPenalty(1e-2)));
        Catalog catalog = Catalog.builtIn().with(StudentTPenalty.KIND);   // the parts checkpoints may name
        try (Dataset images = Datasets.load("fashion-mnist-sample");
             Dataset train = images.subset("first-2000", IntStream.range(0, 2000).toArray());
             FittedAutoencoder model = Autoencoder.of(config)
                     .fit(train, TrainingConfig.defaults().withEpochs(2).withBatchSize(64), TrainingListener.none())) {
            model.save(checkpoint);
            try (FittedAutoencoder loaded = FittedAutoencoder.load(checkpoint, 1, catalog)) {
                System.out.println("loaded " + loaded.config().penalties().getFirst().describe() + ", mean loss "
                        + loaded.meanLoss(train));
            }
        }
        try {
            FittedAutoencoder.load(checkpoint).close();   // the built-in catalog does not know student-t
            throw new AssertionError("loaded a checkpoint with a part the built-in catalog does not know");
        } catch (IOException expected) {
            System.out.println("without the catalog: " + expected.getMessage());
        }
    }
}
