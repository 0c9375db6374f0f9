package ae.data;

import ae.tensor.Tensor;
import ae.tensor.TensorScope;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reader and writer of numpy's NPY format.
 *
 * <p>Reading accepts format versions 1 to 3, C order, and the element types float32 ({@code <f4}, {@code >f4}),
 * float64 ({@code <f8}, {@code >f8}, narrowed to float32) and uint8 ({@code |u1}, values kept as 0..255). An array
 * of shape {@code (n)} becomes an {@code n x 1} dataset, {@code (n, d)} an {@code n x d} one, and
 * {@code (n, a, b, ...)} an {@code n x (a*b*...)} one. NaN, infinities and float64 values beyond float32's range are
 * rejected. The header is checked against the file length before anything is allocated; every violation is a
 * {@link MalformedDataException}. A gzip-compressed NPY file is read as well (recognised by content).
 *
 * <p>Writing produces format 1.0, little-endian, C order, through a temporary file renamed into place.
 */
public final class NpyFiles {
    /** Header dicts longer than this are refused, as numpy itself refuses them by default. */
    static final int MAX_HEADER_BYTES = 1 << 16;
    private static final int MAX_RANK = 32;

    private NpyFiles() {
    }

    /**
     * Writes a float32 or float64 tensor of any shape.
     *
     * @throws IOException if the file cannot be written; a previous file is then left as it was
     */
    public static void write(Path file, Tensor array) throws IOException {
        NpyArray npy = NpyArray.of(Objects.requireNonNull(array, "array"));
        AtomicFiles.write(file, npy::writeTo);
    }

    /**
     * Writes int values (labels, for example) as a 1-D int32 array.
     *
     * @throws IOException if the file cannot be written; a previous file is then left as it was
     */
    public static void write(Path file, int[] values) throws IOException {
        NpyArray npy = NpyArray.of(Objects.requireNonNull(values, "values"));
        AtomicFiles.write(file, npy::writeTo);
    }

    /**
     * Reads an NPY file as an unlabelled dataset.
     *
     * @throws IOException if the file cannot be read, or {@link MalformedDataException} naming the offset and field
     *         at fault
     */
    public static Dataset read(Path file, String name) throws IOException {
        try (DecodedStream in = DecodedStream.open(ByteSource.file(file))) {
            return read(in, name);
        }
    }

    private enum ElementType {
        FLOAT32(4), FLOAT64(8), UINT8(1);

        final int bytes;

        ElementType(int bytes) {
            this.bytes = bytes;
        }
    }

    record Header(ElementType type, ByteOrder order, int rows, int cols, long payloadOffset) {
    }

    static Dataset read(DecodedStream in, String name) throws IOException {
        Header header = readHeader(in);
        long payloadBytes = (long) header.rows() * header.cols() * header.type().bytes;
        List<byte[]> chunks = in.readPayload(payloadBytes, "data");
        TensorScope scope = TensorScope.open(name);
        try {
            Tensor features = FeatureAllocation.allocate(scope, header.rows(), header.cols());
            convert(in.sourceName(), header, chunks, features);
            return Dataset.owning(name, scope, features, null);
        } catch (RuntimeException | Error | IOException e) {
            scope.close();
            throw e;
        }
    }

    static Header readHeader(DecodedStream in) throws IOException {
        String src = in.sourceName();
        byte[] preamble = new byte[8];
        in.readFully(preamble, 0, 6, "magic string");
        for (int i = 0; i < 6; i++) {
            if (preamble[i] != NpyArray.MAGIC[i]) {
                throw MalformedDataException.atOffset(src, i, "magic string", "not \\x93NUMPY: not an NPY file");
            }
        }
        in.readFully(preamble, 6, 2, "format version");
        int major = preamble[6] & 0xFF;
        if (major < 1 || major > 3) {
            throw MalformedDataException.atOffset(src, 6, "format version", "major version " + major
                    + " is not 1, 2 or 3");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        byte[] lengthField = new byte[4];
        in.readFully(lengthField, 0, lengthBytes, "header length");
        long headerLength = 0;
        for (int i = lengthBytes - 1; i >= 0; i--) {
            headerLength = (headerLength << 8) | (lengthField[i] & 0xFF);
        }
        long textStart = 8L + lengthBytes;
        if (headerLength > MAX_HEADER_BYTES) {
            throw MalformedDataException.atOffset(src, 8, "header length", headerLength + " bytes exceed the limit of "
                    + MAX_HEADER_BYTES);
        }
        if (headerLength > in.maxRemaining()) {
            throw MalformedDataException.atOffset(src, 8, "header length", headerLength
                    + " bytes run past the end of the file");
        }
        byte[] text = new byte[(int) headerLength];
        in.readFully(text, 0, text.length, "header");
        String dict = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        HeaderDict parsed = new HeaderDict(src, textStart, dict).parse();
        return checkShape(in, parsed, textStart + headerLength);
    }

    private static Header checkShape(DecodedStream in, HeaderDict dict, long payloadOffset) throws IOException {
        String src = in.sourceName();
        ElementType type;
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        String descr = dict.descr;
        switch (descr) {
            case "<f4" -> type = ElementType.FLOAT32;
            case ">f4" -> {
                type = ElementType.FLOAT32;
                order = ByteOrder.BIG_ENDIAN;
            }
            case "<f8" -> type = ElementType.FLOAT64;
            case ">f8" -> {
                type = ElementType.FLOAT64;
                order = ByteOrder.BIG_ENDIAN;
            }
            case "|u1", "<u1", ">u1", "u1" -> type = ElementType.UINT8;
            default -> throw MalformedDataException.atOffset(src, dict.offset("descr"), "descr", "element type '"
                    + descr + "' is not supported: use float32 (<f4), float64 (<f8) or uint8 (|u1)");
        }
        if (dict.fortranOrder) {
            throw MalformedDataException.atOffset(src, dict.offset("fortran_order"), "fortran_order",
                    "Fortran (column-major) order is not supported: save a C-ordered array (np.ascontiguousarray)");
        }
        long[] shape = dict.shape;
        long shapeOffset = dict.offset("shape");
        if (shape.length == 0) {
            throw MalformedDataException.atOffset(src, shapeOffset, "shape", "a scalar is not a dataset");
        }
        long cols = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0) {
                throw MalformedDataException.atOffset(src, shapeOffset, "shape", "dimension " + i
                        + " is 0: the file holds no data");
            }
            if (shape[i] > Integer.MAX_VALUE) {
                throw MalformedDataException.atOffset(src, shapeOffset, "shape", "dimension " + i + " = " + shape[i]
                        + " exceeds " + Integer.MAX_VALUE);
            }
            if (i > 0) {
                cols *= shape[i];
                if (cols > Integer.MAX_VALUE) {
                    throw MalformedDataException.atOffset(src, shapeOffset, "shape",
                            "elements per row overflow: the product of dimensions 1.." + i + " exceeds "
                                    + Integer.MAX_VALUE);
                }
            }
        }
        long elements = shape[0] * cols;
        if (elements > IdxFiles.MAX_ELEMENTS) {
            throw MalformedDataException.atOffset(src, shapeOffset, "shape", elements + " elements exceed the limit of "
                    + IdxFiles.MAX_ELEMENTS);
        }
        long payload = elements * type.bytes;
        long available = in.maxRemaining();
        if (in.lengthIsExact() ? payload != available : payload > available) {
            throw MalformedDataException.atOffset(src, payloadOffset, "data", "the shape " + dict.shapeText
                    + " of " + descr + " needs " + payload + " bytes but the file "
                    + (in.lengthIsExact() ? "holds " + available : "can hold at most " + available)
                    + " after the header");
        }
        return new Header(type, order, (int) shape[0], (int) cols, payloadOffset);
    }

    private static void convert(String src, Header header, List<byte[]> chunks, Tensor features)
            throws MalformedDataException {
        MemorySegment dst = features.segment();
        long dstIndex = features.offset();
        long element = 0;
        int cols = header.cols();
        ValueLayout.OfFloat f32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(header.order());
        ValueLayout.OfDouble f64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(header.order());
        for (int c = 0; c < chunks.size(); c++) {
            byte[] chunk = chunks.get(c);
            chunks.set(c, null);
            MemorySegment src32 = MemorySegment.ofArray(chunk);
            // Chunk sizes are multiples of 8 bytes, so no element straddles two chunks.
            int count = chunk.length / header.type().bytes;
            switch (header.type()) {
                case UINT8 -> {
                    for (int i = 0; i < count; i++) {
                        dst.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, dstIndex + i, chunk[i] & 0xFF);
                    }
                }
                case FLOAT32 -> {
                    MemorySegment.copy(src32, f32, 0, dst, ValueLayout.JAVA_FLOAT_UNALIGNED, dstIndex * Float.BYTES,
                            count);
                    for (int i = 0; i < count; i++) {
                        float v = dst.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, dstIndex + i);
                        if (!Float.isFinite(v)) {
                            throw badValue(src, header, element + i, cols, v, "NaN and infinities are not allowed");
                        }
                    }
                }
                case FLOAT64 -> {
                    for (int i = 0; i < count; i++) {
                        double v = src32.getAtIndex(f64, i);
                        float f = (float) v;
                        if (!Float.isFinite(f)) {
                            throw badValue(src, header, element + i, cols, v, Double.isFinite(v)
                                    ? "beyond float32's range" : "NaN and infinities are not allowed");
                        }
                        dst.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, dstIndex + i, f);
                    }
                }
            }
            dstIndex += count;
            element += count;
        }
    }

    private static MalformedDataException badValue(String src, Header header, long element, int cols, double value,
            String problem) {
        long offset = header.payloadOffset() + element * header.type().bytes;
        return MalformedDataException.atOffset(src, offset, "data[" + element / cols + ", " + element % cols + "]",
                value + ": " + problem);
    }

    /**
     * The header dict, a Python literal such as {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }},
     * parsed strictly: exactly the three keys numpy writes, string, boolean and int-tuple values, then spaces and
     * one newline.
     */
    private static final class HeaderDict {
        private final String src;
        private final long baseOffset;
        private final String text;
        private int at;
        String descr;
        Boolean fortranOrder;
        long[] shape;
        String shapeText;
        private final java.util.Map<String, Integer> keyOffsets = new java.util.HashMap<>();

        HeaderDict(String src, long baseOffset, String text) {
            this.src = src;
            this.baseOffset = baseOffset;
            this.text = text;
        }

        long offset(String key) {
            return baseOffset + keyOffsets.getOrDefault(key, 0);
        }

        private MalformedDataException error(String problem) {
            return MalformedDataException.atOffset(src, baseOffset + at, "header", problem + " in header '"
                    + (text.length() > 120 ? text.substring(0, 120) + "..." : text.strip()) + "'");
        }

        HeaderDict parse() throws MalformedDataException {
            skipSpaces();
            expect('{');
            skipSpaces();
            while (peek() != '}') {
                int keyAt = at;
                String key = string();
                skipSpaces();
                expect(':');
                skipSpaces();
                if (keyOffsets.put(key, keyAt) != null) {
                    throw error("key '" + key + "' repeated");
                }
                switch (key) {
                    case "descr" -> descr = string();
                    case "fortran_order" -> fortranOrder = bool();
                    case "shape" -> {
                        int start = at;
                        shape = tuple();
                        shapeText = text.substring(start, at);
                    }
                    default -> throw error("unexpected key '" + key + "'");
                }
                skipSpaces();
                if (peek() == ',') {
                    at++;
                    skipSpaces();
                } else if (peek() != '}') {
                    throw error("expected ',' or '}' at character " + at);
                }
            }
            at++;
            while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\0')) {
                at++;
            }
            if (at != text.length() - 1 || text.charAt(at) != '\n') {
                throw error("the header must end in spaces and one newline");
            }
            if (descr == null || fortranOrder == null || shape == null) {
                throw error("missing key " + (descr == null ? "'descr'" : fortranOrder == null ? "'fortran_order'"
                        : "'shape'"));
            }
            return this;
        }

        private char peek() throws MalformedDataException {
            if (at >= text.length()) {
                throw error("unexpected end");
            }
            return text.charAt(at);
        }

        private void expect(char c) throws MalformedDataException {
            if (peek() != c) {
                throw error("expected '" + c + "' at character " + at);
            }
            at++;
        }

        private void skipSpaces() {
            while (at < text.length() && text.charAt(at) == ' ') {
                at++;
            }
        }

        private String string() throws MalformedDataException {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw error("expected a quoted string at character " + at);
            }
            int end = text.indexOf(quote, at + 1);
            if (end < 0) {
                throw error("unterminated string at character " + at);
            }
            String s = text.substring(at + 1, end);
            at = end + 1;
            return s;
        }

        private boolean bool() throws MalformedDataException {
            if (text.startsWith("True", at)) {
                at += 4;
                return true;
            }
            if (text.startsWith("False", at)) {
                at += 5;
                return false;
            }
            throw error("expected True or False at character " + at);
        }

        private long[] tuple() throws MalformedDataException {
            expect('(');
            List<Long> dims = new ArrayList<>();
            skipSpaces();
            while (peek() != ')') {
                if (dims.size() == MAX_RANK) {
                    throw error("more than " + MAX_RANK + " dimensions");
                }
                dims.add(integer());
                skipSpaces();
                if (peek() == 'L') {
                    at++; // Python 2's long suffix, still found in old files
                    skipSpaces();
                }
                if (peek() == ',') {
                    at++;
                    skipSpaces();
                } else if (peek() != ')') {
                    throw error("expected ',' or ')' in shape at character " + at);
                }
            }
            at++;
            long[] out = new long[dims.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = dims.get(i);
            }
            return out;
        }

        private long integer() throws MalformedDataException {
            int start = at;
            while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
                at++;
            }
            if (at == start) {
                throw error("expected a non-negative integer at character " + start);
            }
            if (at - start > 12) {
                throw error("dimension " + text.substring(start, at) + " is too large");
            }
            return Long.parseLong(text, start, at, 10);
        }
    }
}
