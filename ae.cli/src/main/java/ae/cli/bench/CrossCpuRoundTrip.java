package ae.cli.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long a cache line takes to go from the calling thread's CPU to another thread's and back: the two threads pass
 * a counter to each other, each spinning until the other has moved it on. On a virtual machine whose virtual CPUs
 * the host may place on one die or on two, this is what tells the placements apart: on the 2-vCPU Zen 4 guests the
 * two-thread figures of docs/workloads.md come from, about 110 ns when both share a die's L3 and 340-440 ns when they
 * do not, and two threads that share a training step then run at 1.6-1.9x and at 1.0-1.2x one thread's speed.
 * The figure includes the clock reads, so it is an upper bound of the hardware's round trip.
 */
final class CrossCpuRoundTrip {
    /** Set by the partner to stop. */
    private static final long STOP = -1;
    private static final int WARM_UP_TRIPS = 20_000;
    private static final int SAMPLES = 15;
    private static final int TRIPS_PER_SAMPLE = 200;
    /**
     * Time budgets: on a machine so busy that the two threads take turns on one CPU, a trip costs a scheduler time
     * slice, and the full count of trips would take minutes.
     */
    private static final long WARM_UP_NANOS = 50_000_000;
    private static final long SAMPLING_NANOS = 100_000_000;

    private CrossCpuRoundTrip() {
    }

    /**
     * The median over {@value #SAMPLES} samples of a round trip's time in nanoseconds, each sample the mean of
     * {@value #TRIPS_PER_SAMPLE} trips, after {@value #WARM_UP_TRIPS} trips that let the JIT compile both loops. Takes
     * a few milliseconds, both threads spinning; the partner is a new platform thread, stopped before this returns.
     * On a busy machine the warm-up stops after 50 ms and the sampling after 100 ms (at least one sample).
     * NaN with fewer than two processors available, where the two spinning threads would take turns on one CPU.
     */
    static double medianNanos() {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return Double.NaN;
        }
        AtomicLong ball = new AtomicLong();
        Thread partner = Thread.ofPlatform().daemon().name("ae-round-trip").start(() -> {
            long seen = 0;
            while (true) {
                long b;
                while ((b = ball.get()) == seen) {
                    Thread.onSpinWait();
                }
                if (b == STOP) {
                    return;
                }
                // The caller holds odd values, this thread hands back the next even one.
                seen = b + 1;
                ball.set(seen);
            }
        });
        try {
            long value = 0;
            long warmUpEnd = System.nanoTime() + WARM_UP_NANOS;
            for (int done = 0; done < WARM_UP_TRIPS && System.nanoTime() < warmUpEnd; done += 100) {
                value = trips(ball, value, 100);
            }
            double[] samples = new double[SAMPLES];
            int taken = 0;
            long samplingEnd = System.nanoTime() + SAMPLING_NANOS;
            while (taken < SAMPLES && (taken == 0 || System.nanoTime() < samplingEnd)) {
                long started = System.nanoTime();
                value = trips(ball, value, TRIPS_PER_SAMPLE);
                samples[taken++] = (double) (System.nanoTime() - started) / TRIPS_PER_SAMPLE;
            }
            Arrays.sort(samples, 0, taken);
            return samples[taken / 2];
        } finally {
            ball.set(STOP);
            try {
                partner.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Sends the ball {@code trips} times and waits for each return; returns the ball's last value. */
    private static long trips(AtomicLong ball, long value, int trips) {
        for (int i = 0; i < trips; i++) {
            long sent = value + 1;
            ball.set(sent);
            while (ball.get() == sent) {
                Thread.onSpinWait();
            }
            value = sent + 1;
        }
        return value;
    }
}
