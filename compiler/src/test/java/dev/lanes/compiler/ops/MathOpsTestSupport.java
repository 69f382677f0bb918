package dev.lanes.compiler.ops;

import dev.lanes.compiler.ir.Attribute;
import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.compiler.ir.Value;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds single nodes for handler tests. */
final class MathOpsTestSupport {
    private MathOpsTestSupport() {
    }

    /** A value of the given type: dims are Integer sizes, String symbols or null (unknown). */
    static Value value(String name, DType dtype, Object... dims) {
        Value v = new Value(name);
        List<Dim> ds = new ArrayList<>();
        for (Object d : dims) {
            ds.add(d == null ? Dim.unknown() : d instanceof String s ? Dim.symbol(s)
                    : Dim.of((Integer) d));
        }
        v.setType(new TensorType(dtype, ds));
        return v;
    }

    /** A constant value. */
    static Value constant(String name, Tensor t) {
        Value v = new Value(name);
        v.setConstant(t);
        return v;
    }

    /** A node with one output; attributes as name/value pairs (Long, Float, String, long[]). */
    static Node node(String op, int opset, List<Value> inputs, Object... attrs) {
        Map<String, Attribute> m = new LinkedHashMap<>();
        for (int i = 0; i < attrs.length; i += 2) {
            Object v = attrs[i + 1];
            String kind = v instanceof Long ? "INT" : v instanceof Float ? "FLOAT"
                    : v instanceof String ? "STRING" : "INTS";
            m.put((String) attrs[i], new Attribute((String) attrs[i], kind, v));
        }
        return new Node(op + "_0", op, "", opset, inputs, List.of(new Value("y")), m);
    }

    /** Infers the node's output type through the default registry and returns it. */
    static TensorType infer(Node n) {
        OpHandler h = OpRegistry.defaults().find(n);
        if (h == null) {
            throw new AssertionError("no handler for " + n.describe());
        }
        h.inferTypes(n);
        return n.output(0).type();
    }

    /** Lowers the node and runs its kernel on the given inputs. */
    static Tensor run(Node n, Tensor... inputs) {
        return OpRegistry.defaults().find(n).lower(n).run(inputs, RunContext.serial())[0];
    }
}
