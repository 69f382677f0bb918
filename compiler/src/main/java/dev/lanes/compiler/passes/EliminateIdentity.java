package dev.lanes.compiler.passes;

import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.Value;
import dev.lanes.compiler.ops.OpRegistry;
import java.util.Iterator;

/**
 * Removes Identity nodes and inference-mode Dropout nodes whose mask output is unused, wiring
 * their consumers to their input. A node whose output is a graph output is kept, so that the
 * output keeps its name.
 */
public final class EliminateIdentity implements Pass {
    @Override
    public String name() {
        return "eliminate-identity";
    }

    @Override
    public void run(Graph graph, OpRegistry ops) {
        var uses = graph.useCounts();
        Iterator<Node> it = graph.nodes().iterator();
        while (it.hasNext()) {
            Node n = it.next();
            if (!isIdentity(n, uses)) {
                continue;
            }
            Value out = n.output(0);
            if (graph.outputs().contains(out)) {
                continue; // the output's name must survive; the step costs no copy
            }
            graph.replaceUses(out, n.input(0));
            it.remove();
        }
    }

    private static boolean isIdentity(Node n, java.util.Map<Value, Integer> uses) {
        if (!n.domain().isEmpty() || n.input(0) == null) {
            return false;
        }
        return switch (n.opType()) {
            case "Identity" -> true;
            case "Dropout" -> (n.outputs().size() < 2 || uses.getOrDefault(n.output(1), 0) == 0)
                    && (n.opset() < 12 || n.input(2) == null || (n.input(2).isConstant()
                            && n.input(2).constant().getLong(0) == 0));
            default -> false;
        };
    }
}
