package dev.lanes.compiler.passes;

import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.Value;
import dev.lanes.compiler.ops.OpRegistry;
import java.util.List;
import java.util.Map;

/**
 * Drops the nodes whose outputs nothing uses: what the exporter left unused, and what folding
 * constants left behind (the Shape nodes whose results became constants, for one). Last to
 * first, so that a dead chain goes at once. Operators have no side effects, so an unused node
 * is dead.
 */
public final class EliminateDeadNodes implements Pass {
    @Override
    public String name() {
        return "eliminate-dead-nodes";
    }

    @Override
    public void run(Graph graph, OpRegistry ops) {
        Map<Value, Integer> uses = graph.useCounts();
        List<Node> nodes = graph.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node n = nodes.get(i);
            boolean used = false;
            for (Value v : n.outputs()) {
                used |= uses.getOrDefault(v, 0) > 0;
            }
            if (used) {
                continue;
            }
            for (Value v : n.inputs()) {
                if (v != null) {
                    uses.merge(v, -1, Integer::sum);
                }
            }
            nodes.remove(i);
        }
    }
}
