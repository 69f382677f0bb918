package dev.lanes.runtime.plan;

import java.util.List;

/**
 * How a plan was compiled, as its file records it (message {@code CompileInfo} of
 * {@code lanes.proto}).
 *
 * @param source         the model file it was compiled from (file name), or ""
 * @param batch          the batch size the inputs' free first dimension was fixed to, 0 if free
 * @param threads        the thread count it was compiled for, 0 for all cores
 * @param disabledPasses the compiler passes that were switched off
 * @param vectorFloats   floats per SIMD register of the compiling machine
 */
public record PlanInfo(String source, int batch, int threads, List<String> disabledPasses,
        int vectorFloats) {

    /** Copies the list. */
    public PlanInfo {
        disabledPasses = List.copyOf(disabledPasses);
    }

    /** No options recorded: compiled for any batch and thread count on this machine. */
    public static PlanInfo of(String source) {
        return new PlanInfo(source, 0, 0, List.of(), jdk.incubator.vector.FloatVector
                .SPECIES_PREFERRED.length());
    }
}
