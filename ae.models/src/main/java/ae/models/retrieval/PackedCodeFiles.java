package ae.models.retrieval;

import ae.data.AtomicFiles;
import ae.data.Dataset;
import ae.data.NpyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Binary codes as an NPY file in numpy's {@code packbits} layout: an {@code n x ceil(bits / 8)} uint8 array, bit j
 * of a code being bit {@code 7 - j % 8} (the most significant first) of byte {@code j / 8}, the padding bits zero.
 * So {@code np.unpackbits(np.load(f), axis=1)[:, :bits]} gives the 0/1 codes, column j bit j.
 */
public final class PackedCodeFiles {
    private PackedCodeFiles() {
    }

    /**
     * Writes {@code codes}, atomically.
     *
     * @throws IOException if the file cannot be written; a previous file is then left as it was
     */
    public static void write(Path file, BinaryCodes codes) throws IOException {
        int n = codes.count();
        int bytesPerCode = (codes.bits() + 7) / 8;
        String dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + n + ", " + bytesPerCode + "), }";
        int unpadded = 10 + dict.length() + 1;
        int headerLength = (unpadded + 63) / 64 * 64 - 10;
        StringBuilder header = new StringBuilder(dict);
        while (header.length() < headerLength - 1) {
            header.append(' ');
        }
        header.append('\n');
        byte[] payload = new byte[Math.multiplyExact(n, bytesPerCode)];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < codes.bits(); j++) {
                if (codes.bit(i, j)) {
                    payload[i * bytesPerCode + j / 8] |= (byte) (0x80 >>> (j % 8));
                }
            }
        }
        AtomicFiles.write(file, out -> {
            out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                    (byte) headerLength, (byte) (headerLength >>> 8)});
            out.write(header.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
        });
    }

    /**
     * Reads codes of {@code bits} bits from a packbits NPY file of {@code n x ceil(bits / 8)} uint8 values; an
     * IllegalArgumentException names the file and the width at fault.
     *
     * @throws IOException if the file cannot be read or is not a packed code file of {@code bits}-bit codes
     */
    public static BinaryCodes read(Path file, int bits) throws IOException {
        try (Dataset data = NpyFiles.read(file, file.getFileName().toString())) {
            int bytesPerCode = (bits + 7) / 8;
            if (data.dimension() != bytesPerCode) {
                throw new IllegalArgumentException(file + ": codes of " + data.dimension() * 8 + " bits ("
                        + data.dimension() + " bytes a row), the index has codes of " + bits + " bits ("
                        + bytesPerCode + " bytes)");
            }
            int words = BinaryCodes.wordsFor(bits);
            long[] out = new long[Math.multiplyExact(data.size(), words)];
            for (int i = 0; i < data.size(); i++) {
                for (int c = 0; c < bytesPerCode; c++) {
                    float v = data.get(i, c);
                    if (v != Math.rint(v) || v < 0 || v > 255) {
                        throw new IllegalArgumentException(file + ": row " + i + ", byte " + c + " is " + v
                                + ", not a uint8 of packed bits");
                    }
                    int b = (int) v;
                    for (int k = 0; k < 8; k++) {
                        if ((b & (0x80 >>> k)) != 0) {
                            int j = c * 8 + k;
                            if (j >= bits) {
                                throw new IllegalArgumentException(file + ": row " + i + " has padding bit " + j
                                        + " set, past the index's " + bits + " bits");
                            }
                            out[i * words + (j >>> 6)] |= 1L << (j & 63);
                        }
                    }
                }
            }
            return new BinaryCodes(data.size(), bits, out);
        }
    }
}
