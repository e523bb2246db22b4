package distill4j.kernels.simd;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of daemon worker threads, created once, that run the parts of one parallel task while
 * the calling thread runs part 0. Dispatch allocates nothing: the task is a reusable object, workers
 * wait on a generation counter (spinning briefly, then parking), and completion is an atomic count.
 * The generation is a sequence lock: odd while the caller writes the task, even once it is published,
 * so a worker never runs a half-written or stale task.
 * One task at a time: a caller that finds the pool busy (another thread's GEMM) runs serially instead.
 *
 * <p>The SIMD families share one pool ({@link #shared()}): GEMM, large dropout calls and large fused
 * softmax-CE calls. Internal to the SIMD backend.
 */
public final class SimdPool {
    private static volatile SimdPool shared = new SimdPool(SimdParams.defaultThreads());

    /** The pool every SIMD family runs its parallel work on. */
    public static SimdPool shared() {
        return shared;
    }

    /** Replaces the shared pool by one of {@code n} threads (including the caller); the old one stops. */
    public static synchronized void setSharedThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("SIMD backend thread count must be ≥ 1, got " + n);
        if (n == shared.threads()) return;
        SimdPool old = shared;
        shared = new SimdPool(n);
        old.shutdown();
    }

    /** One parallel job; {@code run(part, parts)} is called once for each part in [0, parts). */
    public interface Task {
        void run(int part, int parts);
    }

    private final int threads;
    private final Worker[] workers;
    private final ReentrantLock busy = new ReentrantLock();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile int generation;
    private volatile Task task;
    private volatile int parts;
    private volatile Thread waiter;
    private volatile Throwable failure;
    private volatile boolean shutdown;

    SimdPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("thread count must be ≥ 1, got " + threads);
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].start();
        }
    }

    public int threads() {
        return threads;
    }

    /** Worker threads (for allocation accounting in tests). */
    public Thread[] workerThreads() {
        return workers.clone();
    }

    /**
     * Runs {@code t} split into {@code n ≤ threads()} parts, part 0 on the calling thread. Returns false
     * without running anything if the pool is busy with another caller's task.
     */
    public boolean tryRun(Task t, int n) {
        if (n < 1 || n > threads) throw new IllegalArgumentException("parts must be in [1, " + threads + "], got " + n);
        if (n == 1) {
            t.run(0, 1);
            return true;
        }
        if (!busy.tryLock()) return false;
        try {
            if (shutdown) return false; // replaced by setThreads while the caller held a reference
            generation++; // odd: writing
            failure = null;
            task = t;
            parts = n;
            waiter = Thread.currentThread();
            pending.set(n - 1);
            generation++; // even: published
            for (int i = 0; i < n - 1; i++) LockSupport.unpark(workers[i]);
            Throwable own = null;
            try {
                t.run(0, n);
            } catch (Throwable e) {
                own = e;
            }
            int spins = 0;
            while (pending.get() != 0) {
                if (spins++ < SimdParams.SPIN_ITERATIONS) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            task = null;
            Throwable f = own != null ? own : failure;
            if (f instanceof RuntimeException) throw (RuntimeException) f;
            if (f instanceof Error) throw (Error) f;
            if (f != null) throw new IllegalStateException(f);
            return true;
        } finally {
            busy.unlock();
        }
    }

    /** Stops the workers (after a {@link SimdBackend#setThreads} change); they exit when idle. */
    void shutdown() {
        busy.lock(); // waits for a task in flight
        try {
            shutdown = true;
            generation += 2;
            for (Worker w : workers) LockSupport.unpark(w);
        } finally {
            busy.unlock();
        }
    }

    private final class Worker extends Thread {
        private final int part;

        Worker(int part) {
            super("distill4j-simd-" + part);
            this.part = part;
            setDaemon(true);
        }

        @Override
        public void run() {
            // generation 0 is the pool's state at construction; reading the field here instead could
            // miss a task published before this thread got to run
            int seen = 0;
            while (true) {
                int spins = 0;
                int g;
                while ((g = generation) == seen || (g & 1) != 0) {
                    if (spins++ < SimdParams.SPIN_ITERATIONS) Thread.onSpinWait();
                    else LockSupport.park(this);
                }
                if (shutdown) return;
                Task t = task;
                int n = parts;
                if (generation != g) continue; // a newer task is being written: read again
                seen = g;
                if (t == null || part >= n) continue;
                try {
                    t.run(part, n);
                } catch (Throwable e) {
                    failure = e;
                }
                if (pending.decrementAndGet() == 0) LockSupport.unpark(waiter);
            }
        }
    }
}
