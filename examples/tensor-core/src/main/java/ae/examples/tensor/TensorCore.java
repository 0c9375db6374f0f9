package ae.examples.tensor;

import ae.data.BatchOptions;
import ae.data.Batcher;
import ae.data.Dataset;
import ae.data.Datasets;
import ae.data.FashionMnist;
import ae.data.Split;
import ae.tensor.Activation;
import ae.tensor.ComputePool;
import ae.tensor.Gemm;
import ae.tensor.Kernels;
import ae.tensor.Rng;
import ae.tensor.Tensor;
import ae.tensor.TensorOps;
import ae.tensor.TensorScope;
import java.io.IOException;
import java.nio.file.Files;

/**
 * The tensor core without the models, on the class path: a scope of off-heap tensors, a layer's forward pass with
 * the SIMD kernels and again with the scalar reference, and seeded batches of a dataset.
 */
public final class TensorCore {
    private TensorCore() {
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws IOException if Fashion-MNIST is installed but cannot be read
     */
    public static void main(String[] args) throws IOException {
        double difference = layerTwice();
        System.out.printf("SIMD and scalar layers differ by at most %.2e%n", difference);
        if (!(difference < 1e-5)) {
            throw new AssertionError("SIMD and scalar kernels disagree by " + difference);
        }
        if (Files.isDirectory(FashionMnist.defaultFolder())) {
            batches(42);
            System.out.println("ten shuffled epochs of Fashion-MNIST in batches of 128");
        } else {
            System.out.println("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist): no batches");
        }
    }

    /** One sigmoid layer on a batch, SIMD and scalar; returns the largest difference between the two. */
    static double layerTwice() {
        try (TensorScope scope = TensorScope.open("layer");   // an arena: its tensors are freed when it closes
             ComputePool pool = ComputePool.create(2)) {      // the threads the kernels split work over
            Tensor x = scope.allocateFloat(128, 784);         // zero-filled, 64-byte aligned, row-major
            Tensor w = scope.allocateFloat(256, 784);
            Tensor b = scope.allocateFloat(256);
            Rng rng = Rng.seeded(1);
            rng.fillUniform(x, 0, 1);
            rng.fillNormal(w, 0, 0.05);

            Tensor h = scope.allocateFloat(128, 256);
            Gemm.multiply(pool, 1, x, false, w, true, 0, h);              // h = x w^T, preferred GEMM
            TensorOps ops = TensorOps.create(pool);                         // SIMD unless -Dae.simd=false
            ops.biasActivation(Activation.SIGMOID, h, b, h);                // h = sigmoid(h + b), in place

            Tensor reference = scope.allocateFloat(128, 256);
            Kernels scalar = Kernels.scalar();                              // plain loops, float64 inside
            Gemm.multiply(scalar.gemm(), pool, 1, x, false, w, true, 0, reference);
            TensorOps.create(pool, scalar).biasActivation(Activation.SIGMOID, reference, b, reference);

            double largest = 0;
            for (long i = 0; i < h.size(); i++) {
                largest = Math.max(largest, Math.abs(h.getFlat(i) - reference.getFlat(i)));
            }
            return largest;
        }
    }

    /** Ten shuffled epochs over the training images, as the README shows them. */
    static void batches(long seed) throws IOException {
        try (Dataset train = Datasets.load("fashion-mnist", Split.TRAIN);          // 60,000 x 784, pixels in [0, 1]
             Batcher batches = Batcher.create(train, BatchOptions.shuffled(128, seed).withDropLast(true))) {
            for (int epoch = 0; epoch < 10; epoch++) {
                batches.startEpoch(epoch);
                while (batches.next()) {
                    Tensor x = batches.features();   // 128 x 784, the same off-heap buffer every batch
                    int[] y = batches.labels();      // first batches.rows() entries
                }
            }
        }
    }
}
