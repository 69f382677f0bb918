package dev.lanes.compiler.passes;

import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.Value;
import dev.lanes.compiler.ops.FusedOps;
import dev.lanes.compiler.ops.OpRegistry;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces the GELU that exporters write out as {@code 0.5 * x * (1 + Erf(x / sqrt 2))} (in
 * either order of the multiplications, with {@code x * (1 / sqrt 2)} for the division) by one
 * {@code Gelu} node of Lanes' domain, which the epilogue fusion can then move into the
 * producing Conv or Gemm. The intermediate values must have no other users.
 */
public final class FuseGeluPattern implements Pass {
    private static final double SQRT2 = Math.sqrt(2.0);
    private static final double TOLERANCE = 1e-4;

    @Override
    public String name() {
        return "fuse-gelu";
    }

    @Override
    public void run(Graph graph, OpRegistry ops) {
        boolean changed = true;
        while (changed) {
            changed = false;
            Map<Value, List<Node>> users = users(graph);
            for (Node erf : new ArrayList<>(graph.nodes())) {
                if (is(erf, "Erf") && fuse(graph, erf, users)) {
                    changed = true;
                    break;
                }
            }
        }
    }

    private static boolean fuse(Graph g, Node erf, Map<Value, List<Node>> users) {
        Node scale = erf.input(0) == null ? null : erf.input(0).producer();
        if (scale == null || !onlyUser(users, scale.output(0), erf)) {
            return false;
        }
        Value x;
        if (is(scale, "Div") && isScalar(scale.input(1), SQRT2)) {
            x = scale.input(0);
        } else if (is(scale, "Mul") && isScalar(scale.input(1), 1 / SQRT2)) {
            x = scale.input(0);
        } else if (is(scale, "Mul") && isScalar(scale.input(0), 1 / SQRT2)) {
            x = scale.input(1);
        } else {
            return false;
        }
        Node add = single(users, erf.output(0));
        if (add == null || !is(add, "Add") || !isScalar(other(add, erf.output(0)), 1.0)) {
            return false;
        }
        Node mul = single(users, add.output(0));
        if (mul == null || !is(mul, "Mul")) {
            return false;
        }
        Value o = other(mul, add.output(0));
        List<Node> removed = new ArrayList<>(List.of(scale, erf, add, mul));
        Value y;
        if (o == x) {
            Node half = single(users, mul.output(0));
            if (half == null || !is(half, "Mul") || !isScalar(other(half, mul.output(0)), 0.5)) {
                return false;
            }
            removed.add(half);
            y = half.output(0);
        } else {
            Node half = o == null ? null : o.producer();
            if (half == null || !is(half, "Mul") || !onlyUser(users, o, mul)
                    || !(half.input(0) == x && isScalar(half.input(1), 0.5)
                            || half.input(1) == x && isScalar(half.input(0), 0.5))) {
                return false;
            }
            removed.add(half);
            y = mul.output(0);
        }
        Node gelu = new Node(mul.name() + "_gelu", FusedOps.GELU, FusedOps.DOMAIN, 1,
                List.of(x), List.of(y), Map.of());
        y.setProducer(gelu);
        int at = g.nodes().indexOf(y == mul.output(0) ? mul : removed.get(removed.size() - 1));
        g.nodes().set(at, gelu);
        for (Node n : removed) {
            if (n.output(0) != y) {
                g.nodes().remove(n);
            }
        }
        return true;
    }

    private static boolean is(Node n, String op) {
        return n.domain().isEmpty() && n.opType().equals(op) && n.outputs().size() == 1;
    }

    private static Value other(Node binary, Value v) {
        if (binary.inputCount() != 2) {
            return null;
        }
        return binary.input(0) == v ? binary.input(1) : binary.input(1) == v ? binary.input(0)
                : null;
    }

    private static boolean isScalar(Value v, double want) {
        return v != null && v.isConstant() && v.constant().dtype().isFloat()
                && v.constant().size() == 1
                && Math.abs(v.constant().floats()[0] - want) <= TOLERANCE * Math.abs(want);
    }

    private static Node single(Map<Value, List<Node>> users, Value v) {
        List<Node> u = users.getOrDefault(v, List.of());
        return u.size() == 1 ? u.get(0) : null;
    }

    private static boolean onlyUser(Map<Value, List<Node>> users, Value v, Node n) {
        List<Node> u = users.getOrDefault(v, List.of());
        return u.size() == 1 && u.get(0) == n;
    }

    private static Map<Value, List<Node>> users(Graph g) {
        Map<Value, List<Node>> m = new IdentityHashMap<>();
        for (Node n : g.nodes()) {
            for (Value v : n.inputs()) {
                if (v != null) {
                    m.computeIfAbsent(v, k -> new ArrayList<>()).add(n);
                }
            }
        }
        for (Value v : g.outputs()) {
            m.computeIfAbsent(v, k -> new ArrayList<>()).add(null);
        }
        return m;
    }
}
