package ae.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPOutputStream;

/** Small valid files, built in memory, for readers to be tested and mutated on. */
final class TestFiles {
    private TestFiles() {
    }

    /** An IDX unsigned-byte file of the given shape whose element i is {@code (i * 7 + 3) & 0xFF}. */
    static byte[] idx(int... dims) {
        long count = 1;
        for (int d : dims) {
            count *= d;
        }
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + (int) count);
        b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        for (int i = 0; i < count; i++) {
            b.put((byte) (i * 7 + 3));
        }
        return b.array();
    }

    /** An IDX label file holding {@code labels}. */
    static byte[] idxLabels(int... labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) 1).putInt(labels.length);
        for (int l : labels) {
            b.put((byte) l);
        }
        return b.array();
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A float32 NPY file of shape {@code (rows, cols)} holding {@code i * 0.5 - 1}. */
    static byte[] npyFloat32(int rows, int cols) {
        byte[] header = NpyArray.header("<f4", new int[] {rows, cols});
        ByteBuffer b = ByteBuffer.allocate(header.length + rows * cols * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(header);
        for (int i = 0; i < rows * cols; i++) {
            b.putFloat(i * 0.5f - 1);
        }
        return b.array();
    }

    /** An NPY file with the given header values and payload, built by hand so that headers can be wrong. */
    static byte[] npy(String descr, String shape, byte[] payload, boolean fortran) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': "
                + shape + ", }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        byte[] text = (dict + " ".repeat(pad) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(10 + text.length + payload.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(NpyArray.MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text).put(payload);
        return b.array();
    }
}
