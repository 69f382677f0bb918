package dev.lanes.runtime;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Recycles the float arrays of intermediate tensors from one run to the next, so a session in
 * steady state allocates no large arrays (and gives the garbage collector nothing to do). The
 * executor counts how many live value slots hold each array; when the count drops to zero the
 * array goes back on the free list for its length. One pool serves one run at a time; kernels
 * may take arrays from any of their threads.
 */
public final class BufferPool {
    /**
     * With {@code -Dlanes.poisonBuffers=true} (the test suites set it) every array handed out is
     * filled with NaN first, so a kernel that leaves an output element unwritten fails its tests
     * instead of passing on a zeroed first run.
     */
    private static final boolean POISON = Boolean.getBoolean("lanes.poisonBuffers");

    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private final IdentityHashMap<float[], int[]> owned = new IdentityHashMap<>();
    /** When measuring: arrays of intermediates the pool did not make, with their slot counts. */
    private IdentityHashMap<float[], int[]> foreign;
    /** When measuring: arrays that are not intermediates (inputs, constants). */
    private java.util.Set<float[]> external;
    private long created;
    private long taken;
    private long live;
    private long peakLive;

    /** An array of exactly {@code length} floats with undefined contents. */
    public synchronized float[] take(int length) {
        ArrayDeque<float[]> q = free.get(length);
        float[] a = q == null ? null : q.poll();
        if (a == null) {
            a = new float[length];
            created += length;
        }
        if (POISON) {
            java.util.Arrays.fill(a, Float.NaN);
        }
        owned.put(a, new int[] {0});
        taken += length;
        live += length;
        peakLive = Math.max(peakLive, live);
        return a;
    }

    /**
     * Makes this pool also count the intermediates it did not make (kernels that allocate their
     * own outputs), for {@link #stats()}; arrays in {@code notIntermediates} (inputs, constants)
     * are not counted.
     */
    public synchronized void measureAll(java.util.Set<float[]> notIntermediates) {
        foreign = new IdentityHashMap<>();
        external = notIntermediates;
    }

    /** Records one more live slot holding {@code a} (ignored for arrays the pool did not give). */
    public synchronized void retain(float[] a) {
        int[] count = owned.get(a);
        if (count != null) {
            count[0]++;
        } else if (foreign != null && !external.contains(a)) {
            int[] c = foreign.computeIfAbsent(a, k -> new int[] {0});
            if (c[0]++ == 0) {
                created += a.length;
                taken += a.length;
                live += a.length;
                peakLive = Math.max(peakLive, live);
            }
        }
    }

    /** Records that a slot holding {@code a} is dead; the last one frees the array. */
    public synchronized void release(float[] a) {
        int[] count = owned.get(a);
        if (count != null && --count[0] <= 0) {
            owned.remove(a);
            live -= a.length;
            free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
        } else if (count == null && foreign != null) {
            int[] c = foreign.get(a);
            if (c != null && --c[0] <= 0) {
                foreign.remove(a);
                live -= a.length;
            }
        }
    }

    /** Frees every array still out, at the end of a run (outputs have been copied by then). */
    public synchronized void releaseAll() {
        for (float[] a : owned.keySet()) {
            free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
        }
        owned.clear();
        live = 0;
    }

    /**
     * What this pool has seen, in floats: {@code created} arrays made (the arena: what the pool
     * holds once a run is over, plus, when measuring all, the arrays kernels made themselves),
     * {@code taken} arrays handed out (all intermediates of the runs so far), {@code peakLive}
     * the most held at once (the lower bound of any arena for them).
     *
     * @param created  floats allocated
     * @param taken    floats handed out
     * @param peakLive the largest number of floats in use at one time
     */
    public record Stats(long created, long taken, long peakLive) {
    }

    /** The counters since the pool was made. */
    public synchronized Stats stats() {
        return new Stats(created, taken, peakLive);
    }

    /** Floats held on the free lists, for memory reports. */
    public synchronized long freeFloats() {
        long n = 0;
        for (ArrayDeque<float[]> q : free.values()) {
            for (float[] a : q) {
                n += a.length;
            }
        }
        return n;
    }
}
