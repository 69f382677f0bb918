package dev.lanes.compiler.ops;

import static dev.lanes.compiler.ops.MathOpsTestSupport.infer;
import static dev.lanes.compiler.ops.MathOpsTestSupport.node;
import static dev.lanes.compiler.ops.MathOpsTestSupport.run;
import static dev.lanes.compiler.ops.MathOpsTestSupport.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.compiler.ir.Value;
import dev.lanes.errors.ModelFormatException;
import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ElementwiseOpsTest {
    @Test
    void binaryBroadcastKeepsSymbolsAndStaticSizes() {
        Node n = node("Add", 14, List.of(value("a", DType.FLOAT, "N", 3, 1),
                value("b", DType.FLOAT, 4)));
        TensorType t = infer(n);
        assertEquals("FLOAT[N, 3, 4]", t.toString());
        Node bad = node("Mul", 14, List.of(value("a", DType.FLOAT, 3),
                value("b", DType.FLOAT, 4)));
        assertThrows(ShapeException.class, () -> infer(bad));
    }

    @Test
    void unknownInputsDoNotThrow() {
        Value unknown = new Value("u");
        for (String op : new String[] {"Add", "Equal", "Pow", "Where", "Sum", "Relu", "Cast",
            "Clip", "PRelu"}) {
            List<Value> in = Arrays.asList(unknown, unknown, unknown);
            Node n = op.equals("Cast") ? node(op, 13, in, "to", 7L) : node(op, 13, in);
            TensorType t = infer(n);
            assertFalse(t.hasRank(), op);
        }
    }

    @Test
    void resultTypes() {
        Value i = value("i", DType.INT64, 2);
        Value f = value("f", DType.FLOAT, 2);
        assertEquals(DType.BOOL, infer(node("Less", 13, List.of(i, i))).dtype());
        assertEquals(DType.FLOAT, infer(node("Pow", 15, List.of(f, i))).dtype());
        assertEquals(DType.INT64, infer(node("Pow", 15, List.of(i, f))).dtype());
        assertEquals(DType.INT32, infer(node("Cast", 13, List.of(f), "to", 6L)).dtype());
        assertEquals(DType.INT64, infer(node("CastLike", 15, List.of(f, i))).dtype());
        Value c = value("c", DType.BOOL, 2, 1);
        assertEquals("INT64[2, 2]", infer(node("Where", 16, List.of(c, i, i))).toString());
    }

    @Test
    void legacyBroadcastWithAxis() {
        Value a = value("a", DType.FLOAT, 2, 3, 4);
        Value b = value("b", DType.FLOAT, 3);
        Node n = node("Add", 6, List.of(a, b), "broadcast", 1L, "axis", 1L);
        assertEquals("FLOAT[2, 3, 4]", infer(n).toString());
        float[] bv = {1, 2, 3};
        Tensor y = run(n, Tensor.of(new float[24], 2, 3, 4), Tensor.of(bv, 3));
        assertEquals(2f, y.floats()[4]);
        assertEquals(3f, y.floats()[20]);
        // consumed_inputs of opset 1 is ignored.
        Node old = node("Mul", 1, List.of(a, a), "consumed_inputs", new long[] {0, 0});
        assertEquals("FLOAT[2, 3, 4]", infer(old).toString());
    }

    @Test
    void clipAttributesBeforeOpset11() {
        Value x = value("x", DType.FLOAT, 3);
        Node n = node("Clip", 6, List.of(x), "min", -1f, "max", 1f);
        Tensor y = run(n, Tensor.of(new float[] {-3, 0.5f, 3}, 3));
        assertArrayEquals(new float[] {-1, 0.5f, 1}, y.floats());
        Node n11 = node("Clip", 11, Arrays.asList(x, null, value("m", DType.FLOAT)));
        Tensor y11 = run(n11, Tensor.of(new float[] {-3, 0.5f, 3}, 3), null, Tensor.scalar(0));
        assertArrayEquals(new float[] {-3, 0, 0}, y11.floats());
    }

    @Test
    void attributeValidationAndOpsetRanges() {
        Value x = value("x", DType.FLOAT, 3);
        Node gelu = node("Gelu", 20, List.of(x), "approximate", "erf");
        assertThrows(ModelFormatException.class,
                () -> OpRegistry.defaults().find(gelu).lower(gelu));
        assertNull(OpRegistry.defaults().find(node("Gelu", 19, List.of(x))));
        Node str = node("Cast", 13, List.of(x), "to", 8L);
        assertThrows(ModelFormatException.class, () -> OpRegistry.defaults().find(str)
                .lower(str));
        Node half = node("Cast", 13, List.of(x), "to", 10L);
        assertEquals(DType.FLOAT, infer(half).dtype());
        assertArrayEquals(new float[] {1f}, run(half, Tensor.of(new float[] {1.0001f}, 1))
                .floats());
        Node selu = node("Selu", 6, List.of(x));
        assertEquals(1.0507010f, run(selu, Tensor.of(new float[] {1}, 1)).floats()[0], 1e-6f);
    }
}
