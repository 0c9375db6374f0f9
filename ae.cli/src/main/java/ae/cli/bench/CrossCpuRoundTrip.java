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

    private CrossCpuRoundTrip() {
    }

    /**
     * The median over {@value #SAMPLES} samples of a round trip's time in nanoseconds, each sample the mean of
     * {@value #TRIPS_PER_SAMPLE} trips, after {@value #WARM_UP_TRIPS} trips that let the JIT compile both loops. Takes
     * a few milliseconds, both threads spinning; the partner is a new platform thread, stopped before this returns.
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
            value = trips(ball, value, WARM_UP_TRIPS);
            double[] samples = new double[SAMPLES];
            for (int s = 0; s < SAMPLES; s++) {
                long started = System.nanoTime();
                value = trips(ball, value, TRIPS_PER_SAMPLE);
                samples[s] = (double) (System.nanoTime() - started) / TRIPS_PER_SAMPLE;
            }
            Arrays.sort(samples);
            return samples[SAMPLES / 2];
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
