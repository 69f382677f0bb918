package dev.lanes.runtime;

/**
 * The memory plan of one input signature: which buffer each array a run takes goes into, in the
 * order the run takes them, and where each step's outputs came from in the run it was planned
 * on. A later run with the same input shapes takes the same arrays in the same order, so it gets
 * its arrays from a {@link PlannedArena} of this plan and allocates nothing.
 */
final class MemoryPlan {
    private final int[] lengths;
    private final ArenaPlanner.Assignment assignment;
    private final AllocationLog recorded;

    private MemoryPlan(int[] lengths, ArenaPlanner.Assignment assignment, AllocationLog recorded) {
        this.lengths = lengths;
        this.assignment = assignment;
        this.recorded = recorded;
    }

    /** Plans from the record of a run of {@code steps} steps. */
    static MemoryPlan of(AllocationLog log, int steps) {
        int[] lengths = log.takeLengths();
        return new MemoryPlan(lengths,
                ArenaPlanner.plan(lengths, log.takeStarts(), log.takeEnds(steps)), log);
    }

    int takes() {
        return lengths.length;
    }

    int length(int take) {
        return lengths[take];
    }

    int bufferOf(int take) {
        return assignment.bufferOf()[take];
    }

    int[] bufferSizes() {
        return assignment.bufferSizes();
    }

    /** The floats of all buffers. */
    long floats() {
        return assignment.totalFloats();
    }

    /** Where step {@code s}'s outputs came from when planned (see AllocationLog.sources). */
    int[] sources(int s) {
        return recorded.sources(s);
    }
}
