package ae.cli.output;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * PNG files of 8-bit RGB pictures (RGBA when the image has alpha): one IHDR, the pixel rows deflated into IDAT
 * chunks with no row filter, one IEND (PNG specification, second edition, chapters 5, 7 and 11).
 *
 * <p>Why not {@code ImageIO}: at the end of a training run its PNG writer is cold code, loaded and interpreted for
 * the first time, and chooses an adaptive filter for every row; the four pictures of {@code ae train} spent 100 to
 * 140 ms in it, and 30 to 90 ms here (docs/startup.md). Here the work is one pass that copies each row's bytes,
 * and the native deflater at its fastest level: the pictures are drawings with large flat areas, which deflate
 * well without row filters (files 6 to 10 per cent larger than ImageIO's, the loss curve's 40 per cent).
 */
final class PngEncoder {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** Bytes per IDAT chunk at most: readers buffer a chunk, so it is kept moderate. */
    private static final int CHUNK = 1 << 16;
    private static final int COLOUR_TYPE_RGB = 2;
    private static final int COLOUR_TYPE_RGBA = 6;

    private PngEncoder() {
    }

    /** Writes {@code image} as a PNG file to {@code out} (not closed). */
    static void write(BufferedImage image, OutputStream out) throws IOException {
        int width = image.getWidth();
        int height = image.getHeight();
        boolean alpha = image.getColorModel().hasAlpha();
        int channels = alpha ? 4 : 3;
        out.write(SIGNATURE);
        byte[] header = new byte[13];
        putInt(header, 0, width);
        putInt(header, 4, height);
        header[8] = 8;
        header[9] = (byte) (alpha ? COLOUR_TYPE_RGBA : COLOUR_TYPE_RGB);
        // Bytes 10 to 12: deflate compression, adaptive filtering (every row says its filter), no interlace.
        chunk(out, "IHDR", header, header.length);

        byte[] row = new byte[1 + width * channels];
        int[] argb = new int[width];
        int[] pixels = packedRgb(image);
        byte[] compressed = new byte[CHUNK];
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            int filled = 0;
            for (int y = 0; y < height; y++) {
                if (pixels != null) {
                    System.arraycopy(pixels, y * width, argb, 0, width);
                } else {
                    image.getRGB(0, y, width, 1, argb, 0, width);
                }
                row[0] = 0; // filter type None
                int at = 1;
                for (int x = 0; x < width; x++) {
                    int p = argb[x];
                    row[at++] = (byte) (p >>> 16);
                    row[at++] = (byte) (p >>> 8);
                    row[at++] = (byte) p;
                    if (alpha) {
                        row[at++] = (byte) (p >>> 24);
                    }
                }
                deflater.setInput(row);
                while (!deflater.needsInput()) {
                    filled = drain(out, deflater, compressed, filled);
                }
            }
            deflater.finish();
            while (!deflater.finished()) {
                filled = drain(out, deflater, compressed, filled);
            }
            if (filled > 0) {
                chunk(out, "IDAT", compressed, filled);
            }
        } finally {
            deflater.end();
        }
        chunk(out, "IEND", new byte[0], 0);
    }

    /**
     * The pixels of a {@code TYPE_INT_RGB} image that owns its whole buffer row after row (what a new image is), or
     * null for any other layout (a sub-image, another type), which goes through {@code getRGB}.
     */
    private static int[] packedRgb(BufferedImage image) {
        WritableRaster raster = image.getRaster();
        if (image.getType() == BufferedImage.TYPE_INT_RGB && raster.getParent() == null
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
                && raster.getSampleModel() instanceof SinglePixelPackedSampleModel model
                && model.getScanlineStride() == image.getWidth()
                && raster.getDataBuffer() instanceof DataBufferInt buffer && buffer.getOffset() == 0
                && buffer.getNumBanks() == 1) {
            return buffer.getData();
        }
        return null;
    }

    /** Deflates into {@code buffer} after its first {@code filled} bytes; writes an IDAT chunk once it is full. */
    private static int drain(OutputStream out, Deflater deflater, byte[] buffer, int filled) throws IOException {
        filled += deflater.deflate(buffer, filled, buffer.length - filled);
        if (filled == buffer.length) {
            chunk(out, "IDAT", buffer, filled);
            return 0;
        }
        return filled;
    }

    private static void chunk(OutputStream out, String type, byte[] data, int length) throws IOException {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        byte[] word = new byte[4];
        putInt(word, 0, length);
        out.write(word);
        out.write(typeBytes);
        out.write(data, 0, length);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data, 0, length);
        putInt(word, 0, (int) crc.getValue());
        out.write(word);
    }

    private static void putInt(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }
}
