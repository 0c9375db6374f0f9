package ae.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed pool of compute threads that runs numbered chunks of one task at a time.
 *
 * <p>Determinism comes from the caller: it decides the chunk boundaries from the problem size and
 * {@link #threads()} alone, and each chunk writes its own part of the output, so which thread runs a chunk never
 * changes the bits. The calling thread takes chunks too, and returns as soon as every chunk is done, whether or not
 * the workers have woken. Submitting allocates nothing; workers spin briefly and then park between tasks. A task
 * submitted from inside a running task runs inline on the calling thread.
 */
public final class ComputePool implements AutoCloseable {
    /** One unit of parallel work; {@code chunk} runs from 0 to the chunk count given to {@link #run}. */
    @FunctionalInterface
    public interface Task {
        /** Runs chunk {@code chunk} of the work; chunks of one submission run concurrently on the pool's threads. */
        void run(int chunk);
    }

    /** The low half of {@link #claims} while a submission is being set up: no chunk can be claimed. */
    private static final long SETTING_UP = 0xFFFF_FFFFL;
    private static final long CHUNK_MASK = 0xFFFF_FFFFL;
    /** How long a waiting thread spins before it parks (a worker) or yields (the submitter): 20,000 PAUSEs here. */
    private static final long SPIN_NANOS = 450_000;
    /**
     * How long a wait spins on plain reads before it spins on {@link Thread#onSpinWait} (PAUSE, which a hypervisor
     * may answer by descheduling a spinning virtual CPU): {@code -Dae.pool.plainSpinMicros}, 0 by default, because
     * no difference was measured (docs/workloads.md, "Two threads").
     */
    private static final long PLAIN_SPIN_NANOS = Long.getLong("ae.pool.plainSpinMicros", 0) * 1000;
    /**
     * Whether pools made by {@link #create(int)} and the common pool keep rows with threads ({@link #rowAffinity()}):
     * {@code -Dae.rowAffinity=true}; off by default until a quiet machine shows a gain (docs/workloads.md, "Two
     * threads").
     */
    private static final boolean ROW_AFFINITY = Boolean.getBoolean("ae.rowAffinity");
    private static volatile ComputePool common;

    private final int threads;
    private final boolean rowAffinity;
    private final Worker[] workers;
    private final ReentrantLock submitLock = new ReentrantLock();
    /**
     * The submission's generation (high 32 bits) and the chunks claimed so far from the front (bits 0-15) and from the
     * back (bits 16-31), claimed by compare and set: a thread still holding an earlier generation can never claim a
     * chunk of a later submission.
     */
    private final AtomicLong claims = new AtomicLong();
    private final AtomicInteger completedChunks = new AtomicInteger();
    private volatile Task task;
    private volatile int chunkCount;
    private volatile boolean closed;
    private volatile Throwable failure;

    private ComputePool(int threads, boolean rowAffinity) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.rowAffinity = rowAffinity;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            Worker w = new Worker("ae-compute-" + (i + 1));
            workers[i] = w;
            w.start();
        }
    }

    /** A pool of {@code threads} threads, the caller included ({@code threads - 1} are started). */
    public static ComputePool create(int threads) {
        return new ComputePool(threads, ROW_AFFINITY);
    }

    /**
     * A pool of {@code threads} threads that keeps rows with threads or not (see {@link #rowAffinity()}), whatever
     * {@code -Dae.rowAffinity} says.
     */
    public static ComputePool create(int threads, boolean rowAffinity) {
        return new ComputePool(threads, rowAffinity);
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
                    p = new ComputePool(n, ROW_AFFINITY);
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
     * Whether work is split so that each thread keeps to the same rows of a batch from one operation to the next.
     * The pool then hands chunks out from both ends: the calling thread claims from the first chunk up, the workers
     * from the last chunk down, so that with one chunk per thread chunk c runs on the same thread in every
     * submission whose threads are all awake (a late worker's chunk is still taken over by the caller). Its users
     * cut by rows where they can: products with few rows of C split those rows rather than C's columns
     * ({@code PanamaGemm}), and a grouped optimizer step cuts each tensor by itself, so that a thread updates the
     * rows of a weight whose gradient it computed ({@link TensorOps#adam(int, Tensor[], Tensor[], Tensor[],
     * Tensor[], double, double, double, double, double, long)}). The split never changes the bits of a result.
     */
    public boolean rowAffinity() {
        return rowAffinity;
    }

    /**
     * Runs {@code task.run(c)} for every chunk {@code c} in {@code [0, chunks)} and returns when all are done.
     * The first exception thrown by a chunk is rethrown here. At most 32,767 chunks per call (the split is the
     * caller's: a few per thread are plenty).
     */
    public void run(int chunks, Task task) {
        if (chunks <= 0) {
            return;
        }
        if (closed) {
            throw new IllegalStateException("compute pool is closed");
        }
        if (chunks > 0x7FFF) {
            // The claim counts are 16 bits each, and the set-up marker is all ones.
            throw new IllegalArgumentException("at most 32767 chunks per submission, got " + chunks);
        }
        if (chunks == 1 || workers.length == 0 || insideTask()) {
            for (int c = 0; c < chunks; c++) {
                task.run(c);
            }
            return;
        }
        submitLock.lock();
        try {
            long generation = ((claims.get() >>> 32) + 1) << 32;
            // Closed to claims first: a late thread that read the fields below for this submission fails its claim.
            claims.set(generation | SETTING_UP);
            failure = null;
            completedChunks.set(0);
            chunkCount = chunks;
            this.task = task;
            claims.set(generation);
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w);
                }
            }
            runChunks(generation, false);
            // Only the chunks are awaited: a worker that has not woken yet has nothing of this submission left.
            long spinStart = System.nanoTime();
            boolean pause = PLAIN_SPIN_NANOS == 0;
            int spins = 0;
            while (completedChunks.get() < chunks) {
                if ((++spins & 63) == 0) {
                    long waited = System.nanoTime() - spinStart;
                    if (waited > SPIN_NANOS) {
                        Thread.yield();
                        continue;
                    }
                    pause = waited >= PLAIN_SPIN_NANOS;
                }
                if (pause) {
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

    /** Whether the current thread is running a chunk of this pool: the submitter holds the lock, or a worker. */
    private boolean insideTask() {
        return submitLock.isHeldByCurrentThread() || Thread.currentThread() instanceof Worker w && w.pool() == this;
    }

    /**
     * Claims and runs chunks of {@code generation} until none is left unclaimed: from the front of the unclaimed
     * range, or from its back ({@link #rowAffinity()}'s workers). The low half of {@link #claims} counts the chunks
     * claimed from the front (bits 0-15) and from the back (bits 16-31).
     */
    private void runChunks(long generation, boolean fromBack) {
        while (true) {
            long c = claims.get();
            if ((c & ~CHUNK_MASK) != generation) {
                return;
            }
            // Read before the claim: if the claim succeeds, no later submission had begun, so these are this one's.
            Task t = task;
            int chunks = chunkCount;
            long front = c & 0xFFFF;
            long back = (c >>> 16) & 0xFFFF;
            if (front + back >= chunks) {
                return;
            }
            long next = fromBack ? chunks - 1 - back : front;
            if (claims.compareAndSet(c, fromBack ? c + (1L << 16) : c + 1)) {
                try {
                    t.run((int) next);
                } catch (Throwable e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
                completedChunks.incrementAndGet();
            }
        }
    }

    private final class Worker extends Thread {
        volatile boolean parked;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        ComputePool pool() {
            return ComputePool.this;
        }

        @Override
        public void run() {
            long seen = 0;
            while (!closed) {
                long c = awaitSubmission(seen);
                if (closed) {
                    return;
                }
                seen = c & ~CHUNK_MASK;
                runChunks(seen, rowAffinity);
            }
        }

        /** Waits until a submission later than {@code seen} is open to claims, and returns {@link #claims} then. */
        private long awaitSubmission(long seen) {
            long spinStart = System.nanoTime();
            boolean pause = PLAIN_SPIN_NANOS == 0;
            int spins = 0;
            while (true) {
                long c = claims.get();
                if ((c & ~CHUNK_MASK) != seen && (c & CHUNK_MASK) != SETTING_UP || closed) {
                    return c;
                }
                if ((++spins & 63) == 0) {
                    long waited = System.nanoTime() - spinStart;
                    if (waited > SPIN_NANOS) {
                        parked = true;
                        // The submitter writes claims, then reads parked; this thread the reverse: one sees the other.
                        c = claims.get();
                        if (((c & ~CHUNK_MASK) == seen || (c & CHUNK_MASK) == SETTING_UP) && !closed) {
                            LockSupport.park(ComputePool.this);
                        }
                        parked = false;
                        spinStart = System.nanoTime();
                        pause = PLAIN_SPIN_NANOS == 0;
                        continue;
                    }
                    pause = waited >= PLAIN_SPIN_NANOS;
                }
                if (pause) {
                    Thread.onSpinWait();
                }
            }
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
