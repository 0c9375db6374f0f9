package ae.data;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Unsigned bytes off-heap, each standing for the float32 {@code b / 255}: the pixels of an IDX image file kept as
 * the file stores them, a quarter of their size as floats, converted a batch at a time.
 *
 * <p>The bytes live in chunks of {@link DecodedStream#CHUNK_BYTES}, allocated as a reader receives them, so that a
 * header claiming more than a file holds costs at most one chunk. Memory comes from a shared arena: evaluation may
 * read from another thread than the one that loaded the data. Once read, the bytes never change, so datasets may
 * share them: each holder {@link #retain}s them and {@link #close}s its hold, and the last close frees them.
 */
final class UnitBytes implements AutoCloseable {
    private static final int CHUNK_SHIFT = Integer.numberOfTrailingZeros(DecodedStream.CHUNK_BYTES);
    private static final long CHUNK_MASK = DecodedStream.CHUNK_BYTES - 1L;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** {@code b / 255f} for each byte value: the correctly rounded quotient, as numpy's {@code x / 255} gives. */
    private static final float[] UNIT = new float[256];

    static {
        if (Integer.bitCount(DecodedStream.CHUNK_BYTES) != 1) {
            throw new AssertionError("chunk size must be a power of two");
        }
        for (int b = 0; b < 256; b++) {
            UNIT[b] = b / 255f;
        }
    }

    private final Arena arena = Arena.ofShared();
    private MemorySegment[] chunks = new MemorySegment[0];
    private long size;
    private int holders = 1;

    /** Adds a chunk of {@code bytes} (at most {@link DecodedStream#CHUNK_BYTES}) to the end and returns it to fill. */
    MemorySegment appendChunk(int bytes) {
        if (bytes <= 0 || bytes > DecodedStream.CHUNK_BYTES || (size & CHUNK_MASK) != 0) {
            throw new IllegalStateException("chunks are appended whole, of at most " + DecodedStream.CHUNK_BYTES
                    + " bytes; got " + bytes + " after " + size);
        }
        FeatureAllocation.record(bytes);
        MemorySegment chunk = arena.allocate(bytes);
        chunks = Arrays.copyOf(chunks, chunks.length + 1);
        chunks[chunks.length - 1] = chunk;
        size += bytes;
        return chunk;
    }

    /** A copy of the rows {@code rows} of {@code rowBytes} bytes each, in that order, into new bytes. */
    UnitBytes copyRows(int[] rows, int rowBytes) {
        UnitBytes out = new UnitBytes();
        try {
            long total = (long) rows.length * rowBytes;
            long written = 0;
            MemorySegment chunk = null;
            long chunkFill = 0;
            for (int r : rows) {
                long from = (long) r * rowBytes;
                int left = rowBytes;
                while (left > 0) {
                    if (chunk == null || chunkFill == chunk.byteSize()) {
                        chunk = out.appendChunk((int) Math.min(DecodedStream.CHUNK_BYTES, total - written));
                        chunkFill = 0;
                    }
                    int n = (int) Math.min(left, Math.min(chunk.byteSize() - chunkFill, room(from)));
                    MemorySegment.copy(chunks[(int) (from >>> CHUNK_SHIFT)], from & CHUNK_MASK, chunk, chunkFill, n);
                    from += n;
                    chunkFill += n;
                    written += n;
                    left -= n;
                }
            }
            return out;
        } catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
    }

    private static long room(long at) {
        return DecodedStream.CHUNK_BYTES - (at & CHUNK_MASK);
    }

    long size() {
        return size;
    }

    /** Byte {@code at} as its float. */
    float get(long at) {
        return UNIT[chunks[(int) (at >>> CHUNK_SHIFT)].get(ValueLayout.JAVA_BYTE, at & CHUNK_MASK) & 0xFF];
    }

    /** Writes bytes {@code [from, from + count)} as floats into {@code dst} from float index {@code dstIndex}. */
    void toFloats(long from, long count, MemorySegment dst, long dstIndex) {
        while (count > 0) {
            MemorySegment chunk = chunks[(int) (from >>> CHUNK_SHIFT)];
            long offset = from & CHUNK_MASK;
            int n = (int) Math.min(count, chunk.byteSize() - offset);
            for (int i = 0; i < n; i++) {
                dst.setAtIndex(F32, dstIndex + i, UNIT[chunk.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFF]);
            }
            from += n;
            dstIndex += n;
            count -= n;
        }
    }

    /** One more holder of these bytes, which must not be freed yet. */
    synchronized UnitBytes retain() {
        if (holders == 0) {
            throw new IllegalStateException("the bytes are already freed");
        }
        holders++;
        return this;
    }

    /** Ends one holder's hold; the last one frees the bytes. Each holder closes once. */
    @Override
    public synchronized void close() {
        if (holders > 0 && --holders == 0) {
            chunks = new MemorySegment[0];
            arena.close();
        }
    }
}
