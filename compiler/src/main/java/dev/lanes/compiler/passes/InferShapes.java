package dev.lanes.compiler.passes;

import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ops.OpHandler;
import dev.lanes.compiler.ops.OpRegistry;

/** Sets the type and shape of every node output from its inputs, in execution order. */
public final class InferShapes implements Pass {
    @Override
    public String name() {
        return "infer-shapes";
    }

    @Override
    public void run(Graph graph, OpRegistry ops) {
        for (Node n : graph.nodes()) {
            OpHandler h = ops.find(n);
            if (h != null) {
                h.inferTypes(n);
            }
        }
    }
}
