package dev.lanes.compiler.passes;

import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ops.OpRegistry;

/**
 * One graph transformation with one job. Passes run in a fixed order; each can be switched off
 * by its name to bisect a wrong result.
 */
public interface Pass {
    /** The name used to print and to switch the pass off, e.g. "fold-constants". */
    String name();

    /** Rewrites the graph in place. */
    void run(Graph graph, OpRegistry ops);
}
