package dev.lanes.compiler.onnx;

import dev.lanes.compiler.ir.Node;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Tensor;

/** The value of a Constant node, from whichever of its attribute forms the opset allows. */
public final class ConstantAttributes {
    private ConstantAttributes() {
    }

    /** The node's value; an absent, repeated or unsupported attribute is a format error. */
    public static Tensor value(Node n) {
        if (n.attributes().size() != 1) {
            throw n.error("needs exactly one value attribute, has " + n.attributes().keySet());
        }
        String key = n.attributes().keySet().iterator().next();
        return switch (key) {
            case "value" -> {
                Tensor t = n.getTensor("value");
                if (t == null) {
                    throw n.error("attribute 'value' holds no tensor");
                }
                yield t;
            }
            case "value_float" -> Tensor.scalar(n.getFloat("value_float", 0f));
            case "value_floats" -> {
                float[] f = n.getFloats("value_floats", new float[0]);
                yield Tensor.of(f, f.length);
            }
            case "value_int" -> Tensor.ofLongs(DType.INT64, new long[] {n.getInt("value_int", 0)});
            case "value_ints" -> {
                long[] v = n.getInts("value_ints", new long[0]);
                yield Tensor.ofLongs(DType.INT64, v, v.length);
            }
            default -> throw n.error("attribute '" + key
                    + "' is not supported (strings and sparse tensors are not)");
        };
    }
}
