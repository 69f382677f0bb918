package dev.lanes.runtime;

/**
 * What a kernel may use during one run besides its inputs: the threads it may split its work
 * across.
 */
public final class RunContext {
    private static final RunContext SERIAL = new RunContext(1);

    private final int threads;
    private final WorkerPool pool;

    /** A context allowing {@code threads} threads (1 or more). */
    public RunContext(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be 1 or more, got " + threads);
        }
        this.threads = threads;
        this.pool = WorkerPool.shared(threads);
    }

    /** The pool that runs a kernel's parallel tasks. */
    public WorkerPool pool() {
        return pool;
    }

    /** A single-threaded context, as used for constant folding. */
    public static RunContext serial() {
        return SERIAL;
    }

    /** How many threads a kernel may use. */
    public int threads() {
        return threads;
    }
}
