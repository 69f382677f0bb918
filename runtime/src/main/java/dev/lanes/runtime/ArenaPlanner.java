package dev.lanes.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Assigns a run's arrays to shared buffers, given each array's length and lifetime (an inclusive
 * range of steps): arrays whose lifetimes do not meet may share a buffer, which is as long as the
 * longest of them. The greedy strategies for shared objects of Pisarchyk and Lee ("Efficient
 * Memory Management for Deep Neural Net Inference", 2020): arrays taken in some order, each into
 * a buffer free for its whole lifetime.
 *
 * <p>Buffers rather than offsets in one arena because kernels work on {@code float[]}: a Java
 * array cannot be a window into another, so the unit of sharing is the array.
 */
public final class ArenaPlanner {
    /** How many perturbed longest-first orders are tried, and by how much lengths vary. */
    private static final int PERTURBED_ORDERS = 256;
    private static final double PERTURBATION = 0.8;
    /** Placements (times earlier placements) the perturbed orders may take: some 10 ms. */
    private static final long WORK_BUDGET = 50_000_000L;

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
     * {@code starts[i]} to step {@code ends[i]}, both included: the smallest of several greedy
     * plans, which place the arrays longest first, in order of their first step, step by step
     * from the step with the most floats live, longest-lived first, and in orders near longest
     * first (lengths scaled by seeded random factors, as many as a fixed amount of work allows).
     * No one order wins on every model: the chain 300K, 300K, 300K, 600K (each meeting the
     * next) takes 1.33x its lower bound longest first and exactly its bound in order of first
     * steps; on teams-bgseg the perturbed orders took the plan from 1.32x to 1.25x its bound.
     */
    public static Assignment plan(int[] lengths, int[] starts, int[] ends) {
        int n = lengths.length;
        if (starts.length != n || ends.length != n) {
            throw new IllegalArgumentException("lengths, starts and ends differ in length");
        }
        Integer[] bySize = indices(n);
        Arrays.sort(bySize, Comparator.<Integer>comparingInt(i -> -lengths[i])
                .thenComparingInt(i -> starts[i]));
        Integer[] byStart = indices(n);
        Arrays.sort(byStart, Comparator.<Integer>comparingInt(i -> starts[i])
                .thenComparingInt(i -> -lengths[i]));
        Integer[] byLifetime = indices(n);
        Arrays.sort(byLifetime, Comparator.<Integer>comparingInt(i -> starts[i] - ends[i])
                .thenComparingInt(i -> -lengths[i]));
        List<Integer[]> orders = new ArrayList<>(List.of(bySize, byStart,
                byBreadth(lengths, starts, ends), byLifetime));
        // Then orders near longest-first: each length scaled by a seeded random factor, so
        // arrays of similar lengths come in other orders. Seeded, so a plan is repeatable.
        java.util.Random random = new java.util.Random(1);
        double[] key = new double[n];
        // Each placement compares against every earlier one: about n^2 steps an order.
        long rounds = Math.min(PERTURBED_ORDERS, WORK_BUDGET / Math.max(1L, (long) n * n));
        for (int round = 0; round < rounds; round++) {
            double spread = PERTURBATION * (1 + round % 4) / 4;
            for (int i = 0; i < n; i++) {
                key[i] = -lengths[i] * (1 + spread * (2 * random.nextDouble() - 1));
            }
            Integer[] order = indices(n);
            Arrays.sort(order, Comparator.comparingDouble(i -> key[i]));
            orders.add(order);
        }
        Assignment best = null;
        for (Integer[] order : orders) {
            Assignment a = assign(order, lengths, starts, ends);
            if (best == null || a.totalFloats() < best.totalFloats()) {
                best = a;
            }
        }
        return best;
    }

    private static Integer[] indices(int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /** Steps from the most floats live to the least; at each, its arrays longest first. */
    private static Integer[] byBreadth(int[] lengths, int[] starts, int[] ends) {
        int last = -1;
        for (int e : ends) {
            last = Math.max(last, e);
        }
        long[] live = new long[last + 2];
        for (int i = 0; i < lengths.length; i++) {
            live[starts[i]] += lengths[i];
            live[ends[i] + 1] -= lengths[i];
        }
        for (int t = 1; t < live.length; t++) {
            live[t] += live[t - 1];
        }
        Integer[] steps = indices(last + 1);
        Arrays.sort(steps, Comparator.<Integer>comparingLong(t -> -live[t]));
        Integer[] bySize = indices(lengths.length);
        Arrays.sort(bySize, Comparator.<Integer>comparingInt(i -> -lengths[i]));
        List<Integer> order = new ArrayList<>();
        boolean[] taken = new boolean[lengths.length];
        for (int t : steps) {
            for (int i : bySize) {
                if (!taken[i] && starts[i] <= t && t <= ends[i]) {
                    taken[i] = true;
                    order.add(i);
                }
            }
        }
        return order.toArray(new Integer[0]);
    }

    /**
     * Places the arrays in this order, each into a buffer free for its whole lifetime: the
     * shortest that holds it, else the longest (which grows to hold it), else a new one.
     */
    private static Assignment assign(Integer[] order, int[] lengths, int[] starts, int[] ends) {
        List<List<int[]>> tenants = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        int[] bufferOf = new int[lengths.length];
        for (int i : order) {
            int fit = -1;
            int grow = -1;
            for (int b = 0; b < sizes.size(); b++) {
                if (!free(tenants.get(b), starts[i], ends[i])) {
                    continue;
                }
                int size = sizes.get(b);
                if (size >= lengths[i]) {
                    if (fit < 0 || size < sizes.get(fit)) {
                        fit = b;
                    }
                } else if (grow < 0 || size > sizes.get(grow)) {
                    grow = b;
                }
            }
            int b = fit >= 0 ? fit : grow;
            if (b < 0) {
                b = sizes.size();
                sizes.add(0);
                tenants.add(new ArrayList<>());
            }
            sizes.set(b, Math.max(sizes.get(b), lengths[i]));
            tenants.get(b).add(new int[] {starts[i], ends[i]});
            bufferOf[i] = b;
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
