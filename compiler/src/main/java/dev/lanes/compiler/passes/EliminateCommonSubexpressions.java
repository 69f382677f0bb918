package dev.lanes.compiler.passes;

import dev.lanes.compiler.ir.Attribute;
import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.Value;
import dev.lanes.compiler.ops.OpRegistry;
import dev.lanes.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Shares equal work: constants with the same type, shape and values become one value, and a
 * node that repeats an earlier node (same op, domain, attributes and inputs) is dropped in favour
 * of it. Graph outputs keep their names: a repeated node producing a graph output stays.
 */
public final class EliminateCommonSubexpressions implements Pass {
    @Override
    public String name() {
        return "eliminate-common-subexpressions";
    }

    @Override
    public void run(Graph graph, OpRegistry ops) {
        Map<Value, Value> canonical = shareConstants(graph);
        Map<List<Object>, Node> seen = new HashMap<>();
        Iterator<Node> it = graph.nodes().iterator();
        while (it.hasNext()) {
            Node n = it.next();
            for (int i = 0; i < n.inputCount(); i++) {
                Value v = n.input(i);
                if (v != null && canonical.containsKey(v)) {
                    n.inputs().set(i, canonical.get(v));
                }
            }
            List<Object> key = key(n);
            Node earlier = seen.get(key);
            if (earlier == null || earlier.outputs().size() != n.outputs().size()
                    || n.outputs().stream().anyMatch(graph.outputs()::contains)) {
                seen.putIfAbsent(key, n);
                continue;
            }
            for (int i = 0; i < n.outputs().size(); i++) {
                graph.replaceUses(n.output(i), earlier.output(i));
            }
            it.remove();
        }
    }

    /** Maps each duplicate constant used by a node to the first equal one. */
    private static Map<Value, Value> shareConstants(Graph g) {
        Map<Value, Value> canonical = new IdentityHashMap<>();
        Map<Integer, List<Value>> byHash = new HashMap<>();
        for (Node n : g.nodes()) {
            for (Value v : n.inputs()) {
                if (v == null || !v.isConstant() || canonical.containsKey(v)) {
                    continue;
                }
                Tensor t = v.constant();
                int h = Objects.hash(t.dtype(), Arrays.hashCode(t.shapeView()),
                        t.dtype().isFloat() ? Arrays.hashCode(t.floats())
                                : Arrays.hashCode(t.longs()));
                List<Value> bucket = byHash.computeIfAbsent(h, k -> new ArrayList<>());
                Value same = null;
                for (Value c : bucket) {
                    if (c == v || equal(c.constant(), t)) {
                        same = c;
                        break;
                    }
                }
                if (same == null) {
                    bucket.add(v);
                    same = v;
                }
                canonical.put(v, same);
            }
        }
        canonical.entrySet().removeIf(e -> e.getKey() == e.getValue());
        return canonical;
    }

    private static boolean equal(Tensor a, Tensor b) {
        return a.dtype() == b.dtype() && Arrays.equals(a.shapeView(), b.shapeView())
                && (a.dtype().isFloat() ? Arrays.equals(a.floats(), b.floats())
                        : Arrays.equals(a.longs(), b.longs()));
    }

    /** What makes two nodes compute the same thing. */
    private static List<Object> key(Node n) {
        List<Object> k = new ArrayList<>();
        k.add(n.opType());
        k.add(n.domain());
        k.add(n.opset());
        for (Value v : n.inputs()) {
            k.add(v == null ? "-" : new Identity(v));
        }
        for (Attribute a : n.attributes().values()) {
            k.add(a.name());
            k.add(new Deep(a.value()));
        }
        return k;
    }

    /** Compares values by identity inside a key. */
    private record Identity(Value v) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity i && i.v == v;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(v);
        }
    }

    /** Compares attribute values (arrays and tensors included) by content inside a key. */
    private record Deep(Object value) {
        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Deep d)) {
                return false;
            }
            if (value instanceof Tensor a && d.value instanceof Tensor b) {
                return equal(a, b);
            }
            return Objects.deepEquals(value, d.value);
        }

        @Override
        public int hashCode() {
            return switch (value) {
                case long[] l -> Arrays.hashCode(l);
                case float[] f -> Arrays.hashCode(f);
                case Object[] o -> Arrays.deepHashCode(o);
                case Tensor t -> Arrays.hashCode(t.shapeView());
                case null -> 0;
                default -> value.hashCode();
            };
        }
    }
}
