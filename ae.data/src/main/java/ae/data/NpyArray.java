package ae.data;

import ae.tensor.DType;
import ae.tensor.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/**
 * One array in NPY format 1.0, ready to be streamed: the header numpy expects (a Python dict literal padded with
 * spaces so that the data starts on a 64-byte boundary) and a payload written in row-major little-endian order
 * through a small reused chunk, so that writing a large tensor needs no large heap copy.
 */
final class NpyArray {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int CHUNK_BYTES = 1 << 16;
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final byte[] header;
    private final Tensor tensor;
    private final int[] ints;

    private NpyArray(byte[] header, Tensor tensor, int[] ints) {
        this.header = header;
        this.tensor = tensor;
        this.ints = ints;
    }

    static NpyArray of(Tensor tensor) {
        tensor.checkAlive();
        String descr = tensor.dtype() == DType.F32 ? "<f4" : "<f8";
        return new NpyArray(header(descr, tensor.shape()), tensor, null);
    }

    static NpyArray of(int[] values) {
        return new NpyArray(header("<i4", new int[] {values.length}), null, values.clone());
    }

    static byte[] header(String descr, int[] shape) {
        StringJoiner dims = new StringJoiner(", ", "(", shape.length == 1 ? ",)" : ")");
        for (int d : shape) {
            dims.add(Integer.toString(d));
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + dims + ", }";
        int preamble = MAGIC.length + 2 + 2;
        int unpadded = preamble + dict.length() + 1;
        int padded = (unpadded + 63) / 64 * 64;
        String text = dict + " ".repeat(padded - unpadded) + "\n";
        int headerLength = text.length();
        byte[] out = new byte[preamble + headerLength];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[6] = 1;
        out[7] = 0;
        out[8] = (byte) headerLength;
        out[9] = (byte) (headerLength >>> 8);
        byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(ascii, 0, out, preamble, ascii.length);
        return out;
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(header);
        byte[] chunk = new byte[CHUNK_BYTES];
        MemorySegment chunkSegment = MemorySegment.ofArray(chunk);
        if (ints != null) {
            writeInts(out, chunk, chunkSegment);
        } else if (tensor.isContiguous()) {
            writeContiguous(out, chunk, chunkSegment);
        } else {
            writeStrided(out, chunk, chunkSegment);
        }
    }

    private void writeInts(OutputStream out, byte[] chunk, MemorySegment chunkSegment) throws IOException {
        int perChunk = CHUNK_BYTES / Integer.BYTES;
        for (int from = 0; from < ints.length; from += perChunk) {
            int count = Math.min(perChunk, ints.length - from);
            MemorySegment.copy(ints, from, chunkSegment, I32_LE, 0, count);
            out.write(chunk, 0, count * Integer.BYTES);
        }
    }

    private void writeContiguous(OutputStream out, byte[] chunk, MemorySegment chunkSegment) throws IOException {
        ValueLayout nativeLayout = tensor.dtype().layout();
        ValueLayout little = tensor.dtype() == DType.F32 ? F32_LE : F64_LE;
        int size = tensor.dtype().byteSize();
        int perChunk = CHUNK_BYTES / size;
        long total = tensor.size();
        MemorySegment src = tensor.segment();
        for (long from = 0; from < total; from += perChunk) {
            int count = (int) Math.min(perChunk, total - from);
            MemorySegment.copy(src, nativeLayout, (tensor.offset() + from) * size, chunkSegment, little, 0, count);
            out.write(chunk, 0, count * size);
        }
    }

    private void writeStrided(OutputStream out, byte[] chunk, MemorySegment chunkSegment) throws IOException {
        boolean f32 = tensor.dtype() == DType.F32;
        int size = tensor.dtype().byteSize();
        int perChunk = CHUNK_BYTES / size;
        long total = tensor.size();
        for (long from = 0; from < total; from += perChunk) {
            int count = (int) Math.min(perChunk, total - from);
            for (int i = 0; i < count; i++) {
                double v = tensor.getFlat(from + i);
                if (f32) {
                    chunkSegment.setAtIndex(F32_LE, i, (float) v);
                } else {
                    chunkSegment.setAtIndex(F64_LE, i, v);
                }
            }
            out.write(chunk, 0, count * size);
        }
    }
}
