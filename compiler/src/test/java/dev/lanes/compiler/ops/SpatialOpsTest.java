package dev.lanes.compiler.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.compiler.ir.Attribute;
import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.compiler.ir.Value;
import dev.lanes.errors.ModelFormatException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpatialOpsTest {
    private static final OpRegistry OPS = OpRegistry.defaults();

    private static Value typed(String name, Object... dims) {
        List<Dim> d = new ArrayList<>();
        for (Object o : dims) {
            d.add(o instanceof String s ? Dim.symbol(s) : Dim.of((Integer) o));
        }
        Value v = new Value(name);
        v.setType(new TensorType(DType.FLOAT, d));
        return v;
    }

    private static Value constant(String name, Tensor t) {
        Value v = new Value(name);
        v.setConstant(t);
        return v;
    }

    private static Node node(String op, int opset, List<Value> in, int outputs,
            Object... attrs) {
        Map<String, Attribute> a = new LinkedHashMap<>();
        for (int i = 0; i < attrs.length; i += 2) {
            Object v = attrs[i + 1];
            String kind = v instanceof Long ? "INT" : v instanceof Float ? "FLOAT"
                    : v instanceof String ? "STRING" : v instanceof long[] ? "INTS" : "FLOATS";
            a.put((String) attrs[i], new Attribute((String) attrs[i], kind, v));
        }
        List<Value> out = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            out.add(new Value("y" + i));
        }
        return new Node("n", op, "", opset, in, out, a);
    }

    private static Node inferred(Node n) {
        OpHandler h = OPS.find(n);
        h.inferTypes(n);
        return n;
    }

    private static Tensor run(Node n, Tensor... inputs) {
        return OPS.find(n).lower(n).run(inputs, RunContext.serial())[0];
    }

    @Test
    void convPassesSymbolicBatchAndComputesSpatialSizes() {
        Node n = inferred(node("Conv", 11, List.of(typed("x", "N", 3, 224, 224),
                constant("w", Tensor.zeros(DType.FLOAT, 64, 3, 7, 7))), 1,
                "strides", new long[] {2, 2}, "pads", new long[] {3, 3, 3, 3}));
        assertEquals("FLOAT[N, 64, 112, 112]", n.output(0).type().toString());
    }

    @Test
    void unknownInputsDoNotThrow() {
        for (String op : OPS.all().keySet()) {
            if (!List.of("Conv", "ConvTranspose", "MaxPool", "AveragePool", "Pad", "Resize",
                    "Upsample", "GlobalAveragePool", "BatchNormalization", "DepthToSpace")
                    .contains(op)) {
                continue;
            }
            Node n = node(op, 13, List.of(new Value("x"), new Value("w")), 1,
                    "kernel_shape", new long[] {3, 3}, "blocksize", 2L);
            OPS.find(n).inferTypes(n);
        }
    }

    @Test
    void maxPoolCeilModeAndIndicesType() {
        Node n = inferred(node("MaxPool", 12, List.of(typed("x", "N", 8, 5, 5)), 2,
                "kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2}, "ceil_mode", 1L));
        assertEquals("FLOAT[N, 8, 3, 3]", n.output(0).type().toString());
        assertEquals(DType.INT64, n.output(1).type().dtype());
    }

    @Test
    void convTransposeShapes() {
        Node n = inferred(node("ConvTranspose", 11, List.of(typed("x", "N", 1, 3, 3),
                constant("w", Tensor.zeros(DType.FLOAT, 1, 2, 3, 3))), 1,
                "strides", new long[] {3, 2}, "output_padding", new long[] {1, 1}));
        assertEquals("FLOAT[N, 2, 10, 8]", n.output(0).type().toString());
        Node same = inferred(node("ConvTranspose", 11, List.of(typed("x", 1, 1, 3, 3),
                constant("w", Tensor.zeros(DType.FLOAT, 1, 2, 3, 3))), 1,
                "strides", new long[] {2, 2}, "auto_pad", "SAME_UPPER"));
        assertEquals("FLOAT[1, 2, 6, 6]", same.output(0).type().toString());
    }

    @Test
    void globalPoolKeepsRank() {
        Node n = inferred(node("GlobalAveragePool", 1, List.of(typed("x", "N", 7, 3, 4)), 1));
        assertEquals("FLOAT[N, 7, 1, 1]", n.output(0).type().toString());
    }

    @Test
    void padAttributeFormsOfOpsetsOneAndTwo() {
        Node p1 = inferred(node("Pad", 1, List.of(typed("x", 1, 3)), 1,
                "paddings", new long[] {0, 1, 0, 2}, "value", 7f));
        assertEquals("FLOAT[1, 6]", p1.output(0).type().toString());
        Tensor y = run(p1, Tensor.of(new float[] {1, 2, 3}, 1, 3));
        assertArrayEquals(new float[] {7, 1, 2, 3, 7, 7}, y.floats());
        Node p2 = inferred(node("Pad", 2, List.of(typed("x", 1, 3)), 1,
                "pads", new long[] {0, 1, 0, 0}, "mode", "edge"));
        assertArrayEquals(new float[] {1, 1, 2, 3},
                run(p2, Tensor.of(new float[] {1, 2, 3}, 1, 3)).floats());
    }

    @Test
    void padInputFormWithConstantOrRuntimePads() {
        Node c = inferred(node("Pad", 18, Arrays.asList(typed("x", "N", 3, 4),
                constant("p", Tensor.vector(1, -1)), null, constant("a", Tensor.vector(2))), 1));
        assertEquals("FLOAT[N, 3, 4]", c.output(0).type().toString());
        Node r = inferred(node("Pad", 13, List.of(typed("x", "N", 3, 4), new Value("p")), 1));
        assertEquals("FLOAT[?, ?, ?]", r.output(0).type().toString());
    }

    @Test
    void batchNormLegacyAttributesRunInInferenceForm() {
        Node n = inferred(node("BatchNormalization", 6, List.of(typed("x", "N", 2, 1),
                typed("s", 2), typed("b", 2), typed("m", 2), typed("v", 2)), 1,
                "is_test", 1L, "spatial", 1L, "consumed_inputs", new long[] {0, 0, 0, 1, 1},
                "epsilon", 0f));
        assertEquals("FLOAT[N, 2, 1]", n.output(0).type().toString());
        Tensor one = Tensor.of(new float[] {1, 1}, 2);
        Tensor y = run(n, Tensor.of(new float[] {3, 5}, 1, 2, 1), one,
                Tensor.of(new float[] {0, 1}, 2), Tensor.of(new float[] {1, 2}, 2), one);
        assertArrayEquals(new float[] {2, 4}, y.floats());
    }

    @Test
    void batchNormTrainingFormsAreRejected() {
        List<Value> in = List.of(typed("x", 1, 2), typed("s", 2), typed("b", 2), typed("m", 2),
                typed("v", 2));
        Node training = node("BatchNormalization", 15, in, 1, "training_mode", 1L);
        var e = assertThrows(ModelFormatException.class, () -> OPS.find(training).lower(training));
        assertTrue(e.getMessage().contains("training_mode"), e.getMessage());
        Node extra = node("BatchNormalization", 9, in, 3);
        e = assertThrows(ModelFormatException.class, () -> OPS.find(extra).lower(extra));
        assertTrue(e.getMessage().contains("output 1"), e.getMessage());
    }

    @Test
    void resizeAndUpsampleShapes() {
        Node r = inferred(node("Resize", 13, Arrays.asList(typed("x", "N", 3, 4, 4), null,
                constant("s", Tensor.of(new float[] {1, 1, 2, 0.5f}, 4))), 1));
        assertEquals("FLOAT[N, 3, 8, 2]", r.output(0).type().toString());
        Node sizes = inferred(node("Resize", 19, Arrays.asList(typed("x", "N", 3, 4, 4), null, null,
                constant("z", Tensor.vector(5, 7))), 1, "axes", new long[] {2, 3}));
        assertEquals("FLOAT[N, 3, 5, 7]", sizes.output(0).type().toString());
        Node up = inferred(node("Upsample", 7, List.of(typed("x", 1, 1, 2, 2)), 1,
                "scales", new float[] {1, 1, 2, 3}));
        assertEquals("FLOAT[1, 1, 4, 6]", up.output(0).type().toString());
        Tensor y = run(up, Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2));
        assertArrayEquals(new float[] {1, 1, 1, 2, 2, 2}, Arrays.copyOf(y.floats(), 6));
    }

    @Test
    void lpPoolOpsetOneTakesFloatP() {
        Node n = node("LpPool", 1, List.of(typed("x", 1, 1, 2)), 1,
                "kernel_shape", new long[] {2}, "p", 1f);
        assertArrayEquals(new float[] {3}, run(n, Tensor.of(new float[] {1, -2}, 1, 1, 2))
                .floats());
    }

    @Test
    void badAttributesNameTheNode() {
        Node n = node("Conv", 11, List.of(typed("x", 1, 1, 3, 3), typed("w", 1, 1, 3, 3)), 1,
                "auto_pad", "SAME");
        var e = assertThrows(ModelFormatException.class, () -> OPS.find(n).lower(n));
        assertTrue(e.getMessage().contains("Conv node 'n'"), e.getMessage());
        Node pool = node("MaxPool", 11, List.of(typed("x", 1, 1, 3, 3)), 1);
        assertThrows(ModelFormatException.class, () -> OPS.find(pool).lower(pool));
        assertFalse(OPS.find(pool) == null);
    }

    @Test
    void missingInputsAndZeroStridesAreFormatErrors() {
        Node conv = node("Conv", 11, Arrays.asList(typed("x", 1, 1, 3, 3), null), 1);
        var e = assertThrows(ModelFormatException.class, () -> OPS.find(conv).lower(conv));
        assertTrue(e.getMessage().contains("input 1 is missing"), e.getMessage());
        Node resize = node("Resize", 13, List.of(typed("x", 1, 1, 3, 3)), 1);
        assertThrows(ModelFormatException.class, () -> OPS.find(resize).lower(resize));
        Node pool = inferred(node("MaxPool", 11, List.of(typed("x", "N", 1, 3, 3)), 1,
                "kernel_shape", new long[] {2, 2}, "strides", new long[] {0, 1}));
        assertEquals("FLOAT[N, 1, ?, 2]", pool.output(0).type().toString());
        assertThrows(ModelFormatException.class, () -> OPS.find(pool).lower(pool));
    }
}
