package dev.lanes.runtime;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
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
        // Contiguous chunks, one per thread; the caller runs chunk 0 itself.
        int chunks = Math.min(tasks, threads);
        ForkJoinTask<?>[] forked = new ForkJoinTask<?>[chunks];
        for (int c = 1; c < chunks; c++) {
            int from = (int) ((long) tasks * c / chunks);
            int to = (int) ((long) tasks * (c + 1) / chunks);
            forked[c] = workers.submit(() -> {
                for (int i = from; i < to; i++) {
                    body.accept(i);
                }
            });
        }
        RuntimeException failure = null;
        try {
            for (int i = 0, end = tasks / chunks; i < end; i++) {
                body.accept(i);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        for (int c = 1; c < chunks; c++) {
            try {
                forked[c].join();
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
