package dev.lanes.compiler.ops;

import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ops.ShapeValues.Elem;
import dev.lanes.runtime.Tensor;
import java.util.List;

/**
 * Rewrites that make computed shapes constant where the operator's own rules allow it, so the
 * shape arithmetic feeding them becomes dead.
 */
public final class ShapeRewrites {
    private ShapeRewrites() {
    }

    /**
     * A constant that can replace the computed shape input of a Reshape node, or null. It
     * exists when every element of the computed shape is known except symbolic dimensions that
     * equal the input's dimension at the same position (the batch "N" read through
     * {@code Shape(x)[0]}): those become 0, which Reshape reads as "copy the input's
     * dimension".
     */
    public static Tensor constantReshapeShape(Node n) {
        if (!n.opType().equals("Reshape") || !n.domain().isEmpty() || n.opset() < 5
                || n.input(1) == null || n.input(1).isConstant()
                || (n.opset() >= 14 && n.getInt("allowzero", 0) != 0)) {
            return null;
        }
        List<Elem> spec = ShapeValues.of(n.input(1));
        List<Dim> in = TensorTypes.dims(n, 0);
        if (spec == null || in == null) {
            return null;
        }
        long[] out = new long[spec.size()];
        for (int i = 0; i < out.length; i++) {
            Elem e = spec.get(i);
            if (e.known()) {
                out[i] = e.value();
            } else if (e.symbol() != null && i < in.size() && !in.get(i).isKnown()
                    && e.symbol().equals(in.get(i).symbol())) {
                out[i] = 0;
            } else {
                return null;
            }
        }
        return Tensor.vector(out);
    }
}
