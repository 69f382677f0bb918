package dev.lanes.compiler;

import java.util.HashSet;
import java.util.Set;

/**
 * How to compile a model.
 *
 * @param disabledPasses names of passes to skip (see {@link Compiler#passNames()}), for
 *                       bisecting a wrong result
 */
public record CompileOptions(Set<String> disabledPasses) {
    /** Copies the set. */
    public CompileOptions {
        disabledPasses = Set.copyOf(disabledPasses);
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
        return new CompileOptions(s);
    }

    /** The same options with one more pass switched off. */
    public CompileOptions disable(String pass) {
        Set<String> s = new HashSet<>(disabledPasses);
        s.add(pass);
        return new CompileOptions(s);
    }
}
