package dev.lanes.runtime;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The threads a kernel splits its work across. One pool per thread count is shared by every
 * session of the process; the calling thread always takes part, so a pool of {@code n} threads
 * keeps {@code n - 1} workers.
 */
public final class WorkerPool {
    private static final ConcurrentHashMap<Integer, WorkerPool> SHARED = new ConcurrentHashMap<>();
    private static final WorkerPool SERIAL = new WorkerPool(1);

    private final int threads;
    private final ForkJoinPool workers;

    private WorkerPool(int threads) {
        this.threads = threads;
        this.workers = threads > 1 ? new ForkJoinPool(threads - 1,
                pool -> {
                    var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                    t.setDaemon(true);
                    t.setName("lanes-worker-" + t.getPoolIndex());
                    return t;
                }, null, false) : null;
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

    private static void drain(AtomicInteger next, int tasks, IntConsumer body) {
        for (int i = next.getAndIncrement(); i < tasks; i = next.getAndIncrement()) {
            body.accept(i);
        }
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
        if (workers == null || tasks == 1 || ForkJoinTask.getPool() == workers) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
            return;
        }
        // Tasks are handed out one at a time from a shared counter, so a thread that finishes
        // early takes the next task instead of idling behind an unlucky static split.
        int helpers = Math.min(tasks, threads) - 1;
        AtomicInteger next = new AtomicInteger();
        ForkJoinTask<?>[] forked = new ForkJoinTask<?>[helpers];
        for (int h = 0; h < helpers; h++) {
            forked[h] = workers.submit(() -> drain(next, tasks, body));
        }
        RuntimeException failure = null;
        try {
            drain(next, tasks, body);
        } catch (RuntimeException e) {
            failure = e;
            next.set(tasks); // the others stop taking new tasks
        }
        for (ForkJoinTask<?> f : forked) {
            try {
                f.join();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
