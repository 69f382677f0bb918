package dev.lanes.runtime;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Recycles the float arrays of intermediate tensors by length, so a kernel run again and again
 * allocates no large arrays. The executor counts how many live value slots hold each array; when
 * the count drops to zero the array goes back on the free list for its length.
 *
 * <p>A session runs an input signature it has not seen before on a pool that also records each
 * array's lifetime (the step that took it and the step after which it died, see
 * {@link #recording()}); the {@link ArenaPlanner} turns that record into the memory plan of
 * later runs.
 */
public final class BufferPool implements RunBuffers {
    /**
     * With {@code -Dlanes.poisonBuffers=true} (the test suites set it) every array handed out is
     * filled with NaN first and is a few floats longer than asked for, so a kernel that leaves an
     * output element unwritten, or takes an array's length for its tensor's size, fails its
     * tests instead of passing on a zeroed, exactly sized first run.
     */
    static final boolean POISON = Boolean.getBoolean("lanes.poisonBuffers");
    static final int SLACK = POISON ? 3 : 0;

    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private final IdentityHashMap<float[], int[]> owned = new IdentityHashMap<>();
    /** When measuring: arrays of intermediates the pool did not make, with their slot counts. */
    private IdentityHashMap<float[], int[]> foreign;
    /** When measuring: arrays that are not intermediates (inputs, constants). */
    private Set<float[]> external;
    private long created;
    private long taken;
    private long live;
    private long peakLive;
    private AllocationLog log;
    /** When recording: each live array's entry in the log (see AllocationLog). */
    private IdentityHashMap<float[], Integer> allocation;

    /** An array of at least {@code length} floats with undefined contents. */
    @Override
    public synchronized float[] take(int length) {
        ArrayDeque<float[]> q = free.get(length);
        float[] a = q == null ? null : q.poll();
        if (a == null) {
            a = new float[length + SLACK];
            created += length;
        }
        if (POISON) {
            java.util.Arrays.fill(a, Float.NaN);
        }
        owned.put(a, new int[] {0});
        taken += length;
        live += length;
        peakLive = Math.max(peakLive, live);
        if (log != null) {
            allocation.put(a, log.taken(length));
        }
        return a;
    }

    /**
     * Makes this pool also count the intermediates it did not make (kernels that allocate their
     * own outputs), for {@link #stats()} and the recording; arrays in {@code notIntermediates}
     * (inputs, constants) are not counted.
     */
    public synchronized void measureAll(Set<float[]> notIntermediates) {
        foreign = new IdentityHashMap<>();
        external = notIntermediates;
    }

    /** Starts recording the lifetime of every array this pool hands out (see recording()). */
    synchronized void record() {
        log = new AllocationLog();
        allocation = new IdentityHashMap<>();
    }

    /** What was recorded since {@link #record()}, or null when not recording. */
    synchronized AllocationLog recording() {
        return log;
    }

    @Override
    public synchronized void atStep(int step) {
        if (log != null) {
            log.atStep(step);
        }
    }

    @Override
    public synchronized int allocationOf(float[] a) {
        Integer i = allocation == null ? null : allocation.get(a);
        return i == null || i < 0 ? -1 : i;
    }

    @Override
    public synchronized boolean mayWriteOver(float[] a, int step) {
        int[] count = owned.get(a);
        return count != null && count[0] == 1;
    }

    /** Records one more live slot holding {@code a} (ignored for arrays the pool did not give). */
    @Override
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
                if (log != null) {
                    allocation.put(a, log.foreign(a.length));
                }
            }
        }
    }

    /** Records that a slot holding {@code a} is dead; the last one frees the array. */
    @Override
    public synchronized void release(float[] a) {
        int[] count = owned.get(a);
        if (count != null && --count[0] <= 0) {
            owned.remove(a);
            live -= a.length - SLACK;
            free.computeIfAbsent(a.length - SLACK, k -> new ArrayDeque<>()).push(a);
            died(a);
        } else if (count == null && foreign != null) {
            int[] c = foreign.get(a);
            if (c != null && --c[0] <= 0) {
                foreign.remove(a);
                live -= a.length;
                died(a);
            }
        }
    }

    private void died(float[] a) {
        if (log != null) {
            Integer i = allocation.remove(a);
            if (i != null) {
                log.died(i);
            }
        }
    }

    /** Frees every array still out, at the end of a run (outputs have been copied by then). */
    public synchronized void releaseAll() {
        for (float[] a : owned.keySet()) {
            free.computeIfAbsent(a.length - SLACK, k -> new ArrayDeque<>()).push(a);
        }
        owned.clear();
        live = 0;
    }

    /**
     * What this pool has seen, in floats: {@code created} arrays made (what the pool holds once
     * a run is over, plus, when measuring all, the arrays kernels made themselves),
     * {@code taken} arrays handed out (all intermediates of the runs so far), {@code peakLive}
     * the most held at once.
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
                n += a.length - SLACK;
            }
        }
        return n;
    }
}
