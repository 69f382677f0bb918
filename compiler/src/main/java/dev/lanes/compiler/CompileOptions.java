package dev.lanes.compiler;

import java.util.HashSet;
import java.util.Set;

/**
 * How to compile a model.
 *
 * @param disabledPasses names of passes to skip (see {@link Compiler#passNames()}), for
 *                       bisecting a wrong result
 * @param batch          the size to fix the inputs' free batch dimension to (axis 0, and every
 *                       input dimension with the same symbol), so that shapes are static and
 *                       shape arithmetic folds; 0 leaves it free
 * @param threads        the thread count the plan is meant for, 0 for all cores; a saved plan
 *                       records it and sessions opened on the file default to it (no
 *                       algorithm choice depends on it yet)
 */
public record CompileOptions(Set<String> disabledPasses, int batch, int threads) {
    /** Copies the set and checks the numbers. */
    public CompileOptions {
        disabledPasses = Set.copyOf(disabledPasses);
        if (batch < 0) {
            throw new IllegalArgumentException("batch must be 1 or more (0 for free), got "
                    + batch);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 1 or more (0 for all cores),"
                    + " got " + threads);
        }
    }

    /** Options with these passes switched off, the batch free and every core. */
    public CompileOptions(Set<String> disabledPasses) {
        this(disabledPasses, 0, 0);
    }

    /** Every pass on. */
    public static CompileOptions defaults() {
        return new CompileOptions(Set.of());
    }

    /** Every pass switched off: the graph as imported, lowered as it is (for bisecting). */
    public static CompileOptions allPassesOff() {
        return new CompileOptions(Set.copyOf(Compiler.passNames()));
    }

    /**
     * The same options with every fusion pass ({@link Compiler#fusionPassNames()}) switched
     * off as well: the plan to measure what fusion gains.
     */
    public CompileOptions withoutFusion() {
        Set<String> s = new HashSet<>(disabledPasses);
        s.addAll(Compiler.fusionPassNames());
        return new CompileOptions(s, batch, threads);
    }

    /** The same options with one more pass switched off. */
    public CompileOptions disable(String pass) {
        Set<String> s = new HashSet<>(disabledPasses);
        s.add(pass);
        return new CompileOptions(s, batch, threads);
    }

    /** The same options with the free batch dimension fixed to {@code n} (0: free). */
    public CompileOptions withBatch(int n) {
        return new CompileOptions(disabledPasses, n, threads);
    }

    /** The same options for {@code n} threads (0: all cores). */
    public CompileOptions withThreads(int n) {
        return new CompileOptions(disabledPasses, batch, n);
    }
}
