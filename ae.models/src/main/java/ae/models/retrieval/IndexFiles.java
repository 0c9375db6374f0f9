package ae.models.retrieval;

import ae.data.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The index file ({@code .aeh}) of docs/index-format.md: binary codes, their row ids and labels, with a CRC32C of
 * the whole. Written atomically (complete or not at all); read back with every field checked.
 */
public final class IndexFiles {
    /** {@code AEHASH\r\n}. */
    static final byte[] MAGIC = "AEHASH\r\n".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int HEADER_BYTES = 8 + 4 + 4 + 4 + 4;
    private static final int FLAG_LABELS = 1;

    private IndexFiles() {
    }

    /** Bytes of a file holding {@code count} codes of {@code words} words, with or without labels. */
    static long fileSize(long count, int words, boolean labels) {
        return HEADER_BYTES + count * 8 + (labels ? count * 4 : 0) + count * words * 8L + 4;
    }

    /**
     * Writes {@code index} to {@code file}, atomically.
     *
     * @throws IOException if the file cannot be written; a previous file is then left as it was
     */
    public static void write(Path file, HammingIndex index) throws IOException {
        int count = index.size();
        int words = index.wordsPerCode();
        boolean labels = index.hasLabels();
        long size = fileSize(count, words, labels);
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("an index of " + count + " codes is too large for one file");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(MAGIC).putInt(VERSION).putInt(index.bits()).putInt(count).putInt(labels ? FLAG_LABELS : 0);
        for (long id : index.rowIdsView()) {
            buffer.putLong(id);
        }
        if (labels) {
            for (int label : index.labelsView()) {
                buffer.putInt(label);
            }
        }
        for (long word : index.codes().wordsView()) {
            buffer.putLong(word);
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, buffer.position());
        buffer.putInt((int) crc.getValue());
        AtomicFiles.write(file, out -> out.write(buffer.array()));
    }

    /**
     * Reads an index file; {@link IndexFormatException} names the file, the byte offset and the first thing wrong
     * there. Nothing is allocated beyond a few times the file's own size.
     *
     * @throws IOException if the file cannot be read, or {@link IndexFormatException} naming what is damaged and where
     */
    public static HammingIndex read(Path file) throws IOException {
        String name = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(name, null, "no such index file");
        }
        if (bytes.length < HEADER_BYTES + 4) {
            throw new IndexFormatException(name, bytes.length, "truncated: " + bytes.length
                    + " bytes, shorter than the header and checksum (" + (HEADER_BYTES + 4) + ")");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        in.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IndexFormatException(name, 0, "not an ae index file (it does not start with AEHASH)");
        }
        int version = in.getInt();
        if (version != VERSION) {
            throw new IndexFormatException(name, 8, "index format version " + Integer.toUnsignedString(version)
                    + ", this ae reads version " + VERSION);
        }
        int bits = in.getInt();
        int count = in.getInt();
        int flags = in.getInt();
        if (bits < 1 || bits > 1 << 16) {
            throw new IndexFormatException(name, 12, "a code length of " + Integer.toUnsignedString(bits)
                    + " bits in the header (1 to 65536 allowed)");
        }
        if (count < 0) {
            throw new IndexFormatException(name, 16, "a count of " + Integer.toUnsignedString(count)
                    + " codes in the header (at most 2^31 - 1 allowed)");
        }
        if ((flags & ~FLAG_LABELS) != 0) {
            throw new IndexFormatException(name, 20, "unknown flags " + Integer.toHexString(flags) + " in the header");
        }
        boolean labels = (flags & FLAG_LABELS) != 0;
        int words = BinaryCodes.wordsFor(bits);
        // The header's sizes are checked against the file's length before anything is allocated from them.
        long expected = fileSize(count, words, labels);
        if (bytes.length != expected) {
            throw new IndexFormatException(name, Math.min(bytes.length, expected), (bytes.length < expected
                    ? "truncated" : "trailing bytes") + ": " + bytes.length + " bytes, the header's " + count
                    + " codes of " + bits + " bits" + (labels ? " with labels" : "") + " take " + expected);
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if ((int) crc.getValue() != stored) {
            throw new IndexFormatException(name, bytes.length - 4, "corrupt: the CRC32C of its contents does not"
                    + " match the one stored at its end");
        }
        long[] ids = new long[count];
        for (int i = 0; i < count; i++) {
            ids[i] = in.getLong();
            if (i > 0 && ids[i] <= ids[i - 1]) {
                throw new IndexFormatException(name, HEADER_BYTES + 8L * i, "row id " + ids[i] + " of code " + i
                        + " does not follow " + ids[i - 1] + " (row ids must be strictly ascending)");
            }
        }
        int[] labelValues = null;
        if (labels) {
            labelValues = new int[count];
            for (int i = 0; i < count; i++) {
                labelValues[i] = in.getInt();
            }
        }
        long[] codeWords = new long[count * words];
        long spare = BinaryCodes.spareMask(bits);
        for (int i = 0; i < codeWords.length; i++) {
            int position = in.position();
            codeWords[i] = in.getLong();
            if (i % words == words - 1 && (codeWords[i] & spare) != 0) {
                throw new IndexFormatException(name, position, "code " + i / words + " has bits set past its "
                        + bits + " bits");
            }
        }
        return new HammingIndex(new BinaryCodes(count, bits, codeWords), ids, labelValues);
    }
}
