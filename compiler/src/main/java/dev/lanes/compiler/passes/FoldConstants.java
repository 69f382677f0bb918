package dev.lanes.compiler.passes;

import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.Value;
import dev.lanes.compiler.ops.OpHandler;
import dev.lanes.compiler.ops.OpRegistry;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import java.util.Iterator;
import java.util.Set;

/**
 * Evaluates at compile time every node whose inputs are all constants, and Shape / Size of
 * values whose shape is static, then drops the node: the shape arithmetic that exporters write
 * (Shape, Gather, Unsqueeze, Concat, Reshape) disappears for static dimensions. Types are
 * inferred on the way, so a Shape further down sees the shapes produced above it.
 */
public final class FoldConstants implements Pass {
    /** Outputs larger than this many elements stay computed at run time. */
    static final long MAX_FOLDED_ELEMENTS = 1L << 28;

    /** Ops that must not be folded even with constant inputs (random, stateful). */
    private static final Set<String> NOT_FOLDABLE = Set.of("RandomNormal", "RandomUniform",
            "RandomNormalLike", "RandomUniformLike", "Multinomial", "Bernoulli");

    @Override
    public String name() {
        return "fold-constants";
    }

    @Override
    public void run(Graph graph, OpRegistry ops) {
        Iterator<Node> it = graph.nodes().iterator();
        while (it.hasNext()) {
            Node n = it.next();
            OpHandler h = ops.find(n);
            if (h == null) {
                continue;
            }
            h.inferTypes(n);
            if (NOT_FOLDABLE.contains(n.opType()) || !foldable(n)) {
                continue;
            }
            Tensor[] in = new Tensor[n.inputCount()];
            for (int i = 0; i < in.length; i++) {
                in[i] = n.input(i) == null ? null : n.input(i).constant();
            }
            Tensor[] out;
            if (n.opType().equals("Shape") && !allConstant(n)) {
                out = new Tensor[] {shapeOf(n)};
            } else {
                out = h.lower(n).run(in, RunContext.serial());
            }
            if (tooLarge(out)) {
                continue;
            }
            for (int i = 0; i < n.outputs().size(); i++) {
                Value v = n.output(i);
                v.setConstant(i < out.length ? out[i] : null);
            }
            it.remove();
        }
    }

    private static boolean tooLarge(Tensor[] out) {
        for (Tensor t : out) {
            if (t != null && t.size() > MAX_FOLDED_ELEMENTS) {
                return true;
            }
        }
        return false;
    }

    private static boolean foldable(Node n) {
        if (allConstant(n)) {
            return true;
        }
        return n.opType().equals("Shape") && n.input(0) != null && n.input(0).type().isStatic();
    }

    private static boolean allConstant(Node n) {
        for (Value v : n.inputs()) {
            if (v != null && !v.isConstant()) {
                return false;
            }
        }
        return true;
    }

    /** Shape of a value with a static shape, honouring Shape-15's start and end. */
    private static Tensor shapeOf(Node n) {
        int[] s = n.input(0).type().staticShape();
        int rank = s.length;
        long start = n.getInt("start", 0);
        long end = n.getInt("end", rank);
        start = Math.clamp(start < 0 ? start + rank : start, 0, rank);
        end = Math.clamp(end < 0 ? end + rank : end, 0, rank);
        int len = (int) Math.max(0, end - start);
        long[] v = new long[len];
        for (int i = 0; i < len; i++) {
            v[i] = s[(int) start + i];
        }
        return Tensor.vector(v);
    }
}
