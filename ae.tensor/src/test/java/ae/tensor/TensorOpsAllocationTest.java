package ae.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The facade's steady state allocates nothing. Run in a surefire execution of its own with {@code -Xbatch} (see
 * ae.tensor's pom): whether a call still allocates after a few rounds otherwise depends on how soon a busy machine
 * lets C2 compile it (before C2, the Vector API boxes every vector), which made the test fail under load.
 */
class TensorOpsAllocationTest {
    private static Tensor random(TensorScope scope, DType dtype, long seed, double lo, double hi, int... shape) {
        Tensor t = scope.allocate(dtype, shape);
        Rng.seeded(seed).fillUniform(t, lo, hi);
        return t;
    }

    /** One facade call of the allocation test; the step number stays a primitive so the test itself allocates nothing. */
    @FunctionalInterface
    private interface Call {
        void run(TensorOps ops, int step);
    }

    /**
     * Steady-state calls allocate nothing on the calling thread: after warm-up (so that the JIT has compiled and
     * scalar-replaced the vector objects), many calls must allocate less than a byte each on average.
     */
    @Test
    void steadyStateCallsDoNotAllocate() throws Exception {
        Object threadBean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                .invoke(null);
        Method allocated = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        try (TensorScope scope = TensorScope.open("alloc"); ComputePool pool = ComputePool.create(2)) {
            TensorOps ops = TensorOps.create(pool);
            Tensor small = random(scope, DType.F32, 1, -2, 2, 16, 50);
            Tensor smallOut = scope.allocateFloat(16, 50);
            Tensor smallTargets = random(scope, DType.F32, 2, 0, 1, 16, 50);
            Tensor large = random(scope, DType.F32, 3, -2, 2, 256, 200);
            Tensor largeOut = scope.allocateFloat(256, 200);
            Tensor bias = random(scope, DType.F32, 4, -1, 1, 200);
            Tensor rows = scope.allocateFloat(16);
            Tensor m = scope.allocateFloat(256, 200);
            Tensor v = scope.allocateFloat(256, 200);
            Tensor[] groupParams = {large, bias};
            Tensor[] groupGrads = {largeOut, scope.allocateFloat(200)};
            Tensor[] groupFirst = {m, scope.allocateFloat(200)};
            Tensor[] groupSecond = {v, scope.allocateFloat(200)};
            List<Call> calls = List.of(
                    (o, i) -> o.biasActivation(Activation.SIGMOID, large, bias, largeOut),
                    (o, i) -> o.activationBackward(Activation.TANH, largeOut, null, large, largeOut, false),
                    (o, i) -> o.bceWithLogits(small, smallTargets, 0.1, smallOut, rows),
                    (o, i) -> o.columnSums(large, bias, false),
                    (o, i) -> o.axpy(1e-3, small, smallOut),
                    (o, i) -> o.sum(large),
                    (o, i) -> o.adam(large, largeOut, m, v, 1e-3, 0.9, 0.999, 1e-8, 0, i + 1),
                    (o, i) -> o.adam(2, groupParams, groupGrads, groupFirst, groupSecond, 1e-3, 0.9, 0.999, 1e-8, 0,
                            i + 1));
            for (int index = 0; index < calls.size(); index++) {
                Call call = calls.get(index);
                long best = Long.MAX_VALUE;
                int callsPerRound = 500;
                // The JIT may need many rounds on a busy machine; the property is that the steady state allocates
                // nothing. Between unclean rounds the test pauses so that the compiler threads get the cores.
                for (int round = 0; round < 100 && best > callsPerRound / 2; round++) {
                    if (round > 0) {
                        Thread.sleep(20);
                    }
                    long before = (long) allocated.invoke(threadBean);
                    for (int i = 0; i < callsPerRound; i++) {
                        call.run(ops, i);
                    }
                    long after = (long) allocated.invoke(threadBean);
                    long baseline = (long) allocated.invoke(threadBean) - after;
                    best = Math.min(best, after - before - baseline);
                }
                assertTrue(best <= callsPerRound / 2,
                        "call " + index + " allocated " + best + " bytes in " + callsPerRound + " calls");
            }
        }
    }
}
