package dev.lanes.compiler.passes;

import dev.lanes.compiler.ir.Attribute;
import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.compiler.ir.Value;
import dev.lanes.compiler.ops.ConvAlgorithmChooser;
import dev.lanes.compiler.ops.FusedOps;
import dev.lanes.compiler.ops.OpRegistry;
import dev.lanes.runtime.kernels.conv.ConcatSlice;
import dev.lanes.runtime.kernels.conv.ConvAlgorithm;
import dev.lanes.runtime.kernels.conv.ConvKernels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Concat along channels whose every input is a convolution read by nothing else (SqueezeNet's
 * fire modules, Inception and DenseNet blocks) is not computed: each convolution writes its
 * output straight into its channels of the Concat's output. In file order, the first one makes
 * that tensor and each next one takes it as input {@link ConcatSlice#INTO} and hands it on; the
 * last one's output is the Concat's. Saves the copy, and the inputs and output of the Concat are
 * one tensor instead of two.
 */
public final class WriteConcatInPlace implements Pass {
    @Override
    public String name() {
        return "concat-in-place";
    }

    @Override
    public void run(Graph graph, OpRegistry ops) {
        Map<Value, Integer> uses = graph.useCounts();
        for (Node concat : new ArrayList<>(graph.nodes())) {
            List<Node> writers = writers(graph, concat, uses);
            if (writers != null) {
                rewrite(graph, concat, writers);
            }
        }
    }

    /** The convolutions that can write the Concat's inputs, in its input order, or null. */
    private static List<Node> writers(Graph g, Node concat, Map<Value, Integer> uses) {
        if (!concat.opType().equals("Concat") || !concat.domain().isEmpty()
                || concat.outputs().size() != 1 || concat.inputCount() < 2) {
            return null;
        }
        TensorType out = concat.output(0).type();
        if (out == null || !out.hasRank() || out.rank() < 3 || out.dtype() == null
                || !out.dtype().isFloat()) {
            return null;
        }
        long axis = concat.getInt("axis", 1);
        if (axis != 1 && axis != 1 - out.rank()) {
            return null;
        }
        List<Node> writers = new ArrayList<>();
        for (Value v : concat.inputs()) {
            Node p = v == null ? null : v.producer();
            if (p == null || writers.contains(p) || !canWrite(p, g, uses)) {
                return null;
            }
            writers.add(p);
        }
        return writers;
    }

    private static boolean canWrite(Node p, Graph g, Map<Value, Integer> uses) {
        boolean conv = p.opType().equals("Conv") && p.domain().isEmpty()
                || p.opType().equals(FusedOps.FUSED_CONV) && p.domain().equals(FusedOps.DOMAIN);
        if (!conv || p.outputs().size() != 1 || p.has(FusedOps.INTO_CHANNELS)
                || uses.getOrDefault(p.output(0), 0) != 1 || g.outputs().contains(p.output(0))
                || channels(p.output(0)) < 1) {
            return false;
        }
        ConvAlgorithm algorithm = ConvAlgorithmChooser.algorithmOf(p);
        boolean residual = p.inputCount() > 3 && p.input(3) != null;
        return algorithm != null && ConvKernels.writesIntoConcat(algorithm)
                && (!residual || algorithm == ConvAlgorithm.IM2COL_GEMM
                        || algorithm == ConvAlgorithm.POINTWISE_GEMM);
    }

    private static long channels(Value v) {
        TensorType t = v.type();
        if (t == null || !t.hasRank() || t.rank() < 2) {
            return -1;
        }
        Dim d = t.dims().get(1);
        return d.isKnown() ? d.value() : -1;
    }

    private static void rewrite(Graph g, Node concat, List<Node> writers) {
        Map<Node, Long> offset = new IdentityHashMap<>();
        long total = 0;
        for (Node w : writers) {
            offset.put(w, total);
            total += channels(w.output(0));
        }
        TensorType whole = concat.output(0).type();
        List<Node> inOrder = new ArrayList<>(writers);
        inOrder.sort(Comparator.comparingInt(n -> g.nodes().indexOf(n)));
        Value into = null;
        for (int i = 0; i < inOrder.size(); i++) {
            Node w = inOrder.get(i);
            Map<String, Attribute> attrs = new LinkedHashMap<>(w.attributes());
            attrs.put(FusedOps.INTO_CHANNELS, new Attribute(FusedOps.INTO_CHANNELS, "INT", total));
            attrs.put(FusedOps.INTO_OFFSET, new Attribute(FusedOps.INTO_OFFSET, "INT",
                    offset.get(w)));
            List<Value> inputs = new ArrayList<>(w.inputs());
            while (inputs.size() <= ConcatSlice.INTO) {
                inputs.add(null);
            }
            inputs.set(ConcatSlice.INTO, into);
            boolean last = i == inOrder.size() - 1;
            Value out = last ? concat.output(0) : w.output(0);
            out.setType(whole);
            Node written = new Node(w.name(), FusedOps.FUSED_CONV, FusedOps.DOMAIN, w.opset(),
                    inputs, List.of(out), attrs);
            out.setProducer(written);
            g.nodes().set(g.nodes().indexOf(w), written);
            into = out;
        }
        g.nodes().remove(concat);
        // Each writer now reads the one before it in file order: the order stays valid.
    }
}
