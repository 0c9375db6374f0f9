package ae.models.retrieval;

import java.util.Arrays;

/**
 * Semantic hashing's memory addresses: the distinct stored codes in an open-addressing hash table, each with the
 * positions holding it. A radius-r lookup flips every set of at most r bits of the query (1 + B + B(B-1)/2 + ...
 * probes for B bits) and collects the positions at each address found; distinct flip sets reach distinct codes, so
 * every stored code within the radius is found exactly once, at its distance.
 */
final class AddressTable {
    static final int MAX_RADIUS = 3;

    private final int words;
    /** Word w of distinct code c at distinct[c * words + w]. */
    private final long[] distinct;
    /** Positions of distinct code c: members[start[c] .. start[c + 1]), ascending. */
    private final int[] start;
    private final int[] members;
    /** Slot -> distinct code + 1, 0 for empty. */
    private final int[] slots;
    private final int mask;

    AddressTable(long[] planes, int count, int words) {
        this.words = words;
        Integer[] order = new Integer[count];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> {
            for (int w = 0; w < words; w++) {
                int c = Long.compareUnsigned(planes[w * count + a], planes[w * count + b]);
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(a, b);
        });
        long[] codes = new long[Math.multiplyExact(count, words)];
        int[] starts = new int[count + 1];
        members = new int[count];
        int groups = 0;
        for (int i = 0; i < count; i++) {
            int p = order[i];
            boolean same = i > 0;
            for (int w = 0; w < words && same; w++) {
                same = planes[w * count + p] == codes[(groups - 1) * words + w];
            }
            if (!same) {
                for (int w = 0; w < words; w++) {
                    codes[groups * words + w] = planes[w * count + p];
                }
                starts[groups++] = i;
            }
            members[i] = p;
        }
        starts[groups] = count;
        distinct = Arrays.copyOf(codes, groups * words);
        start = Arrays.copyOf(starts, groups + 1);
        int capacity = Integer.highestOneBit(Math.max(4, groups * 2 - 1)) << 1;
        slots = new int[capacity];
        mask = capacity - 1;
        for (int c = 0; c < groups; c++) {
            int s = hash(distinct, c * words) & mask;
            while (slots[s] != 0) {
                s = (s + 1) & mask;
            }
            slots[s] = c + 1;
        }
    }

    private int hash(long[] code, int offset) {
        long h = 0x9E3779B97F4A7C15L;
        for (int w = 0; w < words; w++) {
            h = (h ^ code[offset + w]) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return (int) (h ^ h >>> 32);
    }

    /** The distinct code equal to {@code code}, or -1. */
    private int find(long[] code) {
        int s = hash(code, 0) & mask;
        while (true) {
            int c = slots[s] - 1;
            if (c < 0) {
                return -1;
            }
            if (Arrays.equals(distinct, c * words, c * words + words, code, 0, words)) {
                return c;
            }
            s = (s + 1) & mask;
        }
    }

    Neighbours within(long[] query, int radius, HammingIndex index) {
        if (radius < 0 || radius > MAX_RADIUS) {
            throw new IllegalArgumentException("the lookup radius must be 0 to " + MAX_RADIUS + ", got " + radius);
        }
        Found found = new Found();
        long[] probe = query.clone();
        collect(probe, 0, 0, radius, index.bits(), found);
        return found.sorted(index);
    }

    /** Looks up {@code probe} (already {@code depth} flips from the query), then flips each later bit. */
    private void collect(long[] probe, int firstBit, int depth, int radius, int codeBits, Found found) {
        int c = find(probe);
        if (c >= 0) {
            for (int m = start[c]; m < start[c + 1]; m++) {
                found.add(members[m], depth);
            }
        }
        if (depth == radius) {
            return;
        }
        for (int b = firstBit; b < codeBits; b++) {
            probe[b >>> 6] ^= 1L << (b & 63);
            collect(probe, b + 1, depth + 1, radius, codeBits, found);
            probe[b >>> 6] ^= 1L << (b & 63);
        }
    }

    private static final class Found {
        int[] positions = new int[16];
        int[] distances = new int[16];
        int size;

        void add(int position, int distance) {
            if (size == positions.length) {
                positions = Arrays.copyOf(positions, size * 2);
                distances = Arrays.copyOf(distances, size * 2);
            }
            positions[size] = position;
            distances[size++] = distance;
        }

        /** Nearest first, ties by position (= row id order). */
        Neighbours sorted(HammingIndex index) {
            long[] keys = new long[size];
            for (int i = 0; i < size; i++) {
                keys[i] = (long) distances[i] << 32 | positions[i];
            }
            Arrays.sort(keys);
            int[] p = new int[size];
            int[] d = new int[size];
            for (int i = 0; i < size; i++) {
                p[i] = (int) keys[i];
                d[i] = (int) (keys[i] >>> 32);
            }
            return Neighbours.of(index, p, d);
        }
    }
}
