package ae.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.URISyntaxException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every GEMM method that uses vectors must compile at C1's profiling tier (tier 3). HotSpot's tiered policy leaves a
 * method that C1 compiles at tier 2 but not at tier 3 ("out of virtual registers") at tier 2 for good, on the
 * Vector API's boxing fallback: with a 16-row register transpose of that size, products sometimes ran at about
 * 1.5 GFLOP/s for the life of the JVM. A child JVM stopped at tier 3 runs every kind of product and prints its
 * compilations; none of ae.tensor's may be skipped. A deliberately oversized method in the child must be
 * reported skipped, so the test knows it reads the JVM's output right and can fail.
 */
class GemmCompilationTest {
    private static final String OVERSIZED = "GemmCompilationTest$Probe::oversizedKernel";

    @Test
    void everyGemmMethodCompilesAtTheProfilingTier(@TempDir Path dir) throws IOException, InterruptedException, URISyntaxException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = dir.resolve("compilations.txt");
        String classPath = location(GemmKernels.class) + File.pathSeparator + location(GemmCompilationTest.class);
        Process child = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=3", "-Xbatch", "-XX:+PrintCompilation",
                "-cp", classPath, Probe.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = child.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            child.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(finished, "the probe JVM did not finish in 120 s:\n" + output);
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("probe done"), output);

        List<String> skipped = new ArrayList<>();
        boolean controlSkipped = false;
        for (String line : output.split("\n")) {
            if (line.contains("COMPILE SKIPPED")) {
                if (line.contains(OVERSIZED)) {
                    controlSkipped = true;
                } else if (line.contains("ae.tensor.")) {
                    skipped.add(line.strip());
                }
            }
        }
        assertTrue(controlSkipped, "the oversized control kernel was not reported as skipped, so this JVM's"
                + " output is not what the test reads:\n" + output.lines().filter(l -> l.contains("Probe")).toList());
        assertEquals(List.of(), skipped, "GEMM methods C1 cannot compile at tier 3");
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /** The child: every GEMM class, transpose combination and epilogue, often enough for C1 to compile them all. */
    public static final class Probe {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
        private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

        public static void main(String[] args) {
            // Rows x k x columns: ragged small tiles, several k blocks, and the tall float32 class (1024 rows on).
            int[][] shapes = {{37, 45, 29}, {64, 600, 96}, {1030, 40, 70}};
            float[] betas = {0f, 1f, 0.5f};
            // The control first.
            MemorySegment tile = Arena.global().allocate(12L * 2 * S.vectorByteSize(), 64);
            float[] tileA = new float[12 * 16];
            float[] tileB = new float[2 * S.length() * 16];
            for (int i = 0; i < 3000; i++) {
                oversizedKernel(16, tileA, tileB, tile, 2 * S.vectorByteSize(), 1f);
            }
            // Shared: at two threads the products past the split threshold are read by the pool's worker too.
            try (Arena arena = Arena.ofShared(); ComputePool one = ComputePool.create(1);
                 ComputePool two = ComputePool.create(2)) {
                long largest = 1030L * 600 * 8;
                MemorySegment a = arena.allocate(largest, 64);
                MemorySegment b = arena.allocate(largest, 64);
                MemorySegment c = arena.allocate(largest, 64);
                for (long i = 0; i < largest / 4; i++) {
                    a.setAtIndex(ValueLayout.JAVA_FLOAT, i, (i % 7) * 0.25f);
                    b.setAtIndex(ValueLayout.JAVA_FLOAT, i, (i % 5) * 0.5f);
                }
                GemmKernels simd = Kernels.simd().gemm();
                for (int round = 0; round < 6; round++) {
                    for (int[] shape : shapes) {
                        int m = shape[0];
                        int k = shape[1];
                        int n = shape[2];
                        for (int variant = 0; variant < 4; variant++) {
                            boolean transA = (variant & 1) != 0;
                            boolean transB = (variant & 2) != 0;
                            ComputePool pool = round % 2 == 0 ? one : two;
                            float beta = betas[(round + variant) % betas.length];
                            simd.sgemm(pool, transA, transB, m, n, k, 1.5f, a, 0, transA ? m : k, b, 0, transB ? k : n,
                                    beta, c, 0, n);
                            if (m < 1024) {
                                simd.dgemm(pool, transA, transB, m, n, k, 1.5, a, 0, transA ? m : k, b, 0,
                                        transB ? k : n, beta, c, 0, n);
                            }
                        }
                    }
                }
            }
            System.out.println("probe done");
        }

        /**
         * A 12 x 2-vector micro-kernel adding into C, its C update written out: the shape of FloatGemmTall's
         * accumulating kernel before it went through the tile buffer, which C1 could not compile at tier 3.
         * The control.
         */
        static void oversizedKernel(int kc, float[] a, float[] b, MemorySegment c, long cRowStep, float beta) {
            FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
            FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
            FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
            FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
            FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
            FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
            FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
            FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
            FloatVector c80 = FloatVector.zero(S), c81 = FloatVector.zero(S);
            FloatVector c90 = FloatVector.zero(S), c91 = FloatVector.zero(S);
            FloatVector c100 = FloatVector.zero(S), c101 = FloatVector.zero(S);
            FloatVector c110 = FloatVector.zero(S), c111 = FloatVector.zero(S);
            int lanes = S.length();
            for (int p = 0; p < kc; p++) {
                FloatVector b0 = FloatVector.fromArray(S, b, p * 2 * lanes);
                FloatVector b1 = FloatVector.fromArray(S, b, p * 2 * lanes + lanes);
                FloatVector x = FloatVector.broadcast(S, a[p * 12 + 0]);
                c00 = x.fma(b0, c00);
                c01 = x.fma(b1, c01);
                x = FloatVector.broadcast(S, a[p * 12 + 1]);
                c10 = x.fma(b0, c10);
                c11 = x.fma(b1, c11);
                x = FloatVector.broadcast(S, a[p * 12 + 2]);
                c20 = x.fma(b0, c20);
                c21 = x.fma(b1, c21);
                x = FloatVector.broadcast(S, a[p * 12 + 3]);
                c30 = x.fma(b0, c30);
                c31 = x.fma(b1, c31);
                x = FloatVector.broadcast(S, a[p * 12 + 4]);
                c40 = x.fma(b0, c40);
                c41 = x.fma(b1, c41);
                x = FloatVector.broadcast(S, a[p * 12 + 5]);
                c50 = x.fma(b0, c50);
                c51 = x.fma(b1, c51);
                x = FloatVector.broadcast(S, a[p * 12 + 6]);
                c60 = x.fma(b0, c60);
                c61 = x.fma(b1, c61);
                x = FloatVector.broadcast(S, a[p * 12 + 7]);
                c70 = x.fma(b0, c70);
                c71 = x.fma(b1, c71);
                x = FloatVector.broadcast(S, a[p * 12 + 8]);
                c80 = x.fma(b0, c80);
                c81 = x.fma(b1, c81);
                x = FloatVector.broadcast(S, a[p * 12 + 9]);
                c90 = x.fma(b0, c90);
                c91 = x.fma(b1, c91);
                x = FloatVector.broadcast(S, a[p * 12 + 10]);
                c100 = x.fma(b0, c100);
                c101 = x.fma(b1, c101);
                x = FloatVector.broadcast(S, a[p * 12 + 11]);
                c110 = x.fma(b0, c110);
                c111 = x.fma(b1, c111);
            }
            FloatVector betaV = FloatVector.broadcast(S, beta);
            long second = S.vectorByteSize();
            FloatVector.fromMemorySegment(S, c, 0 * cRowStep, NATIVE).fma(betaV, c00).intoMemorySegment(c, 0 * cRowStep, NATIVE);
            FloatVector.fromMemorySegment(S, c, 0 * cRowStep + second, NATIVE).fma(betaV, c01).intoMemorySegment(c, 0 * cRowStep + second, NATIVE);
            FloatVector.fromMemorySegment(S, c, 1 * cRowStep, NATIVE).fma(betaV, c10).intoMemorySegment(c, 1 * cRowStep, NATIVE);
            FloatVector.fromMemorySegment(S, c, 1 * cRowStep + second, NATIVE).fma(betaV, c11).intoMemorySegment(c, 1 * cRowStep + second, NATIVE);
            FloatVector.fromMemorySegment(S, c, 2 * cRowStep, NATIVE).fma(betaV, c20).intoMemorySegment(c, 2 * cRowStep, NATIVE);
            FloatVector.fromMemorySegment(S, c, 2 * cRowStep + second, NATIVE).fma(betaV, c21).intoMemorySegment(c, 2 * cRowStep + second, NATIVE);
            FloatVector.fromMemorySegment(S, c, 3 * cRowStep, NATIVE).fma(betaV, c30).intoMemorySegment(c, 3 * cRowStep, NATIVE);
            FloatVector.fromMemorySegment(S, c, 3 * cRowStep + second, NATIVE).fma(betaV, c31).intoMemorySegment(c, 3 * cRowStep + second, NATIVE);
            FloatVector.fromMemorySegment(S, c, 4 * cRowStep, NATIVE).fma(betaV, c40).intoMemorySegment(c, 4 * cRowStep, NATIVE);
            FloatVector.fromMemorySegment(S, c, 4 * cRowStep + second, NATIVE).fma(betaV, c41).intoMemorySegment(c, 4 * cRowStep + second, NATIVE);
            FloatVector.fromMemorySegment(S, c, 5 * cRowStep, NATIVE).fma(betaV, c50).intoMemorySegment(c, 5 * cRowStep, NATIVE);
            FloatVector.fromMemorySegment(S, c, 5 * cRowStep + second, NATIVE).fma(betaV, c51).intoMemorySegment(c, 5 * cRowStep + second, NATIVE);
            FloatVector.fromMemorySegment(S, c, 6 * cRowStep, NATIVE).fma(betaV, c60).intoMemorySegment(c, 6 * cRowStep, NATIVE);
            FloatVector.fromMemorySegment(S, c, 6 * cRowStep + second, NATIVE).fma(betaV, c61).intoMemorySegment(c, 6 * cRowStep + second, NATIVE);
            FloatVector.fromMemorySegment(S, c, 7 * cRowStep, NATIVE).fma(betaV, c70).intoMemorySegment(c, 7 * cRowStep, NATIVE);
            FloatVector.fromMemorySegment(S, c, 7 * cRowStep + second, NATIVE).fma(betaV, c71).intoMemorySegment(c, 7 * cRowStep + second, NATIVE);
            FloatVector.fromMemorySegment(S, c, 8 * cRowStep, NATIVE).fma(betaV, c80).intoMemorySegment(c, 8 * cRowStep, NATIVE);
            FloatVector.fromMemorySegment(S, c, 8 * cRowStep + second, NATIVE).fma(betaV, c81).intoMemorySegment(c, 8 * cRowStep + second, NATIVE);
            FloatVector.fromMemorySegment(S, c, 9 * cRowStep, NATIVE).fma(betaV, c90).intoMemorySegment(c, 9 * cRowStep, NATIVE);
            FloatVector.fromMemorySegment(S, c, 9 * cRowStep + second, NATIVE).fma(betaV, c91).intoMemorySegment(c, 9 * cRowStep + second, NATIVE);
            FloatVector.fromMemorySegment(S, c, 10 * cRowStep, NATIVE).fma(betaV, c100).intoMemorySegment(c, 10 * cRowStep, NATIVE);
            FloatVector.fromMemorySegment(S, c, 10 * cRowStep + second, NATIVE).fma(betaV, c101).intoMemorySegment(c, 10 * cRowStep + second, NATIVE);
            FloatVector.fromMemorySegment(S, c, 11 * cRowStep, NATIVE).fma(betaV, c110).intoMemorySegment(c, 11 * cRowStep, NATIVE);
            FloatVector.fromMemorySegment(S, c, 11 * cRowStep + second, NATIVE).fma(betaV, c111).intoMemorySegment(c, 11 * cRowStep + second, NATIVE);
        }
    }
}
