package ae.bench;

import ae.data.Dataset;
import ae.data.FashionMnist;
import ae.data.IdxFiles;
import ae.data.Split;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading the 60,000 Fashion-MNIST training images (26 MB of gzip, 47 MB of pixels, 188 MB of float32) against raw
 * reads of the same bytes, so that the cost of ae.data's checks, chunking and conversion shows as a ratio.
 *
 * <ul>
 * <li>{@code rawReadCompressed}: the gzip file's bytes from the page cache, nothing else;</li>
 * <li>{@code rawGunzip}: the same file decompressed into a reused 1 MiB buffer: the floor for any gzip reader;</li>
 * <li>{@code aeLoadImages}: {@code IdxFiles.readImages}, the images as an off-heap dataset in [0, 1];</li>
 * <li>{@code aeLoadTrainSplit}: {@code FashionMnist.load(TRAIN)}, images and labels, what a workload calls.</li>
 * </ul>
 * Each ae load allocates and frees its 188 MB tensor, as a real load does. Needs Debian's dataset-fashion-mnist.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class DataLoadBenchmark {
    private Path folder;
    private Path trainImages;
    private byte[] buffer;

    @Setup
    public void locate() throws IOException {
        folder = FashionMnist.defaultFolder();
        trainImages = folder.resolve("train-images-idx3-ubyte.gz");
        if (!Files.isRegularFile(trainImages)) {
            throw new IOException(trainImages + " not found: install the Debian package dataset-fashion-mnist");
        }
        buffer = new byte[1 << 20];
    }

    @Benchmark
    public long rawReadCompressed() throws IOException {
        long total = 0;
        try (InputStream in = Files.newInputStream(trainImages)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
            }
        }
        return total;
    }

    @Benchmark
    public long rawGunzip() throws IOException {
        long total = 0;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(trainImages), 1 << 16)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
            }
        }
        return total;
    }

    @Benchmark
    public float aeLoadImages() throws IOException {
        try (Dataset images = IdxFiles.readImages(trainImages, "bench")) {
            return images.get(images.size() - 1, images.dimension() - 1);
        }
    }

    @Benchmark
    public int aeLoadTrainSplit() throws IOException {
        try (Dataset train = FashionMnist.load(folder, Split.TRAIN)) {
            return train.label(train.size() - 1) + (int) train.get(0, 0);
        }
    }
}
