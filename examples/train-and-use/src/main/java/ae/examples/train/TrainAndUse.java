package ae.examples.train;

import ae.data.Dataset;
import ae.data.Datasets;
import ae.models.Autoencoder;
import ae.models.FittedAutoencoder;
import ae.models.KernelWarmup;
import ae.models.ModelConfig;
import ae.models.Presets;
import ae.models.TrainingConfig;
import ae.models.TrainingListener;
import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Trains a sparse autoencoder on 2,000 embedded Fashion-MNIST images, then uses it: codes, anomaly scores, a
 * checkpoint loaded back (which must score the same), and the weights for numpy. Runs on the module path.
 *
 * <p>Usage: {@code TrainAndUse [output-folder]} (default {@code target/train-and-use}).
 */
public final class TrainAndUse {
    private TrainAndUse() {
    }

    /**
     * Runs the example.
     *
     * @param args the output folder, optional
     * @throws IOException if the embedded images cannot be read or the files cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/train-and-use");

        ModelConfig config = Presets.sparseL1(784, 64, 1e-3);   // 784 -> 64 ReLU -> 784 sigmoid, BCE + 1e-3 |h|_1
        TrainingConfig training = TrainingConfig.defaults().withEpochs(2).withBatchSize(64).withSeed(7);
        try (Dataset images = Datasets.load("fashion-mnist-sample");              // 10,000 x 784, in [0, 1]
             Dataset train = images.subset("first-2000", IntStream.range(0, 2000).toArray());
             FittedAutoencoder model = Autoencoder.of(config).fit(train, training, TrainingListener.none());
             TensorScope scope = TensorScope.open("codes")) {
            Tensor codes = model.encode(train.features(), scope);     // 2000 x 64, freed with the scope
            double[] scores = model.scoreSamples(train);               // one per row, higher = less typical
            model.save(out.resolve("model.ckpt"));                     // docs/checkpoint-format.md
            model.exportNpz(out.resolve("weights.npz"));               // np.load("weights.npz")["encoder.0.weight"]

            try (FittedAutoencoder loaded = FittedAutoencoder.load(out.resolve("model.ckpt"))) {
                if (!Arrays.equals(scores, loaded.scoreSamples(train))) {
                    throw new AssertionError("the loaded model scores differently");
                }
            }
            System.out.printf("codes %s, first score %.2f, mean loss %.2f -> %s%n", Arrays.toString(codes.shape()),
                    scores[0], model.meanLoss(train), out);
        }
        try (Dataset again = loadWhileWarmingUp(config, training)) {
            System.out.printf("read %d images while the kernels warmed up%n", again.size());
        }
    }

    /**
     * The images, read while a copy of the model takes training steps on a background thread, so that the JIT has
     * compiled the kernels when the real training starts (docs/startup.md).
     *
     * @throws IOException if the embedded images cannot be read
     */
    static Dataset loadWhileWarmingUp(ModelConfig config, TrainingConfig training) throws IOException {
        KernelWarmup warmup = KernelWarmup.start(config, training);   // config and training of the real run
        try {
            return Datasets.load("fashion-mnist-sample");
        } finally {
            warmup.close();                           // stops the steps, without waiting for one under way
        }
    }
}
