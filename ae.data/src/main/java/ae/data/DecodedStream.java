package ae.data;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The bytes of a binary data file, decompressed if it is gzip (recognised by its magic number, not its name),
 * with the position counted in decoded bytes so that errors can name an offset.
 *
 * <p>Every read that runs short or hits a corrupt gzip stream becomes a {@link MalformedDataException} naming the
 * field being read. Payloads are read into chunks allocated only as bytes arrive, so a header that claims more than
 * the stream holds costs at most one chunk of memory before it is caught.
 */
final class DecodedStream implements Closeable {
    /**
     * Deflate's largest expansion: the longest match (258 bytes) costs at least two bits, so a gzip file of
     * {@code L} bytes never decodes to more than {@code 1032 * L} bytes (zlib documents the same limit).
     */
    static final long MAX_DEFLATE_RATIO = 1032;
    /** Chunks are this size so that reading one stays cheap and the chunk list stays short for real files. */
    static final int CHUNK_BYTES = 4 << 20;
    private static final int GZIP_BUFFER_BYTES = 1 << 16;

    private final ByteSource source;
    private final InputStream in;
    private final boolean gzip;
    private long position;

    private DecodedStream(ByteSource source, InputStream in, boolean gzip) {
        this.source = source;
        this.in = in;
        this.gzip = gzip;
    }

    static DecodedStream open(ByteSource source) throws IOException {
        InputStream raw = source.open();
        try {
            BufferedInputStream buffered = new BufferedInputStream(raw, GZIP_BUFFER_BYTES);
            buffered.mark(2);
            int b0 = buffered.read();
            int b1 = buffered.read();
            buffered.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            if (!gzip) {
                return new DecodedStream(source, buffered, false);
            }
            try {
                return new DecodedStream(source, new GZIPInputStream(buffered, GZIP_BUFFER_BYTES), true);
            } catch (EOFException | ZipException e) {
                throw MalformedDataException.atOffset(source.name(), 0, "gzip header",
                        "not a readable gzip header (" + e.getMessage() + ")", e);
            }
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    String sourceName() {
        return source.name();
    }

    /** Decoded bytes consumed so far. */
    long position() {
        return position;
    }

    /**
     * The most decoded bytes this stream can still deliver, judged from the stored length alone: exact for a raw
     * file, the deflate bound for a gzip file, unknown ({@link Long#MAX_VALUE}) for a resource.
     */
    long maxRemaining() {
        long stored = source.length();
        if (stored < 0) {
            return Long.MAX_VALUE;
        }
        if (!gzip) {
            return stored - position;
        }
        return stored > Long.MAX_VALUE / MAX_DEFLATE_RATIO ? Long.MAX_VALUE : stored * MAX_DEFLATE_RATIO - position;
    }

    /** True if the stored length is known exactly in decoded bytes (a raw file). */
    boolean lengthIsExact() {
        return !gzip && source.length() >= 0;
    }

    /** Reads exactly {@code len} bytes of {@code field}; a short read is a truncated file. */
    void readFully(byte[] buffer, int offset, int len, String field) throws IOException {
        long start = position;
        int done = 0;
        while (done < len) {
            int n = read(buffer, offset + done, len - done, field);
            if (n < 0) {
                throw MalformedDataException.atOffset(source.name(), start, field,
                        "file ends after " + done + " of the field's " + len + " bytes: truncated");
            }
            done += n;
        }
    }

    /**
     * Reads exactly {@code count} payload bytes and then requires the end of the stream. Chunks are allocated as
     * bytes arrive; the caller converts them and drops them.
     */
    List<byte[]> readPayload(long count, String field) throws IOException {
        long start = position;
        List<byte[]> chunks = new ArrayList<>();
        long remaining = count;
        while (remaining > 0) {
            byte[] chunk = new byte[(int) Math.min(remaining, CHUNK_BYTES)];
            int done = 0;
            while (done < chunk.length) {
                int n = read(chunk, done, chunk.length - done, field);
                if (n < 0) {
                    throw MalformedDataException.atOffset(source.name(), position, field, "file ends after "
                            + (position - start) + " of the " + count + " bytes the header declares: truncated");
                }
                done += n;
            }
            chunks.add(chunk);
            remaining -= chunk.length;
        }
        requireEnd(field);
        return chunks;
    }

    /**
     * Reads exactly {@code count} payload bytes into off-heap chunks, and then requires the end of the stream. Each
     * chunk is staged in one reused heap buffer and allocated off-heap only once its bytes have arrived (the last
     * one once the end is checked), so that off-heap memory never exceeds what the file delivers.
     */
    UnitBytes readPayloadOffHeap(long count, String field) throws IOException {
        long start = position;
        UnitBytes out = new UnitBytes();
        try {
            byte[] staging = new byte[(int) Math.min(count, CHUNK_BYTES)];
            long remaining = count;
            while (remaining > 0) {
                int length = (int) Math.min(remaining, CHUNK_BYTES);
                int done = 0;
                while (done < length) {
                    int n = read(staging, done, length - done, field);
                    if (n < 0) {
                        throw MalformedDataException.atOffset(source.name(), position, field, "file ends after "
                                + (position - start) + " of the " + count + " bytes the header declares: truncated");
                    }
                    done += n;
                }
                remaining -= length;
                if (remaining == 0) {
                    // The gzip trailer's check comes before the last chunk is allocated: a corrupt small file then
                    // costs no off-heap memory at all.
                    requireEnd(field);
                }
                MemorySegment.copy(staging, 0, out.appendChunk(length), ValueLayout.JAVA_BYTE, 0, length);
            }
            return out;
        } catch (IOException | RuntimeException | Error e) {
            out.close();
            throw e;
        }
    }

    /** Requires that nothing follows; for gzip this also makes the stream check its CRC trailer. */
    void requireEnd(String field) throws IOException {
        byte[] probe = new byte[1];
        if (read(probe, 0, 1, "gzip trailer after " + field) > 0) {
            throw MalformedDataException.atOffset(source.name(), position - 1, field,
                    "data continues past the size the header declares");
        }
    }

    private int read(byte[] buffer, int offset, int len, String field) throws IOException {
        int n;
        try {
            n = in.read(buffer, offset, len);
        } catch (EOFException e) {
            throw MalformedDataException.atOffset(source.name(), position, field,
                    "gzip stream ends early (" + e.getMessage() + "): truncated", e);
        } catch (ZipException e) {
            throw MalformedDataException.atOffset(source.name(), position, field,
                    "corrupt gzip stream (" + e.getMessage() + ")", e);
        }
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
