package ae.models.retrieval;

import ae.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@code count} binary codes of {@code bits} bits each, packed row by row into {@code wordsPerCode() = ceil(bits /
 * 64)} 64-bit words: bit {@code j} of a code is bit {@code j % 64} (the least significant first) of its word
 * {@code j / 64}; the bits past {@code bits} in the last word are zero.
 */
public final class BinaryCodes {
    private final int count;
    private final int bits;
    private final int wordsPerCode;
    private final long[] words;

    /** Codes from packed words, row-major; the words are not copied. */
    public BinaryCodes(int count, int bits, long[] words) {
        Objects.requireNonNull(words, "words");
        if (count < 0) {
            throw new IllegalArgumentException("the number of codes must be >= 0, got " + count);
        }
        if (bits < 1) {
            throw new IllegalArgumentException("a code needs at least 1 bit, got " + bits);
        }
        this.count = count;
        this.bits = bits;
        this.wordsPerCode = wordsFor(bits);
        if ((long) count * wordsPerCode != words.length) {
            throw new IllegalArgumentException(count + " codes of " + bits + " bits take " + (long) count * wordsPerCode
                    + " words, got " + words.length);
        }
        long spare = spareMask(bits);
        for (int i = 0; i < count && spare != 0; i++) {
            if ((words[i * wordsPerCode + wordsPerCode - 1] & spare) != 0) {
                throw new IllegalArgumentException("code " + i + " has bits set past its " + bits + " bits");
            }
        }
        this.words = words;
    }

    /** 64-bit words a code of {@code bits} bits takes. */
    public static int wordsFor(int bits) {
        return (bits + 63) >>> 6;
    }

    /** The bits of a code's last word past {@code bits}: zero when bits is a multiple of 64. */
    static long spareMask(int bits) {
        int used = bits & 63;
        return used == 0 ? 0 : -1L << used;
    }

    /** The rows of {@code values} (n x bits) as codes: bit j is 1 where value j is above {@code threshold}. */
    public static BinaryCodes threshold(Tensor values, double threshold) {
        int n = values.rows();
        int bits = values.cols();
        int w = wordsFor(bits);
        long[] words = new long[Math.multiplyExact(n, w)];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < bits; j++) {
                if (values.get(i, j) > threshold) {
                    words[i * w + (j >>> 6)] |= 1L << (j & 63);
                }
            }
        }
        return new BinaryCodes(n, bits, words);
    }

    /** The rows of {@code values} ({@code n x bits}, row-major) as codes: bit j is 1 where value j is positive. */
    public static BinaryCodes signs(double[] values, int n, int bits) {
        if ((long) n * bits != values.length) {
            throw new IllegalArgumentException(n + " x " + bits + " values expected, got " + values.length);
        }
        int w = wordsFor(bits);
        long[] words = new long[Math.multiplyExact(n, w)];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < bits; j++) {
                if (values[i * bits + j] > 0) {
                    words[i * w + (j >>> 6)] |= 1L << (j & 63);
                }
            }
        }
        return new BinaryCodes(n, bits, words);
    }

    /** The number of codes. */
    public int count() {
        return count;
    }

    /** Bits per code. */
    public int bits() {
        return bits;
    }

    /** 64-bit words per code, {@code ceil(bits / 64)}. */
    public int wordsPerCode() {
        return wordsPerCode;
    }

    /** Word {@code word} of code {@code row}. */
    public long word(int row, int word) {
        return words[row * wordsPerCode + word];
    }

    /** Bit {@code bit} of code {@code row}. */
    public boolean bit(int row, int bit) {
        return (word(row, bit >>> 6) >>> (bit & 63) & 1) != 0;
    }

    /** The packed words, row-major (a copy). */
    public long[] words() {
        return words.clone();
    }

    /** Code {@code row}'s words into {@code out} at {@code offset}. */
    public void copyCode(int row, long[] out, int offset) {
        System.arraycopy(words, row * wordsPerCode, out, offset, wordsPerCode);
    }

    /** The codes of {@code rows}, in that order. */
    public BinaryCodes select(int[] rows) {
        long[] out = new long[Math.multiplyExact(rows.length, wordsPerCode)];
        for (int i = 0; i < rows.length; i++) {
            Objects.checkIndex(rows[i], count);
            copyCode(rows[i], out, i * wordsPerCode);
        }
        return new BinaryCodes(rows.length, bits, out);
    }

    /** The Hamming distance between code {@code a} here and code {@code b} of {@code other}. */
    public int distance(int a, BinaryCodes other, int b) {
        if (other.bits != bits) {
            throw new IllegalArgumentException("codes of " + bits + " and " + other.bits + " bits");
        }
        int d = 0;
        for (int w = 0; w < wordsPerCode; w++) {
            d += Long.bitCount(word(a, w) ^ other.word(b, w));
        }
        return d;
    }

    /** Words in the library's order as read directly: the array itself, for the index (not copied). */
    long[] wordsView() {
        return words;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BinaryCodes c && c.count == count && c.bits == bits && Arrays.equals(c.words, words);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * count + bits) + Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        return "BinaryCodes[" + count + " x " + bits + " bits]";
    }
}
