package ae.models.retrieval;

import ae.tensor.HammingKernels;
import ae.tensor.Kernels;
import java.util.Arrays;
import java.util.Objects;

/**
 * An in-memory index of binary codes with their row ids and (optionally) class labels, searched by Hamming distance
 * in two ways:
 * <ul>
 *   <li>{@link #nearest}: exhaustive Hamming ranking, the k codes nearest the query, found by one SIMD scan that
 *       keeps a bounded heap of the best k so far (never sorting the database);</li>
 *   <li>{@link #within}: semantic hashing's "memory address" lookup, every code within Hamming radius r of the query
 *       (r at most {@value AddressTable#MAX_RADIUS}), found by flipping every set of up to r bits of the query and
 *       looking each result up in a hash table of the stored codes.</li>
 * </ul>
 * <p>Ties: codes at the same distance are ranked by row id, ascending. Row ids are strictly ascending in the index,
 * so this is also the order in which they are stored.
 *
 * <p>The codes are kept in word planes (see {@link HammingKernels}); an index is immutable and may be searched from
 * several threads, each with its own {@link Searcher}.
 */
public final class HammingIndex {
    private final int count;
    private final int bits;
    private final int words;
    private final long[] planes;
    private final long[] rowIds;
    private final int[] labels;
    private final HammingKernels kernels;
    private volatile AddressTable addresses;

    /**
     * An index over {@code codes}; {@code rowIds} strictly ascending (one per code), {@code labels} one per code or
     * null.
     */
    public HammingIndex(BinaryCodes codes, long[] rowIds, int[] labels) {
        this(codes, rowIds, labels, Kernels.preferred().hamming());
    }

    /** As {@link #HammingIndex(BinaryCodes, long[], int[])}, scanning with the given kernels. */
    public HammingIndex(BinaryCodes codes, long[] rowIds, int[] labels, HammingKernels kernels) {
        Objects.requireNonNull(codes, "codes");
        Objects.requireNonNull(rowIds, "rowIds");
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        count = codes.count();
        bits = codes.bits();
        words = codes.wordsPerCode();
        if (rowIds.length != count) {
            throw new IllegalArgumentException(count + " codes but " + rowIds.length + " row ids");
        }
        for (int i = 1; i < count; i++) {
            if (rowIds[i] <= rowIds[i - 1]) {
                throw new IllegalArgumentException("row ids must be strictly ascending: row id " + rowIds[i]
                        + " at position " + i + " follows " + rowIds[i - 1]);
            }
        }
        if (labels != null && labels.length != count) {
            throw new IllegalArgumentException(count + " codes but " + labels.length + " labels");
        }
        this.rowIds = rowIds.clone();
        this.labels = labels == null ? null : labels.clone();
        long[] packed = codes.wordsView();
        planes = new long[Math.multiplyExact(count, words)];
        for (int i = 0; i < count; i++) {
            for (int w = 0; w < words; w++) {
                planes[w * count + i] = packed[i * words + w];
            }
        }
    }

    /** An index whose row ids are 0 .. n - 1. */
    public static HammingIndex of(BinaryCodes codes, int[] labels) {
        long[] ids = new long[codes.count()];
        Arrays.setAll(ids, i -> i);
        return new HammingIndex(codes, ids, labels);
    }

    /** The number of codes in the index. */
    public int size() {
        return count;
    }

    /** Bits per code. */
    public int bits() {
        return bits;
    }

    /** 64-bit words per code, {@code ceil(bits / 64)}. */
    public int wordsPerCode() {
        return words;
    }

    /** True if the index holds a class label per code. */
    public boolean hasLabels() {
        return labels != null;
    }

    /** The row id at {@code position}. */
    public long rowId(int position) {
        return rowIds[position];
    }

    /** The label at {@code position}; IllegalStateException without labels. */
    public int label(int position) {
        if (labels == null) {
            throw new IllegalStateException("the index has no labels");
        }
        return labels[position];
    }

    /** The stored codes, row-major (as {@link BinaryCodes} packs them). */
    public BinaryCodes codes() {
        long[] out = new long[planes.length];
        for (int i = 0; i < count; i++) {
            for (int w = 0; w < words; w++) {
                out[i * words + w] = planes[w * count + i];
            }
        }
        return new BinaryCodes(count, bits, out);
    }

    long[] rowIdsView() {
        return rowIds;
    }

    int[] labelsView() {
        return labels;
    }

    void requireQuery(long[] query) {
        if (query.length != words) {
            throw new IllegalArgumentException("a query of " + query.length + " words, the index's codes have "
                    + words + " (" + bits + " bits)");
        }
        long spare = BinaryCodes.spareMask(bits);
        if ((query[words - 1] & spare) != 0) {
            throw new IllegalArgumentException("the query has bits set past the index's " + bits + " bits");
        }
    }

    /** {@code out[p]} = the Hamming distance of the code at position p to {@code query}; out has {@link #size()}. */
    public void distances(long[] query, int[] out) {
        requireQuery(query);
        if (out.length < count) {
            throw new IllegalArgumentException("distances need " + count + " places, got " + out.length);
        }
        kernels.distances(planes, count, words, query, 0, count, out, 0);
    }

    /** The {@code k} nearest codes to {@code query} (fewer if the index is smaller), nearest first. */
    public Neighbours nearest(long[] query, int k) {
        Searcher searcher = searcher(k);
        searcher.search(query);
        return searcher.neighbours();
    }

    /** Every code within Hamming distance {@code radius} of {@code query}, nearest first, ties by row id. */
    public Neighbours within(long[] query, int radius) {
        requireQuery(query);
        AddressTable table = addresses;
        if (table == null) {
            synchronized (this) {
                table = addresses;
                if (table == null) {
                    table = new AddressTable(planes, count, words);
                    addresses = table;
                }
            }
        }
        return table.within(query, radius, this);
    }

    /** A reusable top-k search: after the first, a search allocates nothing. */
    public Searcher searcher(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        return new Searcher(Math.min(k, count));
    }

    /**
     * The k nearest codes of one query at a time: a max-heap of the best k so far keyed by (distance, position), so
     * its root is the one to evict; once full, its root's distance is the bound the scan must beat. Because the
     * scan offers positions in ascending order, a code at the root's distance comes later than the root and loses
     * the tie, as the row-id order says.
     */
    public final class Searcher implements HammingKernels.Candidates {
        private final int k;
        private final int[] heapPosition;
        private final int[] heapDistance;
        private int size;

        private Searcher(int k) {
            this.k = k;
            heapPosition = new int[k];
            heapDistance = new int[k];
        }

        /** Finds the k nearest codes to {@code query}; read them with {@link #position}/{@link #distance}. */
        public void search(long[] query) {
            requireQuery(query);
            size = 0;
            if (k > 0) {
                kernels.scan(planes, count, words, query, 0, count, bits + 1, this);
            }
            sortHeap();
        }

        @Override
        public int offer(int position, int distance) {
            if (size < k) {
                int c = size++;
                while (c > 0) {
                    int parent = (c - 1) >>> 1;
                    if (!worse(distance, position, heapDistance[parent], heapPosition[parent])) {
                        break;
                    }
                    heapDistance[c] = heapDistance[parent];
                    heapPosition[c] = heapPosition[parent];
                    c = parent;
                }
                heapDistance[c] = distance;
                heapPosition[c] = position;
            } else {
                siftDown(0, size, distance, position);
            }
            return size < k ? bits + 1 : heapDistance[0];
        }

        /** True if (d1, p1) ranks after (d2, p2). */
        private static boolean worse(int d1, int p1, int d2, int p2) {
            return d1 > d2 || (d1 == d2 && p1 > p2);
        }

        /** Places (distance, position) at {@code at} and sifts it down within the first {@code n} entries. */
        private void siftDown(int at, int n, int distance, int position) {
            int c = at;
            while (true) {
                int child = 2 * c + 1;
                if (child >= n) {
                    break;
                }
                if (child + 1 < n && worse(heapDistance[child + 1], heapPosition[child + 1], heapDistance[child],
                        heapPosition[child])) {
                    child++;
                }
                if (!worse(heapDistance[child], heapPosition[child], distance, position)) {
                    break;
                }
                heapDistance[c] = heapDistance[child];
                heapPosition[c] = heapPosition[child];
                c = child;
            }
            heapDistance[c] = distance;
            heapPosition[c] = position;
        }

        /** Heapsort in place: afterwards the entries are nearest first. */
        private void sortHeap() {
            for (int end = size - 1; end > 0; end--) {
                int d = heapDistance[end];
                int p = heapPosition[end];
                heapDistance[end] = heapDistance[0];
                heapPosition[end] = heapPosition[0];
                siftDown(0, end, d, p);
            }
        }

        /** How many neighbours the last search found: min(k, size of the index). */
        public int found() {
            return size;
        }

        /** The position (in the index) of the i-th nearest. */
        public int position(int i) {
            Objects.checkIndex(i, size);
            return heapPosition[i];
        }

        /** The distance of the i-th nearest. */
        public int distance(int i) {
            Objects.checkIndex(i, size);
            return heapDistance[i];
        }

        /** The last search's result as a {@link Neighbours} (allocates). */
        public Neighbours neighbours() {
            return Neighbours.of(HammingIndex.this, Arrays.copyOf(heapPosition, size),
                    Arrays.copyOf(heapDistance, size));
        }
    }
}
