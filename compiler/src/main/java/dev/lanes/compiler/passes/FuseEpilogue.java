package dev.lanes.compiler.passes;

import dev.lanes.compiler.ir.Attribute;
import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.Value;
import dev.lanes.compiler.ops.FusedOps;
import dev.lanes.compiler.ops.OpRegistry;
import dev.lanes.runtime.kernels.gemm.Activation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves what follows a Conv or Gemm into its epilogue, turning it into a {@code FusedConv} or
 * {@code FusedGemm}: for a Conv, a residual Add of a tensor of the output's shape (ResNet); then
 * one activation: Relu, Clip with constant bounds (Relu6), LeakyRelu, Sigmoid, Tanh,
 * HardSigmoid, HardSwish, and the forms exporters write instead of the op:
 * {@code x * HardSigmoid(x)} (HardSwish), {@code x * Sigmoid(x)} (SiLU). An output used elsewhere
 * too, or that is a graph output, is left alone.
 */
public final class FuseEpilogue implements Pass {
    @Override
    public String name() {
        return "fuse-epilogue";
    }

    @Override
    public void run(Graph graph, OpRegistry ops) {
        boolean changed = true;
        while (changed) {
            changed = false;
            Map<Value, Integer> uses = graph.useCounts();
            Map<Value, List<Node>> consumers = consumers(graph);
            for (int i = 0; i < graph.nodes().size() && !changed; i++) {
                Node conv = graph.nodes().get(i);
                if (!isConv(conv) || graph.outputs().contains(conv.output(0))) {
                    continue;
                }
                Value y = conv.output(0);
                List<Node> next = consumers.getOrDefault(y, List.of());
                changed = fuseResidual(graph, conv, next, uses)
                        || fuseActivation(graph, conv, next, uses)
                        || fuseGatedActivation(graph, conv, next, uses);
            }
        }
    }

    private static boolean isConv(Node n) {
        return (n.opType().equals("Conv") && n.domain().isEmpty())
                || (n.opType().equals(FusedOps.FUSED_CONV) && n.domain().equals(FusedOps.DOMAIN))
                || isGemm(n);
    }

    private static boolean isGemm(Node n) {
        return (n.opType().equals("Gemm") && n.domain().isEmpty())
                || (n.opType().equals(FusedOps.FUSED_GEMM) && n.domain().equals(FusedOps.DOMAIN));
    }

    private static boolean hasActivation(Node conv) {
        return conv.domain().equals(FusedOps.DOMAIN)
                && FusedOps.activationOf(conv).kind() != Activation.Kind.NONE;
    }

    private static boolean hasResidual(Node conv) {
        return conv.opType().equals(FusedOps.FUSED_CONV) && conv.input(3) != null;
    }

    /** conv -> Add(conv, z): z becomes the residual input. */
    private static boolean fuseResidual(Graph g, Node conv, List<Node> next,
            Map<Value, Integer> uses) {
        if (isGemm(conv) || next.size() != 1 || uses.get(conv.output(0)) != 1
                || hasActivation(conv) || hasResidual(conv)) {
            return false;
        }
        Node add = next.get(0);
        if (!add.opType().equals("Add") || !add.domain().isEmpty() || add.inputCount() != 2
                || add.opset() < 7) {
            return false;
        }
        Value other = add.input(0) == conv.output(0) ? add.input(1) : add.input(0);
        if (other == null || other == conv.output(0) || !sameStaticShape(other, conv.output(0))
                || !sameStaticShape(add.output(0), conv.output(0))) {
            return false;
        }
        Node fused = fusedCopy(conv, null, other);
        replace(g, conv, fused, add);
        return true;
    }

    /** conv -> act: the activation moves into the epilogue. */
    private static boolean fuseActivation(Graph g, Node conv, List<Node> next,
            Map<Value, Integer> uses) {
        if (next.size() != 1 || uses.get(conv.output(0)) != 1 || hasActivation(conv)) {
            return false;
        }
        Node act = next.get(0);
        Activation a = FusedOps.activationComputedBy(act);
        if (a == null || act.input(0) != conv.output(0) || act.outputs().size() != 1) {
            return false;
        }
        replace(g, conv, fusedCopy(conv, a, null), act);
        return true;
    }

    /** conv -> Mul(x, HardSigmoid(x)) or Mul(x, Sigmoid(x)): HardSwish or SiLU. */
    private static boolean fuseGatedActivation(Graph g, Node conv, List<Node> next,
            Map<Value, Integer> uses) {
        if (next.size() != 2 || uses.get(conv.output(0)) != 2 || hasActivation(conv)) {
            return false;
        }
        Value x = conv.output(0);
        Node gate = next.get(0).opType().equals("Mul") ? next.get(1) : next.get(0);
        Node mul = gate == next.get(0) ? next.get(1) : next.get(0);
        if (!mul.opType().equals("Mul") || !mul.domain().isEmpty() || mul.inputCount() != 2
                || gate.outputs().size() != 1 || uses.getOrDefault(gate.output(0), 0) != 1) {
            return false;
        }
        boolean wired = (mul.input(0) == x && mul.input(1) == gate.output(0))
                || (mul.input(1) == x && mul.input(0) == gate.output(0));
        Activation a = FusedOps.activationComputedBy(gate);
        if (!wired || a == null || gate.input(0) != x) {
            return false;
        }
        Activation gated;
        if (a.kind() == Activation.Kind.SIGMOID) {
            gated = Activation.of(Activation.Kind.SILU);
        } else if (a.kind() == Activation.Kind.HARD_SIGMOID
                && Math.abs(a.alpha() - 1f / 6f) < 1e-6f && a.beta() == 0.5f) {
            gated = Activation.of(Activation.Kind.HARD_SWISH);
        } else {
            return false;
        }
        Node fused = fusedCopy(conv, gated, null);
        int at = g.nodes().indexOf(conv);
        g.nodes().set(at, fused);
        g.nodes().remove(gate);
        Value out = mul.output(0);
        fused.outputs().set(0, out);
        out.setProducer(fused);
        g.nodes().remove(mul);
        return true;
    }

    private static boolean sameStaticShape(Value a, Value b) {
        return a.type().isStatic() && b.type().isStatic()
                && java.util.Arrays.equals(a.type().staticShape(), b.type().staticShape())
                || a.type().hasRank() && b.type().hasRank() && a.type().dims().equals(b.type().dims())
                && a.type().dims().stream().allMatch(d -> d.isKnown() || d.symbol() != null);
    }

    /** A fused copy of {@code conv} (or Gemm) with an activation and/or a residual added. */
    private static Node fusedCopy(Node conv, Activation act, Value residual) {
        Map<String, Attribute> attrs = new LinkedHashMap<>(conv.attributes());
        if (act != null) {
            attrs.put(FusedOps.ACTIVATION, new Attribute(FusedOps.ACTIVATION, "STRING",
                    act.kind().name()));
            attrs.put(FusedOps.ACTIVATION_PARAMS, new Attribute(FusedOps.ACTIVATION_PARAMS,
                    "FLOATS", new float[] {act.alpha(), act.beta()}));
        }
        List<Value> inputs = new ArrayList<>(conv.inputs());
        if (residual != null) {
            while (inputs.size() < 4) {
                inputs.add(null);
            }
            inputs.set(3, residual);
        }
        String op = isGemm(conv) ? FusedOps.FUSED_GEMM : FusedOps.FUSED_CONV;
        return new Node(conv.name(), op, FusedOps.DOMAIN, conv.opset(), inputs, conv.outputs(),
                attrs);
    }

    /** Puts {@code fused} where {@code conv} was; {@code absorbed}'s output becomes its output. */
    private static void replace(Graph g, Node conv, Node fused, Node absorbed) {
        int at = g.nodes().indexOf(conv);
        g.nodes().set(at, fused);
        Value out = absorbed.output(0);
        fused.outputs().set(0, out);
        out.setProducer(fused);
        g.nodes().remove(absorbed);
        // The residual may be produced after the conv in file order; keep the order valid.
        g.sortTopologically();
    }

    private static Map<Value, List<Node>> consumers(Graph g) {
        Map<Value, List<Node>> m = new java.util.IdentityHashMap<>();
        for (Node n : g.nodes()) {
            for (Value v : n.inputs()) {
                if (v != null) {
                    List<Node> l = m.computeIfAbsent(v, k -> new ArrayList<>());
                    if (!l.contains(n)) {
                        l.add(n);
                    }
                }
            }
        }
        return m;
    }
}
