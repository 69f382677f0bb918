package dev.lanes.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A compiled model as data: an ordered list of steps over numbered value slots, the constant
 * values, and the signatures of the inputs and outputs. The compiler builds it; the runtime runs
 * it in a {@link Session} and needs nothing else.
 */
public final class Plan {
    /**
     * One step: a kernel, the slots it reads (-1 for an absent optional input) and the slots it
     * writes.
     *
     * @param name    the node's name, for errors and profiles
     * @param opType  the operator, for errors and profiles
     * @param kernel  what runs
     * @param inputs  input slots, -1 where an optional input is absent
     * @param outputs output slots
     */
    public record Step(String name, String opType, Kernel kernel, int[] inputs, int[] outputs) {
        @Override
        public String toString() {
            return opType + " '" + name + "' " + Arrays.toString(inputs) + " -> "
                    + Arrays.toString(outputs);
        }
    }

    private final List<Step> steps;
    private final Tensor[] constants;
    private final List<ValueInfo> inputs;
    private final int[] inputSlots;
    private final List<ValueInfo> outputs;
    private final int[] outputSlots;
    private final int[][] releaseAfter;

    /**
     * Creates a plan.
     *
     * @param slotCount   how many value slots the steps use
     * @param steps       the steps in execution order
     * @param constants   slot to constant value (null for slots computed at run time); its length
     *                    is {@code slotCount}
     * @param inputs      the input signatures
     * @param inputSlots  the slot of each input
     * @param outputs     the output signatures
     * @param outputSlots the slot of each output
     */
    public Plan(int slotCount, List<Step> steps, Tensor[] constants, List<ValueInfo> inputs,
            int[] inputSlots, List<ValueInfo> outputs, int[] outputSlots) {
        if (constants.length != slotCount) {
            throw new IllegalArgumentException("constants must have one entry per slot");
        }
        this.steps = List.copyOf(steps);
        this.constants = constants.clone();
        this.inputs = List.copyOf(inputs);
        this.inputSlots = inputSlots.clone();
        this.outputs = List.copyOf(outputs);
        this.outputSlots = outputSlots.clone();
        this.releaseAfter = lastUses(slotCount);
    }

    /** For each step, the slots whose last reader it is: the executor drops them after it. */
    private int[][] lastUses(int slotCount) {
        int[] last = new int[slotCount];
        Arrays.fill(last, -1);
        for (int s = 0; s < steps.size(); s++) {
            for (int slot : steps.get(s).inputs()) {
                if (slot >= 0) {
                    last[slot] = s;
                }
            }
        }
        for (int slot : outputSlots) {
            last[slot] = Integer.MAX_VALUE;
        }
        List<List<Integer>> per = new ArrayList<>();
        for (int s = 0; s < steps.size(); s++) {
            per.add(new ArrayList<>());
        }
        for (int slot = 0; slot < slotCount; slot++) {
            if (last[slot] >= 0 && last[slot] < steps.size() && constants[slot] == null) {
                per.get(last[slot]).add(slot);
            }
        }
        int[][] out = new int[steps.size()][];
        for (int s = 0; s < out.length; s++) {
            out[s] = per.get(s).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    /** The steps in execution order. */
    public List<Step> steps() {
        return steps;
    }

    /** The number of value slots. */
    public int slotCount() {
        return constants.length;
    }

    /** The constant in a slot, or null. */
    public Tensor constant(int slot) {
        return constants[slot];
    }

    /** The input signatures, in graph order. */
    public List<ValueInfo> inputs() {
        return inputs;
    }

    /** The slot of input {@code i}. */
    public int inputSlot(int i) {
        return inputSlots[i];
    }

    /** The output signatures, in graph order. */
    public List<ValueInfo> outputs() {
        return outputs;
    }

    /** The slot of output {@code i}. */
    public int outputSlot(int i) {
        return outputSlots[i];
    }

    /** The slots that may be released once step {@code s} has run. */
    int[] releaseAfter(int s) {
        return releaseAfter[s];
    }
}
