package dev.lanes.cli;

import java.util.Arrays;

/** Latency statistics of a series of timed runs (nearest-rank percentiles). */
record BenchStats(int runs, double medianMs, double p90Ms, double p99Ms) {
    /** The statistics of run times in nanoseconds; {@code count} of them are used. */
    static BenchStats of(long[] nanos, int count) {
        if (count == 0) {
            return new BenchStats(0, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return new BenchStats(count, percentile(sorted, 0.5), percentile(sorted, 0.9),
                percentile(sorted, 0.99));
    }

    // The median of an even count is the mean of the middle two; other ranks are nearest-rank.
    private static double percentile(long[] sorted, double q) {
        int n = sorted.length;
        if (q == 0.5 && n % 2 == 0) {
            return (sorted[n / 2 - 1] + sorted[n / 2]) / 2e6;
        }
        int rank = (int) Math.ceil(q * n) - 1;
        return sorted[Math.clamp(rank, 0, n - 1)] / 1e6;
    }
}
