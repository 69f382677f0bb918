package dev.lanes.compiler.passes;

import dev.lanes.compiler.ir.Attribute;
import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.Value;
import dev.lanes.compiler.ops.OpRegistry;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Folds a constant-zero Pad of the spatial axes into the pads of the Conv (or AveragePool that
 * counts padding) it feeds, so the padded copy of the input is never made. The Pad must pad
 * neither batch nor channels, pad by non-negative amounts, and feed only that node, whose
 * auto_pad must be NOTSET.
 */
public final class FoldPadIntoConv implements Pass {
    @Override
    public String name() {
        return "fold-pad";
    }

    @Override
    public void run(Graph graph, OpRegistry ops) {
        Map<Value, Integer> uses = graph.useCounts();
        Iterator<Node> it = graph.nodes().iterator();
        while (it.hasNext()) {
            Node pad = it.next();
            if (!pad.opType().equals("Pad") || !pad.domain().isEmpty()
                    || pad.outputs().size() != 1 || uses.getOrDefault(pad.output(0), 0) != 1
                    || graph.outputs().contains(pad.output(0))) {
                continue;
            }
            long[] pads = zeroPads(pad);
            Node next = consumer(graph, pad.output(0));
            if (pads == null || next == null || !accepts(next) || next.input(0) != pad.output(0)) {
                continue;
            }
            int rank = pads.length / 2;
            if (rank < 3 || pads[0] != 0 || pads[1] != 0 || pads[rank] != 0
                    || pads[rank + 1] != 0) {
                continue;
            }
            int spatial = rank - 2;
            long[] own = next.getInts("pads", new long[2 * spatial]);
            if (own.length != 2 * spatial) {
                continue;
            }
            long[] merged = new long[2 * spatial];
            for (int i = 0; i < spatial; i++) {
                merged[i] = own[i] + pads[2 + i];
                merged[spatial + i] = own[spatial + i] + pads[rank + 2 + i];
            }
            Map<String, Attribute> attrs = new LinkedHashMap<>(next.attributes());
            attrs.put("pads", new Attribute("pads", "INTS", merged));
            Node folded = new Node(next.name(), next.opType(), next.domain(), next.opset(),
                    next.inputs(), next.outputs(), attrs);
            folded.inputs().set(0, pad.input(0));
            for (Value out : folded.outputs()) {
                out.setProducer(folded);
            }
            graph.nodes().set(graph.nodes().indexOf(next), folded);
            it.remove();
        }
    }

    private static boolean accepts(Node n) {
        if (!n.domain().isEmpty() || !n.getString("auto_pad", "NOTSET").equals("NOTSET")) {
            return false;
        }
        return n.opType().equals("Conv") || (n.opType().equals("AveragePool")
                && n.getInt("count_include_pad", 0) == 1);
    }

    private static Node consumer(Graph g, Value v) {
        for (Node n : g.nodes()) {
            if (n.inputs().contains(v)) {
                return n;
            }
        }
        return null;
    }

    /** The pads (begins then ends) of a constant-mode Pad with value 0, or null. */
    private static long[] zeroPads(Node pad) {
        if (!pad.getString("mode", "constant").equals("constant")) {
            return null;
        }
        long[] pads;
        if (pad.opset() < 11) {
            pads = pad.getInts(pad.opset() < 2 ? "paddings" : "pads", null);
            if (pad.getFloat("value", 0f) != 0f) {
                return null;
            }
        } else {
            Value p = pad.input(1);
            Value value = pad.input(2);
            if (p == null || !p.isConstant() || pad.input(3) != null) {
                return null;
            }
            if (value != null && (!value.isConstant() || value.constant().size() != 1
                    || value.constant().getDouble(0) != 0)) {
                return null;
            }
            pads = p.constant().longs().clone();
        }
        if (pads == null || pads.length % 2 != 0) {
            return null;
        }
        for (long v : pads) {
            if (v < 0) {
                return null;
            }
        }
        return pads;
    }
}
