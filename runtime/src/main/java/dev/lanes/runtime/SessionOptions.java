package dev.lanes.runtime;

/**
 * Settings of a {@link Session}. Immutable; use the {@code with...} methods to derive variants.
 *
 * @param threads how many threads the session's kernels may use (1 or more)
 */
public record SessionOptions(int threads) {

    /** Validates the settings. */
    public SessionOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be 1 or more, got " + threads);
        }
    }

    /** The defaults: one thread per available core. */
    public static SessionOptions defaults() {
        return new SessionOptions(Runtime.getRuntime().availableProcessors());
    }

    /** The same settings with another thread count. */
    public SessionOptions withThreads(int n) {
        return new SessionOptions(n);
    }
}
