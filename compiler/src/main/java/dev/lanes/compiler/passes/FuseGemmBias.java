package dev.lanes.compiler.passes;

import dev.lanes.compiler.ir.Attribute;
import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.compiler.ir.Value;
import dev.lanes.compiler.ops.OpRegistry;
import dev.lanes.runtime.DType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A MatMul of 2-D operands, or a Gemm without C, followed by an Add of a constant bias (of
 * shape [N], [1, N] or [M, N]) becomes one Gemm with that bias as C: the bias is added while
 * the product's tile is in registers instead of in a pass over memory. TensorFlow and Keras
 * exporters write fully connected layers this way.
 */
public final class FuseGemmBias implements Pass {
    @Override
    public String name() {
        return "fuse-gemm-bias";
    }

    @Override
    public void run(Graph graph, OpRegistry ops) {
        Map<Value, Integer> uses = graph.useCounts();
        for (Node add : new ArrayList<>(graph.nodes())) {
            if (!add.opType().equals("Add") || !add.domain().isEmpty() || add.inputCount() != 2
                    || add.outputs().size() != 1) {
                continue;
            }
            for (int side = 0; side < 2; side++) {
                Value product = add.input(side);
                Value bias = add.input(1 - side);
                Node p = product == null ? null : product.producer();
                if (p != null && uses.getOrDefault(product, 0) == 1
                        && !graph.outputs().contains(product) && fusable(p, bias)) {
                    fuse(graph, p, add, bias);
                    break;
                }
            }
        }
    }

    private static boolean fusable(Node p, Value bias) {
        if (!p.domain().isEmpty() || p.outputs().size() != 1 || bias == null
                || !bias.isConstant() || bias.constant().dtype() != DType.FLOAT) {
            return false;
        }
        boolean matMul = p.opType().equals("MatMul") && p.inputCount() == 2
                && rank(p.input(0)) == 2 && rank(p.input(1)) == 2;
        boolean gemm = p.opType().equals("Gemm") && (p.inputCount() < 3 || p.input(2) == null);
        TensorType out = p.output(0).type();
        if ((!matMul && !gemm) || out == null || !out.hasRank() || out.rank() != 2
                || out.dtype() != DType.FLOAT) {
            return false;
        }
        // C must broadcast to [M, N] without growing the product: [N], [1, N] or [M, N].
        int[] c = bias.constant().shapeView();
        Dim m = out.dims().get(0);
        Dim n = out.dims().get(1);
        if (!n.isKnown()) {
            return false;
        }
        return switch (c.length) {
            case 1 -> c[0] == n.value();
            case 2 -> c[1] == n.value() && (c[0] == 1 || m.isKnown() && c[0] == m.value());
            default -> false;
        };
    }

    private static int rank(Value v) {
        TensorType t = v == null ? null : v.type();
        return t == null || !t.hasRank() ? -1 : t.rank();
    }

    private static void fuse(Graph g, Node p, Node add, Value bias) {
        Map<String, Attribute> attrs = new LinkedHashMap<>(p.attributes());
        // The bias is added as it is, whatever beta a Gemm without C carried.
        attrs.put("beta", new Attribute("beta", "FLOAT", 1f));
        List<Value> inputs = new ArrayList<>(p.inputs().subList(0, 2));
        inputs.add(bias);
        // Opset 13's Gemm: optional C broadcast to [M, N], alpha and beta 1 unless given.
        Node gemm = new Node(p.name(), "Gemm", "", Math.max(13, p.opset()), inputs,
                List.of(add.output(0)), attrs);
        add.output(0).setProducer(gemm);
        g.nodes().set(g.nodes().indexOf(p), gemm);
        g.nodes().remove(add);
    }
}
