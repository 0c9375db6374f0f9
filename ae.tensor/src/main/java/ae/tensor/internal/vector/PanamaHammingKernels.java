package ae.tensor.internal.vector;

import ae.tensor.HammingKernels;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Hamming kernels on the Vector API: a lane per code, XOR with the broadcast query word and a lanewise bit count,
 * summed over the word planes. The scan keeps four blocks of lanes in flight (four independent accumulators, so the
 * bit counts of one block overlap the loads of the next) and looks at them together: one comparison of their
 * minimum against the bound decides whether any lane needs the scalar path, which, once a top-k sink is full, is
 * rare. The tail that does not fill a block goes through the scalar code.
 */
public final class PanamaHammingKernels implements HammingKernels {
    public static final PanamaHammingKernels INSTANCE = new PanamaHammingKernels();

    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
    private static final int LANES = LONGS.length();
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class,
            VectorShape.forBitSize(LANES * Integer.SIZE));
    private static final int BLOCKS = 4;

    private PanamaHammingKernels() {
    }

    @Override
    public String name() {
        return "simd";
    }

    private static LongVector distance(long[] codes, int stride, int words, long[] query, int i) {
        LongVector d = LongVector.fromArray(LONGS, codes, i).lanewise(VectorOperators.XOR, query[0])
                .lanewise(VectorOperators.BIT_COUNT);
        for (int w = 1; w < words; w++) {
            d = d.add(LongVector.fromArray(LONGS, codes, w * stride + i).lanewise(VectorOperators.XOR, query[w])
                    .lanewise(VectorOperators.BIT_COUNT));
        }
        return d;
    }

    @Override
    public void distances(long[] codes, int stride, int words, long[] query, int from, int to, int[] out,
                          int outOffset) {
        int i = from;
        for (int end = to - LANES; i <= end; i += LANES) {
            ((IntVector) distance(codes, stride, words, query, i).convertShape(VectorOperators.L2I, INTS, 0))
                    .intoArray(out, outOffset + i - from);
        }
        for (; i < to; i++) {
            out[outOffset + i - from] = ScalarHammingKernels.distance(codes, stride, words, query, i);
        }
    }

    @Override
    public int scan(long[] codes, int stride, int words, long[] query, int from, int to, int bound,
                    Candidates sink) {
        return words == 1 ? scanOneWord(codes, query[0], from, to, bound, sink)
                : scanWords(codes, stride, words, query, from, to, bound, sink);
    }

    /** Codes of up to 64 bits: the query word stays in a register. */
    private static int scanOneWord(long[] codes, long query, int from, int to, int bound, Candidates sink) {
        LongVector q = LongVector.broadcast(LONGS, query);
        int i = from;
        for (int end = to - BLOCKS * LANES; i <= end; i += BLOCKS * LANES) {
            LongVector d0 = LongVector.fromArray(LONGS, codes, i).lanewise(VectorOperators.XOR, q)
                    .lanewise(VectorOperators.BIT_COUNT);
            LongVector d1 = LongVector.fromArray(LONGS, codes, i + LANES).lanewise(VectorOperators.XOR, q)
                    .lanewise(VectorOperators.BIT_COUNT);
            LongVector d2 = LongVector.fromArray(LONGS, codes, i + 2 * LANES).lanewise(VectorOperators.XOR, q)
                    .lanewise(VectorOperators.BIT_COUNT);
            LongVector d3 = LongVector.fromArray(LONGS, codes, i + 3 * LANES).lanewise(VectorOperators.XOR, q)
                    .lanewise(VectorOperators.BIT_COUNT);
            if (d0.min(d1).min(d2.min(d3)).compare(VectorOperators.LT, bound).anyTrue()) {
                bound = offerOneWord(codes, query, i, i + BLOCKS * LANES, bound, sink);
            }
        }
        return offerOneWord(codes, query, i, to, bound, sink);
    }

    private static int offerOneWord(long[] codes, long query, int from, int to, int bound, Candidates sink) {
        for (int i = from; i < to; i++) {
            int d = Long.bitCount(codes[i] ^ query);
            if (d < bound) {
                bound = sink.offer(i, d);
            }
        }
        return bound;
    }

    private static int scanWords(long[] codes, int stride, int words, long[] query, int from, int to, int bound,
                                 Candidates sink) {
        int i = from;
        for (int end = to - BLOCKS * LANES; i <= end; i += BLOCKS * LANES) {
            LongVector d0 = distance(codes, stride, words, query, i);
            LongVector d1 = distance(codes, stride, words, query, i + LANES);
            LongVector d2 = distance(codes, stride, words, query, i + 2 * LANES);
            LongVector d3 = distance(codes, stride, words, query, i + 3 * LANES);
            if (d0.min(d1).min(d2.min(d3)).compare(VectorOperators.LT, bound).anyTrue()) {
                bound = offerScalar(codes, stride, words, query, i, i + BLOCKS * LANES, bound, sink);
            }
        }
        return offerScalar(codes, stride, words, query, i, to, bound, sink);
    }

    private static int offerScalar(long[] codes, int stride, int words, long[] query, int from, int to, int bound,
                                   Candidates sink) {
        for (int i = from; i < to; i++) {
            int d = ScalarHammingKernels.distance(codes, stride, words, query, i);
            if (d < bound) {
                bound = sink.offer(i, d);
            }
        }
        return bound;
    }
}
