package dev.lanes.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The lifetimes of the arrays of one run, as a {@link BufferPool} records them: for every array
 * taken (in the order taken) its length, the step that took it and the step after which no value
 * slot held it any more; the same for arrays kernels made themselves when the pool measures all
 * intermediates; and, per step, where each output's array came from. Lifetimes are inclusive
 * step ranges: two arrays whose ranges share a step are live at the same time.
 */
final class AllocationLog {
    /** Where an output's array came from: not from the pool (constant, fresh, not FLOAT). */
    static final int FOREIGN = -1;

    private final IntList takeLength = new IntList();
    private final IntList takeStart = new IntList();
    private final IntList takeEnd = new IntList();
    private final IntList foreignLength = new IntList();
    private final IntList foreignStart = new IntList();
    private final IntList foreignEnd = new IntList();
    private final List<int[]> sources = new ArrayList<>();
    private int step;

    void atStep(int s) {
        step = s;
    }

    /** Records an array taken from the pool; returns its take number (0, 1, ...). */
    int taken(int length) {
        takeLength.add(length);
        takeStart.add(step);
        takeEnd.add(-1);
        return takeLength.size() - 1;
    }

    /** Records an intermediate a kernel made itself; returns a code below -1 for died(). */
    int foreign(int length) {
        foreignLength.add(length);
        foreignStart.add(step);
        foreignEnd.add(-1);
        return -2 - (foreignLength.size() - 1);
    }

    /** The array recorded under {@code code} (from taken or foreign) died after this step. */
    void died(int code) {
        if (code >= 0) {
            takeEnd.set(code, step);
        } else {
            foreignEnd.set(-2 - code, step);
        }
    }

    /** Records, for step {@code s}, each output's take number or {@link #FOREIGN}. */
    void sources(int s, int[] codes) {
        while (sources.size() <= s) {
            sources.add(null);
        }
        sources.set(s, codes);
    }

    /** The take numbers (or FOREIGN) of step {@code s}'s outputs, or null if not recorded. */
    int[] sources(int s) {
        return s < sources.size() ? sources.get(s) : null;
    }

    int takes() {
        return takeLength.size();
    }

    int[] takeLengths() {
        return takeLength.toArray();
    }

    int[] takeStarts() {
        return takeStart.toArray();
    }

    /** The last step of each take; arrays still held at the end live through {@code lastStep}. */
    int[] takeEnds(int lastStep) {
        return ends(takeEnd, lastStep);
    }

    int[] foreignLengths() {
        return foreignLength.toArray();
    }

    int[] foreignStarts() {
        return foreignStart.toArray();
    }

    int[] foreignEnds(int lastStep) {
        return ends(foreignEnd, lastStep);
    }

    private static int[] ends(IntList e, int lastStep) {
        int[] out = e.toArray();
        for (int i = 0; i < out.length; i++) {
            if (out[i] < 0) {
                out[i] = lastStep;
            }
        }
        return out;
    }

    /** A growable int array, so recording a run boxes nothing. */
    private static final class IntList {
        private int[] values = new int[64];
        private int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        void set(int i, int v) {
            values[i] = v;
        }

        int size() {
            return size;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
