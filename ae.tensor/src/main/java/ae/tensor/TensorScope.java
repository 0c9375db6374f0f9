package ae.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The owner of a group of tensors' off-heap memory: a model, a workspace, a batch buffer.
 *
 * <p>Memory comes from a shared {@link Arena}, because the compute pool's threads read and write it.
 * Closing the scope frees every tensor allocated from it at once; a tensor used afterwards throws
 * {@link IllegalStateException} naming this scope instead of touching freed memory.
 */
public final class TensorScope implements AutoCloseable {
    /** Cache-line and AVX-512 register alignment: misaligned vector loads run about half as fast. */
    public static final long ALIGNMENT = 64;

    /** Bytes ever requested and bytes in scopes not yet closed, over all scopes: the off-heap accounting. */
    private static final AtomicLong BYTES_REQUESTED = new AtomicLong();
    private static final AtomicLong BYTES_LIVE = new AtomicLong();

    private final String name;
    private final Arena arena;
    private final AtomicLong bytesHeld = new AtomicLong();
    private volatile boolean open = true;

    private TensorScope(String name) {
        this.name = Objects.requireNonNull(name, "name");
        this.arena = Arena.ofShared();
    }

    /** Opens a scope; {@code name} appears in error messages about its tensors. */
    public static TensorScope open(String name) {
        return new TensorScope(name);
    }

    /** The scope's name, for messages. */
    public String name() {
        return name;
    }

    /** False once the scope is closed and its tensors' memory freed. */
    public boolean isOpen() {
        return open;
    }

    /** A zero-filled, 64-byte-aligned, row-major tensor of the given shape. */
    public Tensor allocate(DType dtype, int... shape) {
        Objects.requireNonNull(dtype, "dtype");
        int[] dims = Shapes.checkedCopy(shape);
        long elements = Shapes.elementCount(dims);
        long bytes = Math.multiplyExact(elements, (long) dtype.byteSize());
        checkOpen();
        MemorySegment segment = arena.allocate(Math.max(bytes, 1), ALIGNMENT);
        bytesHeld.addAndGet(bytes);
        BYTES_REQUESTED.addAndGet(bytes);
        BYTES_LIVE.addAndGet(bytes);
        return new Tensor(this, segment, dtype, 0, dims, Shapes.rowMajorStrides(dims));
    }

    /** A zero-filled float32 tensor. */
    public Tensor allocateFloat(int... shape) {
        return allocate(DType.F32, shape);
    }

    /** A zero-filled float64 tensor. */
    public Tensor allocateDouble(int... shape) {
        return allocate(DType.F64, shape);
    }

    /** A float32 tensor holding a copy of {@code values}, shaped as given. */
    public Tensor fromArray(float[] values, int... shape) {
        Tensor t = allocate(DType.F32, shape);
        t.copyFrom(values);
        return t;
    }

    /** A float64 tensor holding a copy of {@code values}, shaped as given. */
    public Tensor fromArray(double[] values, int... shape) {
        Tensor t = allocate(DType.F64, shape);
        t.copyFrom(values);
        return t;
    }

    /**
     * Tensor bytes allocated by every scope since the JVM started: what tests check a reader of a hostile file
     * against (allocation in proportion to the file, never to what its header claims).
     */
    public static long totalBytesRequested() {
        return BYTES_REQUESTED.get();
    }

    /** Tensor bytes held by scopes not yet closed: flat over a long run unless something leaks. */
    public static long liveBytes() {
        return BYTES_LIVE.get();
    }

    void checkOpen() {
        if (!open) {
            throw new IllegalStateException("tensor scope '" + name + "' is closed; its tensors can no longer be used");
        }
    }

    /** Frees every tensor of this scope. Idempotent. */
    @Override
    public synchronized void close() {
        if (open) {
            open = false;
            arena.close();
            BYTES_LIVE.addAndGet(-bytesHeld.get());
        }
    }

    @Override
    public String toString() {
        return "TensorScope[" + name + (open ? "" : ", closed") + "]";
    }
}
