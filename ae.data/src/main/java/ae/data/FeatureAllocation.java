package ae.data;

import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where every reader allocates the features it returns. The running total of bytes requested lets the fuzz tests
 * check the promise that matters most for hostile files: no reader ever allocates more than a few bytes per byte the
 * file actually delivers, whatever its header claims.
 */
final class FeatureAllocation {
    private static final AtomicLong BYTES_REQUESTED = new AtomicLong();

    private FeatureAllocation() {
    }

    static Tensor allocate(TensorScope scope, int rows, int cols) {
        record((long) rows * cols * Float.BYTES);
        return scope.allocateFloat(rows, cols);
    }

    /** Counts {@code bytes} of features allocated elsewhere (the unsigned bytes of {@link UnitBytes}). */
    static void record(long bytes) {
        BYTES_REQUESTED.addAndGet(bytes);
    }

    /** Bytes requested by all readers since the JVM started. */
    static long bytesRequested() {
        return BYTES_REQUESTED.get();
    }
}
