package dev.lanes.runtime;

import java.util.Arrays;
import java.util.IdentityHashMap;

/**
 * The buffers of a {@link MemoryPlan}, handed out to one run at a time: the run's n-th array is
 * the buffer the plan gave take n. Should the run differ from the planned one (a take of another
 * length, a take from another thread, an output from somewhere else), the arena stops sharing:
 * every later take of that run gets a fresh array, which can alias nothing.
 */
final class PlannedArena implements RunBuffers {
    private final MemoryPlan plan;
    private final float[][] buffers;
    private final IdentityHashMap<float[], Integer> bufferIndex = new IdentityHashMap<>();
    /** The take each buffer holds now, or -1. */
    private final int[] holder;
    private int next;
    private boolean diverged;
    private Thread owner;

    PlannedArena(MemoryPlan plan) {
        this.plan = plan;
        int[] sizes = plan.bufferSizes();
        this.buffers = new float[sizes.length][];
        for (int b = 0; b < sizes.length; b++) {
            buffers[b] = new float[sizes[b] + BufferPool.SLACK];
            bufferIndex.put(buffers[b], b);
        }
        this.holder = new int[sizes.length];
    }

    MemoryPlan plan() {
        return plan;
    }

    /** Makes the arena ready for a run on the calling thread. */
    void start() {
        owner = Thread.currentThread();
        next = 0;
        diverged = false;
        Arrays.fill(holder, -1);
    }

    /** Whether this run left the plan. */
    boolean diverged() {
        return diverged;
    }

    /** Stops sharing buffers for the rest of this run. */
    void diverge() {
        diverged = true;
    }

    @Override
    public float[] take(int length) {
        int t = next++;
        if (diverged || Thread.currentThread() != owner || t >= plan.takes()
                || plan.length(t) != length) {
            diverged = true;
            return new float[length];
        }
        int b = plan.bufferOf(t);
        holder[b] = t;
        float[] a = buffers[b];
        if (BufferPool.POISON) {
            Arrays.fill(a, Float.NaN);
        }
        return a;
    }

    @Override
    public void retain(float[] a) {
        // Lifetimes are the plan's; nothing is counted.
    }

    @Override
    public void release(float[] a) {
        // The buffer's next tenant is already planned.
    }

    @Override
    public int allocationOf(float[] a) {
        Integer b = bufferIndex.get(a);
        return b == null ? -1 : holder[b];
    }

    @Override
    public boolean mayWriteOver(float[] a, int step) {
        int t = allocationOf(a);
        int[] planned = plan.sources(step);
        if (diverged || t < 0 || planned == null) {
            return false;
        }
        for (int s : planned) {
            if (s == t) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void atStep(int step) {
        // The plan knows the steps.
    }
}
