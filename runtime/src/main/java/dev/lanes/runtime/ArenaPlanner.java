package dev.lanes.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Assigns a run's arrays to shared buffers, given each array's length and lifetime (an inclusive
 * range of steps): arrays whose lifetimes do not meet may share a buffer, which is as long as the
 * longest of them. This is greedy-by-size for shared objects (Pisarchyk and Lee, "Efficient
 * Memory Management for Deep Neural Net Inference", 2020): arrays in decreasing length, each into
 * the smallest existing buffer that is free for its whole lifetime, else into a new buffer.
 *
 * <p>Buffers rather than offsets in one arena because kernels work on {@code float[]}: a Java
 * array cannot be a window into another, so the unit of sharing is the array.
 */
public final class ArenaPlanner {
    private ArenaPlanner() {
    }

    /**
     * The assignment of arrays to buffers.
     *
     * @param bufferOf    for each array, the buffer it goes into
     * @param bufferSizes for each buffer, its length in floats
     */
    public record Assignment(int[] bufferOf, int[] bufferSizes) {
        /** The floats of all buffers together. */
        public long totalFloats() {
            long n = 0;
            for (int s : bufferSizes) {
                n += s;
            }
            return n;
        }
    }

    /**
     * Plans buffers for arrays {@code i} of {@code lengths[i]} floats, live from step
     * {@code starts[i]} to step {@code ends[i]}, both included.
     */
    public static Assignment plan(int[] lengths, int[] starts, int[] ends) {
        int n = lengths.length;
        if (starts.length != n || ends.length != n) {
            throw new IllegalArgumentException("lengths, starts and ends differ in length");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingInt(i -> -lengths[i])
                .thenComparingInt(i -> starts[i]));
        List<List<int[]>> tenants = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        int[] bufferOf = new int[n];
        for (int i : order) {
            int best = -1;
            for (int b = 0; b < sizes.size(); b++) {
                if ((best < 0 || sizes.get(b) < sizes.get(best))
                        && free(tenants.get(b), starts[i], ends[i])) {
                    best = b;
                }
            }
            if (best < 0) {
                best = sizes.size();
                sizes.add(lengths[i]);
                tenants.add(new ArrayList<>());
            }
            tenants.get(best).add(new int[] {starts[i], ends[i]});
            bufferOf[i] = best;
        }
        return new Assignment(bufferOf, sizes.stream().mapToInt(Integer::intValue).toArray());
    }

    private static boolean free(List<int[]> lifetimes, int start, int end) {
        for (int[] t : lifetimes) {
            if (t[0] <= end && start <= t[1]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The least memory any plan needs: the most floats live at one step, arrays counted at every
     * step from their start to their end.
     */
    public static long lowerBound(int[] lengths, int[] starts, int[] ends) {
        int last = 0;
        for (int e : ends) {
            last = Math.max(last, e);
        }
        long[] delta = new long[last + 2];
        for (int i = 0; i < lengths.length; i++) {
            delta[starts[i]] += lengths[i];
            delta[ends[i] + 1] -= lengths[i];
        }
        long live = 0;
        long most = 0;
        for (long d : delta) {
            live += d;
            most = Math.max(most, live);
        }
        return most;
    }
}
