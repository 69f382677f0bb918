package dev.lanes.compiler.ir;

import dev.lanes.errors.ModelFormatException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's computation as the compiler sees it: nodes in execution order over named values,
 * the graph inputs (values supplied by the caller), the graph outputs, and the opset versions the
 * model imports. Passes edit it in place.
 */
public final class Graph {
    private final String name;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final Map<String, Value> values = new LinkedHashMap<>();
    private final Map<String, Integer> opsets;

    /** An empty graph importing the given opsets (domain to version). */
    public Graph(String name, Map<String, Integer> opsets) {
        this.name = name;
        this.opsets = Map.copyOf(opsets);
    }

    /** The graph's name. */
    public String name() {
        return name;
    }

    /** The opset version imported for each domain ("" is the default ONNX domain). */
    public Map<String, Integer> opsets() {
        return opsets;
    }

    /** The nodes in execution order (mutable, for passes). */
    public List<Node> nodes() {
        return nodes;
    }

    /** The inputs a caller supplies, in graph order (mutable). */
    public List<Value> inputs() {
        return inputs;
    }

    /** The outputs, in graph order (mutable). */
    public List<Value> outputs() {
        return outputs;
    }

    /** Every value by name. */
    public Map<String, Value> values() {
        return values;
    }

    /** The value with this name, created if new. */
    public Value value(String valueName) {
        return values.computeIfAbsent(valueName, Value::new);
    }

    /** A new value whose name is not yet used, derived from {@code hint}. */
    public Value freshValue(String hint) {
        String n = hint;
        for (int i = 1; values.containsKey(n); i++) {
            n = hint + "_" + i;
        }
        return value(n);
    }

    /** Replaces every use of {@code from} (node inputs and graph outputs) by {@code to}. */
    public void replaceUses(Value from, Value to) {
        for (Node n : nodes) {
            List<Value> in = n.inputs();
            for (int i = 0; i < in.size(); i++) {
                if (in.get(i) == from) {
                    in.set(i, to);
                }
            }
        }
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i) == from) {
                outputs.set(i, to);
            }
        }
    }

    /** How many node inputs and graph outputs use each value. */
    public Map<Value, Integer> useCounts() {
        Map<Value, Integer> uses = new IdentityHashMap<>();
        for (Node n : nodes) {
            for (Value v : n.inputs()) {
                if (v != null) {
                    uses.merge(v, 1, Integer::sum);
                }
            }
        }
        for (Value v : outputs) {
            uses.merge(v, 1, Integer::sum);
        }
        return uses;
    }

    /**
     * Orders the nodes so each comes after the producers of its inputs, keeping the file order
     * where it is already valid; a cycle is a {@link ModelFormatException}.
     */
    public void sortTopologically() {
        Map<Node, Integer> pending = new IdentityHashMap<>();
        Map<Value, List<Node>> consumers = new HashMap<>();
        for (Node n : nodes) {
            int count = 0;
            for (Value v : n.inputs()) {
                if (v != null && v.producer() != null) {
                    count++;
                    consumers.computeIfAbsent(v, k -> new ArrayList<>()).add(n);
                }
            }
            pending.put(n, count);
        }
        Deque<Node> ready = new ArrayDeque<>();
        for (Node n : nodes) {
            if (pending.get(n) == 0) {
                ready.add(n);
            }
        }
        List<Node> order = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            Node n = ready.poll();
            order.add(n);
            for (Value out : n.outputs()) {
                for (Node c : consumers.getOrDefault(out, List.of())) {
                    if (pending.merge(c, -1, Integer::sum) == 0) {
                        ready.add(c);
                    }
                }
            }
        }
        if (order.size() != nodes.size()) {
            Node stuck = nodes.stream().filter(n -> pending.get(n) > 0).findFirst().orElseThrow();
            throw new ModelFormatException("graph '" + name + "' has a cycle through "
                    + stuck.describe());
        }
        nodes.clear();
        nodes.addAll(order);
    }
}
