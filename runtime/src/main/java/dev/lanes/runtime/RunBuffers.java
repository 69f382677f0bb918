package dev.lanes.runtime;

/**
 * Where a run's output and scratch arrays come from: a {@link BufferPool} that recycles them by
 * length, or a {@link PlannedArena} that hands out the arrays of a memory plan. Called by the
 * thread that runs the step, never from a kernel's worker tasks.
 */
interface RunBuffers {
    /** An array of at least {@code length} floats with undefined contents. */
    float[] take(int length);

    /** Records one more live value slot holding {@code a}. */
    void retain(float[] a);

    /** Records that a value slot holding {@code a} is dead. */
    void release(float[] a);

    /**
     * Which allocation of this run {@code a} currently holds (its number, counting from 0 in the
     * order of {@link #take}), or -1 when the array did not come from here.
     */
    int allocationOf(float[] a);

    /**
     * Whether step {@code step} may write its output over {@code a}, an input whose value slot
     * dies at that step and which no other input of the step shares: true when no other live
     * slot holds the array (for a plan: when the planned run wrote over it too).
     */
    boolean mayWriteOver(float[] a, int step);

    /** Tells the buffers which step runs next, so lifetimes can be recorded. */
    void atStep(int step);
}
