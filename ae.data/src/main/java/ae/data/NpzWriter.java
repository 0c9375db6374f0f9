package ae.data;

import ae.tensor.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes several named arrays into one NPZ file, the zip of NPY files that {@code np.savez} and
 * {@code np.savez_compressed} produce and {@code np.load} reads as a dict.
 *
 * <p>Uncompressed archives store each entry as-is, like {@code np.savez}; the zip format then needs each entry's
 * CRC before its data, so the writer makes one pass to checksum an array and a second to write it, instead of
 * buffering a copy. Tensors must stay open until {@link #write} returns. The file goes to a temporary name first and
 * is renamed into place.
 */
public final class NpzWriter {
    private final Map<String, NpyArray> arrays = new LinkedHashMap<>();

    /** An empty archive; {@link #add} arrays, then {@link #write(Path, boolean)} it. */
    public NpzWriter() {
    }

    /** Adds a float32 or float64 tensor under {@code name} (loaded as {@code npz[name]}). */
    public NpzWriter add(String name, Tensor array) {
        put(name, NpyArray.of(Objects.requireNonNull(array, "array")));
        return this;
    }

    /** Adds int values as a 1-D int32 array. */
    public NpzWriter add(String name, int[] values) {
        put(name, NpyArray.of(Objects.requireNonNull(values, "values")));
        return this;
    }

    private void put(String name, NpyArray array) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.contains("/") || name.contains("\\")) {
            throw new IllegalArgumentException("array name must be non-empty with no path separators, got '" + name + "'");
        }
        if (arrays.putIfAbsent(name, array) != null) {
            throw new IllegalArgumentException("array '" + name + "' added twice");
        }
    }

    /**
     * A dataset's features as {@code features} and, if it has labels, its labels as {@code labels}.
     *
     * @throws IOException if the file cannot be written; a previous file is then left as it was
     */
    public static void write(Path file, Dataset dataset, boolean compressed) throws IOException {
        NpzWriter writer = new NpzWriter().add("features", dataset.features());
        if (dataset.hasLabels()) {
            writer.add("labels", dataset.labels());
        }
        writer.write(file, compressed);
    }

    /**
     * Writes the arrays added so far to {@code file}, deflated if {@code compressed}.
     *
     * @throws IllegalStateException if no array was added
     * @throws IOException if the file cannot be written; a previous file is then left as it was
     */
    public void write(Path file, boolean compressed) throws IOException {
        if (arrays.isEmpty()) {
            throw new IllegalStateException("no arrays to write");
        }
        AtomicFiles.write(file, out -> writeZip(out, compressed));
    }

    private void writeZip(OutputStream out, boolean compressed) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
            ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
            if (compressed) {
                entry.setMethod(ZipEntry.DEFLATED);
            } else {
                CRC32 crc = new CRC32();
                CountingStream counter = new CountingStream();
                e.getValue().writeTo(new CheckedOutputStream(counter, crc));
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(counter.count);
                entry.setCompressedSize(counter.count);
                entry.setCrc(crc.getValue());
            }
            zip.putNextEntry(entry);
            e.getValue().writeTo(zip);
            zip.closeEntry();
        }
        zip.finish();
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
