package ae.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed pool of compute threads that runs numbered chunks of one task at a time.
 *
 * <p>Determinism comes from the caller: it decides the chunk boundaries from the problem size and
 * {@link #threads()} alone, and each chunk writes its own part of the output, so which thread runs a chunk never
 * changes the bits. The calling thread takes chunks too. Submitting allocates nothing; workers spin briefly
 * and then park between tasks. A task submitted from inside a running task runs inline on the calling thread.
 */
public final class ComputePool implements AutoCloseable {
    /** One unit of parallel work; {@code chunk} runs from 0 to the chunk count given to {@link #run}. */
    @FunctionalInterface
    public interface Task {
        /** Runs chunk {@code chunk} of the work; chunks of one submission run concurrently on the pool's threads. */
        void run(int chunk);
    }

    private static final int SPINS_BEFORE_PARK = 20_000;
    private static volatile ComputePool common;

    private final int threads;
    private final Thread[] workers;
    private final ReentrantLock submitLock = new ReentrantLock();
    private final AtomicInteger nextChunk = new AtomicInteger();
    private final AtomicInteger arrivedWorkers = new AtomicInteger();
    private volatile Task task;
    private volatile int chunkCount;
    private volatile long generation;
    private volatile boolean closed;
    private volatile Throwable failure;
    private final ThreadLocal<Boolean> insideTask = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private ComputePool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            Thread t = new Thread(this::workerLoop, "ae-compute-" + (i + 1));
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /** A pool of {@code threads} threads, the caller included ({@code threads - 1} are started). */
    public static ComputePool create(int threads) {
        return new ComputePool(threads);
    }

    /**
     * The process-wide pool: {@code -Dae.threads=N} threads if set, otherwise one per available processor.
     */
    public static ComputePool common() {
        ComputePool p = common;
        if (p == null) {
            synchronized (ComputePool.class) {
                p = common;
                if (p == null) {
                    String configured = System.getProperty("ae.threads");
                    int n = configured == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(configured.trim());
                    p = new ComputePool(n);
                    common = p;
                }
            }
        }
        return p;
    }

    /** The number of threads that run chunks, the calling thread included. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task.run(c)} for every chunk {@code c} in {@code [0, chunks)} and returns when all are done.
     * The first exception thrown by a chunk is rethrown here.
     */
    public void run(int chunks, Task task) {
        if (chunks <= 0) {
            return;
        }
        if (closed) {
            throw new IllegalStateException("compute pool is closed");
        }
        if (chunks == 1 || workers.length == 0 || insideTask.get()) {
            for (int c = 0; c < chunks; c++) {
                task.run(c);
            }
            return;
        }
        submitLock.lock();
        try {
            this.failure = null;
            this.chunkCount = chunks;
            this.task = task;
            nextChunk.set(0);
            arrivedWorkers.set(0);
            generation = generation + 1;
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
            work(task, chunks);
            int spins = 0;
            // Every worker checks in for this generation before the next may reuse the shared fields.
            while (arrivedWorkers.get() < workers.length) {
                if (++spins > SPINS_BEFORE_PARK) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
            this.task = null;
            Throwable f = failure;
            if (f != null) {
                failure = null;
                if (f instanceof RuntimeException re) {
                    throw re;
                }
                if (f instanceof Error e) {
                    throw e;
                }
                throw new IllegalStateException(f);
            }
        } finally {
            submitLock.unlock();
        }
    }

    private void work(Task t, int chunks) {
        insideTask.set(Boolean.TRUE);
        try {
            int c;
            while ((c = nextChunk.getAndIncrement()) < chunks) {
                try {
                    t.run(c);
                } catch (Throwable e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
        } finally {
            insideTask.set(Boolean.FALSE);
        }
    }

    private void workerLoop() {
        long seen = 0;
        while (!closed) {
            int spins = 0;
            while (generation == seen && !closed) {
                if (++spins > SPINS_BEFORE_PARK) {
                    LockSupport.park(this);
                } else {
                    Thread.onSpinWait();
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            Task t = task;
            if (t != null) {
                work(t, chunkCount);
            }
            arrivedWorkers.incrementAndGet();
        }
    }

    /**
     * Start of chunk {@code chunk} when {@code total} items are cut into {@code chunks} nearly equal parts whose
     * boundaries are multiples of {@code granule} (the last part takes the remainder).
     */
    public static int chunkStart(int total, int chunks, int chunk, int granule) {
        if (chunk >= chunks) {
            return total;
        }
        int units = (total + granule - 1) / granule;
        long start = (long) units * chunk / chunks * granule;
        return (int) Math.min(start, total);
    }

    /** Stops the worker threads. The common pool is never closed. */
    @Override
    public void close() {
        if (this == common) {
            return;
        }
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
