package ae.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reader for IDX files, the format of MNIST and Fashion-MNIST: unsigned-byte images and labels, raw or gzip
 * (recognised by content, not by name).
 *
 * <p>An IDX file is a 4-byte header {@code 0x00 0x00 type rank}, then {@code rank} big-endian unsigned 32-bit
 * dimensions, then the elements in row-major order. Only type 0x08 (unsigned byte) is read. An image file of
 * shape {@code (n, h, w)} becomes an {@code n x (h*w)} dataset with pixels divided by 255, so in [0, 1] as every
 * workload expects; the pixels stay bytes until used ({@link Dataset#isStoredAsBytes()}). A label file has rank 1.
 *
 * <p>Headers are checked before anything is allocated: each dimension must be non-zero and fit an int, their
 * product must not overflow and must fit what the file can hold (exactly the remaining length of a raw file, at
 * most the deflate bound for gzip), and image and label counts must agree. Payloads of gzip files and resources are
 * read in chunks allocated as bytes arrive. Any violation is a {@link MalformedDataException}.
 */
public final class IdxFiles {
    /** The one element type read: unsigned byte. */
    static final int TYPE_UNSIGNED_BYTE = 0x08;
    /** Largest element count accepted, 2^32 (16 GiB as float32): beyond that a header is more likely corrupt. */
    static final long MAX_ELEMENTS = 1L << 32;
    private static final int MAX_RANK = 16;

    private IdxFiles() {
    }

    /**
     * Images and their labels as one dataset; the counts in the two headers must agree.
     *
     * @throws IOException if a file cannot be read, or {@link MalformedDataException} naming the file, offset and
     *         field at fault
     */
    public static Dataset read(Path images, Path labels, String name) throws IOException {
        return read(ByteSource.file(images), ByteSource.file(labels), name);
    }

    /**
     * Images alone, as an unlabelled dataset.
     *
     * @throws IOException if the file cannot be read, or {@link MalformedDataException} naming the offset and field
     *         at fault
     */
    public static Dataset readImages(Path images, String name) throws IOException {
        ByteSource source = ByteSource.file(images);
        try (DecodedStream in = DecodedStream.open(source)) {
            Header header = readHeader(in, true);
            return readImagePayload(in, header, name, null);
        }
    }

    /**
     * The labels of a rank-1 unsigned-byte IDX file.
     *
     * @throws IOException if the file cannot be read, or {@link MalformedDataException} naming the offset and field
     *         at fault
     */
    public static int[] readLabels(Path labels) throws IOException {
        ByteSource source = ByteSource.file(labels);
        try (DecodedStream in = DecodedStream.open(source)) {
            Header header = readHeader(in, false);
            return readLabelPayload(in, header);
        }
    }

    static Dataset read(ByteSource images, ByteSource labels, String name) throws IOException {
        try (DecodedStream imageIn = DecodedStream.open(images); DecodedStream labelIn = DecodedStream.open(labels)) {
            Header imageHeader = readHeader(imageIn, true);
            Header labelHeader = readHeader(labelIn, false);
            if (imageHeader.count() != labelHeader.count()) {
                throw MalformedDataException.atOffset(labels.name(), 4, "dimension 0 (label count)",
                        "declares " + labelHeader.count() + " labels but " + images.name() + " declares "
                                + imageHeader.count() + " images");
            }
            int[] labelValues = readLabelPayload(labelIn, labelHeader);
            return readImagePayload(imageIn, imageHeader, name, labelValues);
        }
    }

    /** The checked header: example count and elements per example. */
    record Header(int count, int elementsPerExample) {
        long payloadBytes() {
            return (long) count * elementsPerExample;
        }
    }

    static Header readHeader(DecodedStream in, boolean images) throws IOException {
        String src = in.sourceName();
        byte[] head = new byte[4];
        in.readFully(head, 0, 4, "magic number");
        if (head[0] != 0 || head[1] != 0) {
            throw MalformedDataException.atOffset(src, 0, "magic number", String.format(
                    "starts with 0x%02x 0x%02x, not 0x00 0x00: not an IDX file", head[0] & 0xFF, head[1] & 0xFF));
        }
        int type = head[2] & 0xFF;
        if (type != TYPE_UNSIGNED_BYTE) {
            throw MalformedDataException.atOffset(src, 2, "data type", String.format(
                    "0x%02x is not supported; only 0x08 (unsigned byte) is read", type));
        }
        int rank = head[3] & 0xFF;
        if (images && (rank < 2 || rank > MAX_RANK)) {
            throw MalformedDataException.atOffset(src, 3, "dimension count", "an image file needs 2 to " + MAX_RANK
                    + " dimensions (count, then the shape of one image), got " + rank
                    + (rank == 1 ? ": is this a label file?" : ""));
        }
        if (!images && rank != 1) {
            throw MalformedDataException.atOffset(src, 3, "dimension count",
                    "a label file has exactly 1 dimension, got " + rank + (rank > 1 ? ": is this an image file?" : ""));
        }
        long headerBytes = 4L + 4L * rank;
        if (headerBytes - in.position() > in.maxRemaining()) {
            throw MalformedDataException.atOffset(src, 3, "dimension count", rank + " dimensions need a "
                    + headerBytes + "-byte header, longer than the file");
        }
        byte[] dimBytes = new byte[4 * rank];
        int[] dims = new int[rank];
        long perExample = 1;
        for (int i = 0; i < rank; i++) {
            long offset = 4L + 4L * i;
            String field = dimensionName(i, rank, images);
            in.readFully(dimBytes, 4 * i, 4, field);
            long dim = ((dimBytes[4 * i] & 0xFFL) << 24) | ((dimBytes[4 * i + 1] & 0xFFL) << 16)
                    | ((dimBytes[4 * i + 2] & 0xFFL) << 8) | (dimBytes[4 * i + 3] & 0xFFL);
            if (dim == 0) {
                throw MalformedDataException.atOffset(src, offset, field, "is 0: the file holds no data");
            }
            if (dim > Integer.MAX_VALUE) {
                throw MalformedDataException.atOffset(src, offset, field, dim + " exceeds " + Integer.MAX_VALUE);
            }
            dims[i] = (int) dim;
            if (i > 0) {
                perExample *= dim;
                if (perExample > Integer.MAX_VALUE) {
                    throw MalformedDataException.atOffset(src, offset, field, "elements per example overflow: "
                            + "the product of dimensions 1.." + i + " exceeds " + Integer.MAX_VALUE);
                }
            }
        }
        long total = dims[0] * perExample;
        String payloadField = images ? "pixel data" : "label data";
        if (total > MAX_ELEMENTS) {
            throw MalformedDataException.atOffset(src, 4, "dimension 0 (" + (images ? "image" : "label") + " count)",
                    dims[0] + " x " + perExample + " = " + total + " elements exceed the limit of " + MAX_ELEMENTS);
        }
        long available = in.maxRemaining();
        if (in.lengthIsExact() && total != available) {
            throw MalformedDataException.atOffset(src, headerBytes, payloadField, "the header declares " + total
                    + " bytes but the file holds " + available + " after the header: "
                    + (total > available ? "truncated or a wrong count" : "trailing bytes or a wrong count"));
        }
        if (total > available) {
            throw MalformedDataException.atOffset(src, headerBytes, payloadField, "the header declares " + total
                    + " bytes, more than a gzip file of its size can hold (deflate expands at most "
                    + DecodedStream.MAX_DEFLATE_RATIO + ":1)");
        }
        return new Header(dims[0], (int) perExample);
    }

    private static String dimensionName(int i, int rank, boolean images) {
        if (i == 0) {
            return "dimension 0 (" + (images ? "image" : "label") + " count)";
        }
        if (rank == 3) {
            return "dimension " + i + (i == 1 ? " (rows)" : " (columns)");
        }
        return "dimension " + i;
    }

    private static int[] readLabelPayload(DecodedStream in, Header header) throws IOException {
        List<byte[]> chunks = in.readPayload(header.payloadBytes(), "label data");
        int[] labels = new int[header.count()];
        int at = 0;
        for (byte[] chunk : chunks) {
            for (byte b : chunk) {
                labels[at++] = b & 0xFF;
            }
        }
        return labels;
    }

    /** The pixels stay unsigned bytes off-heap (see {@link UnitBytes}); batches are converted as they are cut. */
    private static Dataset readImagePayload(DecodedStream in, Header header, String name, int[] labels)
            throws IOException {
        UnitBytes pixels = in.readPayloadOffHeap(header.payloadBytes(), "pixel data");
        try {
            return Dataset.owningUnitBytes(name, pixels, header.count(), header.elementsPerExample(), labels);
        } catch (RuntimeException | Error e) {
            pixels.close();
            throw e;
        }
    }
}
