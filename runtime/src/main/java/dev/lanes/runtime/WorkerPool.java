package dev.lanes.runtime;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The threads a kernel splits its work across. One pool per thread count is shared by every
 * session of the process; the calling thread always takes part, so a pool of {@code n} threads
 * keeps {@code n - 1} workers.
 *
 * <p>Workers spin for a short while after a job before they park: a model runs dozens of
 * parallel kernels per inference, and waking a parked thread for each costs tens of
 * microseconds, which on small models ate all the gain of a second thread. Tasks are handed out
 * from a shared counter in chunks, about eight per thread. While one caller uses the workers,
 * another caller's parallel loop runs on its own thread (concurrent requests keep their own
 * cores busy anyway).
 */
public final class WorkerPool {
    private static final ConcurrentHashMap<Integer, WorkerPool> SHARED = new ConcurrentHashMap<>();
    private static final WorkerPool SERIAL = new WorkerPool(1);
    /** How long an idle worker spins before it parks. */
    private static final long SPIN_NANOS = 200_000;
    /** Chunks of tasks per thread a loop is cut into (see {@link Job#chunk}). */
    private static final int CHUNKS_PER_THREAD = 8;

    private final int threads;
    private final Thread[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile Job job;

    /** One parallel loop: its tasks, the next to hand out, how many are done, the failure. */
    private static final class Job {
        final int tasks;
        /** Tasks taken at once: two atomic updates per chunk, not per task. */
        final int chunk;
        final IntConsumer body;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile RuntimeException failure;

        Job(int tasks, int threads, IntConsumer body) {
            this.tasks = tasks;
            // Many tiny tasks (a depthwise channel of 7x7 is 0.2 us) made the shared counter's
            // cache line bounce between cores on every task: two threads ran them slower than
            // one. Eight chunks per thread still even out threads of unequal speed.
            this.chunk = Math.max(1, tasks / (threads * CHUNKS_PER_THREAD));
            this.body = body;
        }

        void drain() {
            for (int i = next.getAndAdd(chunk); i < tasks; i = next.getAndAdd(chunk)) {
                int end = Math.min(tasks, i + chunk);
                try {
                    for (int k = i; k < end; k++) {
                        body.accept(k);
                    }
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    }
                } catch (Error e) {
                    if (failure == null) {
                        failure = new IllegalStateException("a parallel task failed: " + e, e);
                    }
                } finally {
                    done.addAndGet(end - i);
                }
            }
        }
    }

    private WorkerPool(int threads) {
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            Thread t = new Thread(this::work, "lanes-worker-" + threads + "-" + i);
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /** The process-wide pool with {@code threads} threads (1 means run on the caller). */
    public static WorkerPool shared(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be 1 or more, got " + threads);
        }
        return threads == 1 ? SERIAL : SHARED.computeIfAbsent(threads, WorkerPool::new);
    }

    /** How many threads work on a {@link #parallelFor}. */
    public int threads() {
        return threads;
    }

    private void work() {
        Job seen = null;
        while (true) {
            Job j = job;
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (j == null || j == seen) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
                j = job;
            }
            seen = j;
            j.drain();
        }
    }

    private boolean isWorker() {
        Thread me = Thread.currentThread();
        for (Thread w : workers) {
            if (w == me) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs {@code body} for every task index in {@code [0, tasks)}, spread over the pool's
     * threads, and returns when all have finished. The first exception thrown by a task is
     * rethrown here.
     */
    public void parallelFor(int tasks, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        if (workers.length == 0 || tasks == 1 || isWorker() || !busy.compareAndSet(false, true)) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
            return;
        }
        try {
            Job j = new Job(tasks, threads, body);
            job = j;
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
            j.drain();
            // The tasks others took may still be running; wait for them, not for idle workers.
            long spins = 0;
            while (j.done.get() < tasks) {
                if (++spins < 1 << 16) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            if (j.failure != null) {
                throw j.failure;
            }
        } finally {
            busy.set(false);
        }
    }
}
