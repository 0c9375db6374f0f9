package ae.bench;

import java.util.Arrays;

/**
 * R3's step time over R1's, measured side by side: steps of the two alternate (in a seeded random order per pair) in
 * one process, so that the load of a shared machine falls on both alike, and the medians are compared.
 *
 * <p>{@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp benchmarks.jar
 * ae.bench.ContractiveStepRatio [kernels simd|scalar|openblas] [threads] [warm-up pairs] [measured pairs]}
 */
public final class ContractiveStepRatio {
    private ContractiveStepRatio() {
    }

    public static void main(String[] args) {
        String kernels = args.length > 0 ? args[0] : "simd";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        int pairs = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        try (ContractiveWorkloads w = new ContractiveWorkloads(kernels, threads)) {
            for (int i = 0; i < warmup; i++) {
                w.r1Step();
                w.r3Step();
            }
            long[] r1 = new long[pairs];
            long[] r3 = new long[pairs];
            double[] ratios = new double[pairs];
            java.util.SplittableRandom order = new java.util.SplittableRandom(pairs);
            double sink = 0;
            for (int i = 0; i < pairs; i++) {
                boolean r1First = order.nextBoolean();
                if (r1First) {
                    long t0 = System.nanoTime();
                    sink += w.r1Step();
                    long t1 = System.nanoTime();
                    sink += w.r3Step();
                    r1[i] = t1 - t0;
                    r3[i] = System.nanoTime() - t1;
                } else {
                    long t0 = System.nanoTime();
                    sink += w.r3Step();
                    long t1 = System.nanoTime();
                    sink += w.r1Step();
                    r3[i] = t1 - t0;
                    r1[i] = System.nanoTime() - t1;
                }
                ratios[i] = (double) r3[i] / r1[i];
            }
            double r1Median = median(r1) / 1e6;
            double r3Median = median(r3) / 1e6;
            Arrays.sort(ratios);
            System.out.printf("kernels %s, %d thread(s), %d pairs after %d warm-up pairs (loss sum %.3g)%n",
                    kernels, threads, pairs, warmup, sink);
            System.out.printf("R1 step: median %.3f ms (min %.3f)%n", r1Median,
                    Arrays.stream(r1).min().orElse(0) / 1e6);
            System.out.printf("R3 step: median %.3f ms (min %.3f)%n", r3Median,
                    Arrays.stream(r3).min().orElse(0) / 1e6);
            System.out.printf("R3/R1: ratio of medians %.3f, median of pair ratios %.3f (quartiles %.3f .. %.3f)%n",
                    r3Median / r1Median, ratios[pairs / 2], ratios[pairs / 4], ratios[3 * pairs / 4]);
        }
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
