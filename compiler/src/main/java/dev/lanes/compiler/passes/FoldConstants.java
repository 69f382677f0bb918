package dev.lanes.compiler.passes;

import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.compiler.ir.Value;
import dev.lanes.compiler.ops.OpHandler;
import dev.lanes.compiler.ops.OpRegistry;
import dev.lanes.compiler.ops.ShapeRewrites;
import dev.lanes.compiler.ops.ShapeValues;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import java.util.Iterator;
import java.util.Set;

/**
 * Evaluates at compile time every node whose inputs are all constants, and Shape / Size of
 * values whose shape is static, then drops the node: the shape arithmetic that exporters write
 * (Shape, Gather, Unsqueeze, Concat, Reshape) disappears for static dimensions. Types are
 * inferred on the way, so a Shape further down sees the shapes produced above it. Where the
 * batch is symbolic, shape vectors whose elements inference knows ({@link ShapeValues}) fold too,
 * and a Reshape whose computed shape only copies the batch gets a constant shape
 * ({@link ShapeRewrites}). Nodes left without consumers are dropped.
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
            Tensor reshapeShape = ShapeRewrites.constantReshapeShape(n);
            if (reshapeShape != null) {
                Value shape = graph.freshValue(n.name() + "_shape");
                shape.setConstant(reshapeShape);
                n.inputs().set(1, shape);
            }
            if (NOT_FOLDABLE.contains(n.opType())) {
                continue;
            }
            if (!foldable(n)) {
                if (foldKnownShapeValue(n)) {
                    it.remove();
                }
                continue;
            }
            if (inferredTooLarge(n)) {
                continue; // known before running: a huge ConstantOfShape is never allocated
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

    /**
     * Makes the output of a node a constant when shape inference knows every element of it
     * (shape arithmetic over the static dimensions of a value whose batch is symbolic, such as
     * {@code Gather(Shape(x), 1)}).
     */
    private static boolean foldKnownShapeValue(Node n) {
        if (n.outputs().size() != 1) {
            return false;
        }
        Value out = n.output(0);
        TensorType t = out.type();
        if (t.dtype() == null || t.dtype().isFloat() || !t.isStatic() || t.rank() > 1) {
            return false;
        }
        long[] v = ShapeValues.numbers(ShapeValues.of(out));
        if (v == null || v.length != Tensor.checkedSize(t.staticShape())) {
            return false;
        }
        long[] wrapped = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            wrapped[i] = t.dtype().wrap(v[i]);
        }
        out.setConstant(Tensor.ofLongs(t.dtype(), wrapped, t.staticShape()));
        return true;
    }

    private static boolean inferredTooLarge(Node n) {
        for (Value v : n.outputs()) {
            TensorType t = v.type();
            if (t.isStatic()) {
                long size = 1;
                for (Dim d : t.dims()) {
                    // Both factors stay at or below 2^28 here, so the product cannot overflow.
                    size = d.value() > MAX_FOLDED_ELEMENTS ? Long.MAX_VALUE : size * d.value();
                    if (size > MAX_FOLDED_ELEMENTS) {
                        return true;
                    }
                }
            }
        }
        return false;
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
