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
    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private final IdentityHashMap<float[], int[]> owned = new IdentityHashMap<>();

    /** An array of exactly {@code length} floats with undefined contents. */
    public synchronized float[] take(int length) {
        ArrayDeque<float[]> q = free.get(length);
        float[] a = q == null ? null : q.poll();
        if (a == null) {
            a = new float[length];
        }
        owned.put(a, new int[] {0});
        return a;
    }

    /** Records one more live slot holding {@code a} (ignored for arrays the pool did not give). */
    public synchronized void retain(float[] a) {
        int[] count = owned.get(a);
        if (count != null) {
            count[0]++;
        }
    }

    /** Records that a slot holding {@code a} is dead; the last one frees the array. */
    public synchronized void release(float[] a) {
        int[] count = owned.get(a);
        if (count != null && --count[0] <= 0) {
            owned.remove(a);
            free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
        }
    }

    /** Frees every array still out, at the end of a run (outputs have been copied by then). */
    public synchronized void releaseAll() {
        for (float[] a : owned.keySet()) {
            free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
        }
        owned.clear();
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
