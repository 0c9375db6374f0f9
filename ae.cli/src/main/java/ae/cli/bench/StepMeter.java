package ae.cli.bench;

import ae.models.TrainingListener;
import java.lang.management.ManagementFactory;

/**
 * Times training steps and counts the heap bytes the training thread allocates between them. It runs inside the
 * step loop, so it allocates nothing itself: only primitive fields and a thread-allocation counter.
 */
final class StepMeter implements TrainingListener {
    private final com.sun.management.ThreadMXBean threadBean =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final int warmup;
    private final int steps;
    private final int batchSize;
    private long stepsSeen;
    private long startNanos;
    private long endNanos;
    private long previousAllocated;
    private long allocatedBetweenSteps;
    private long gapsCounted;

    /** {@code warmup} must be at least 1: timing starts when a step ends. */
    StepMeter(int warmup, int steps, int batchSize) {
        this.warmup = warmup;
        this.steps = steps;
        this.batchSize = batchSize;
    }

    @Override
    public void onStep(String phase, int epoch, int step, int stepsPerEpoch, double loss) {
        long now = System.nanoTime();
        long allocated = threadBean.getCurrentThreadAllocatedBytes();
        stepsSeen++;
        if (stepsSeen == warmup) {
            startNanos = now;
        }
        boolean measured = stepsSeen > warmup && stepsSeen <= (long) warmup + steps;
        // A step that opens an epoch follows the previous epoch's bookkeeping, which is not a training step's cost.
        if (measured && step > 1) {
            allocatedBetweenSteps += allocated - previousAllocated;
            gapsCounted++;
        }
        if (stepsSeen == (long) warmup + steps) {
            endNanos = now;
        }
        previousAllocated = threadBean.getCurrentThreadAllocatedBytes();
    }

    @Override
    public void onFinish(ae.models.TrainingHistory history) {
        if (endNanos == 0) {
            throw new IllegalStateException("training ended after " + stepsSeen + " steps, before the " + (warmup + steps)
                    + " to measure: " + history.message());
        }
    }

    Measurement result() {
        return new Measurement((double) steps * batchSize / ((endNanos - startNanos) / 1e9),
                gapsCounted == 0 ? Double.NaN : (double) allocatedBetweenSteps / gapsCounted);
    }
}
