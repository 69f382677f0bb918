package dev.lanes.compiler.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.Compiler;
import dev.lanes.compiler.ir.Attribute;
import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ops.ShapeFoldingTest.Models;
import dev.lanes.errors.ModelFormatException;
import dev.lanes.formats.TensorProtos;
import dev.lanes.formats.onnx.Onnx.AttributeProto;
import dev.lanes.formats.onnx.Onnx.GraphProto;
import dev.lanes.formats.onnx.Onnx.TypeProto;
import dev.lanes.formats.onnx.Onnx.ValueInfoProto;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The opset-dependent forms of the tensor and shape operators (attributes that became inputs,
 * changed defaults), each run through import, passes and a session.
 */
class TensorOpsetFormsTest {
    private static Tensor iota(int... shape) {
        float[] v = new float[Tensor.checkedSize(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return Tensor.of(v, shape);
    }

    /**
     * Runs one node: {@code x} is the graph input, {@code consts} become initializers; returns
     * the outputs in order.
     */
    private static List<Tensor> run(int opset, String op, Tensor x, Map<String, Tensor> consts,
            int outputs, AttributeProto... attrs) {
        GraphProto.Builder g = GraphProto.newBuilder();
        Object[] dims = new Object[x.rank()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = x.dim(i);
        }
        g.addInput(Models.info("x", x.dtype().element().onnxCode(), dims));
        List<String> in = new ArrayList<>(List.of("x"));
        for (var e : consts.entrySet()) {
            in.add(e.getKey());
            if (e.getValue() != null) {
                g.addInitializer(TensorProtos.encode(e.getValue().toData(e.getKey())));
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            out.add("y" + i);
            g.addOutput(ValueInfoProto.newBuilder().setName("y" + i)
                    .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder())));
        }
        g.addNode(Models.node(op, in.stream().map(s -> consts.containsKey(s)
                && consts.get(s) == null ? "" : s).toList(), out, attrs));
        Compiler c = new Compiler(CompileOptions.defaults());
        Session s = new Session(c.compile(Models.model(opset, g), null),
                SessionOptions.defaults());
        return new ArrayList<>(s.run(x).values());
    }

    private static Map<String, Tensor> consts(Object... kv) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Tensor) kv[i + 1]);
        }
        return m;
    }

    @Test
    void sliceAttributesBeforeOpset10() {
        for (int opset : new int[] {1, 9}) {
            Tensor y = run(opset, "Slice", iota(3, 4), consts(), 1,
                    Models.ints("starts", 0, 1), Models.ints("ends", -1, 1000),
                    Models.ints("axes", 0, 1)).get(0);
            assertArrayEquals(new int[] {2, 3}, y.shapeView());
            assertArrayEquals(new float[] {1, 2, 3, 5, 6, 7}, y.floats());
        }
    }

    @Test
    void sliceInputsWithNegativeStep() {
        Tensor y = run(13, "Slice", iota(5), consts("s", Tensor.vector(Long.MAX_VALUE), "e",
                Tensor.vector(Long.MIN_VALUE), "a", Tensor.vector(-1), "st", Tensor.vector(-2)),
                1).get(0);
        assertArrayEquals(new float[] {4, 2, 0}, y.floats());
    }

    @Test
    void splitForms() {
        // Opset 2: sizes as an attribute.
        List<Tensor> a = run(2, "Split", iota(2, 3), consts(), 2, Models.integer("axis", 1),
                Models.ints("split", 1, 2));
        assertArrayEquals(new int[] {2, 1}, a.get(0).shapeView());
        assertArrayEquals(new float[] {1, 2, 4, 5}, a.get(1).floats());
        // Opset 11 without sizes: equal parts.
        List<Tensor> b = run(11, "Split", iota(6), consts(), 3);
        assertArrayEquals(new float[] {2, 3}, b.get(1).floats());
        // Opset 13: sizes as an input.
        List<Tensor> c = run(13, "Split", iota(6), consts("split", Tensor.vector(4, 2)), 2);
        assertArrayEquals(new float[] {4, 5}, c.get(1).floats());
        // Opset 18: num_outputs with a smaller last part.
        List<Tensor> d = run(18, "Split", iota(7), consts(), 3,
                Models.integer("num_outputs", 3));
        assertArrayEquals(new float[] {6}, d.get(2).floats());
        assertArrayEquals(new float[] {3, 4, 5}, d.get(1).floats());
    }

    @Test
    void squeezeAndUnsqueezeAxesMovedToInputsAtOpset13() {
        Tensor x = iota(1, 3, 1);
        assertArrayEquals(new int[] {3, 1}, run(11, "Squeeze", x, consts(), 1,
                Models.ints("axes", -3)).get(0).shapeView());
        assertArrayEquals(new int[] {3}, run(13, "Squeeze", x, consts(), 1).get(0)
                .shapeView());
        assertArrayEquals(new int[] {1, 3}, run(13, "Squeeze", x, consts("axes",
                Tensor.vector(2)), 1).get(0).shapeView());
        assertArrayEquals(new int[] {1, 1, 3, 1, 1}, run(11, "Unsqueeze", x, consts(), 1,
                Models.ints("axes", 0, -1)).get(0).shapeView());
        assertArrayEquals(new int[] {1, 3, 1, 1}, run(13, "Unsqueeze", x, consts("axes",
                Tensor.vector(-1)), 1).get(0).shapeView());
    }

    @Test
    void reshapeForms() {
        assertArrayEquals(new int[] {3, 2}, run(4, "Reshape", iota(2, 3), consts(), 1,
                Models.ints("shape", -1, 2)).get(0).shapeView());
        assertArrayEquals(new int[] {2, 3, 1}, run(13, "Reshape", iota(2, 3), consts("s",
                Tensor.vector(0, 0, -1)), 1).get(0).shapeView());
        assertArrayEquals(new int[] {0, 3}, run(14, "Reshape", iota(0, 3), consts("s",
                Tensor.vector(0, 3)), 1, Models.integer("allowzero", 1)).get(0).shapeView());
    }

    @Test
    void concatDefaultAxisOfOpset1() {
        Tensor y = run(1, "Concat", iota(2, 1), consts("b", Tensor.of(new float[] {7, 8}, 2,
                1)), 1).get(0);
        assertArrayEquals(new int[] {2, 2}, y.shapeView());
        assertArrayEquals(new float[] {0, 7, 1, 8}, y.floats());
        assertThrows(ModelFormatException.class, () -> run(13, "Concat", iota(2, 1), consts(
                "b", iota(2, 1)), 1));
    }

    @Test
    void shapeStartEndFromOpset15() {
        Tensor x = iota(2, 3, 4);
        assertArrayEquals(new long[] {3}, run(15, "Shape", x, consts(), 1,
                Models.integer("start", 1), Models.integer("end", -1)).get(0).longs());
        assertArrayEquals(new long[] {2, 3, 4}, run(15, "Shape", x, consts(), 1).get(0)
                .longs());
    }

    @Test
    void flattenNegativeAxisNeedsOpset11() {
        assertArrayEquals(new int[] {6, 4}, run(11, "Flatten", iota(2, 3, 4), consts(), 1,
                Models.integer("axis", -1)).get(0).shapeView());
        assertArrayEquals(new int[] {1, 24}, run(9, "Flatten", iota(2, 3, 4), consts(), 1,
                Models.integer("axis", 0)).get(0).shapeView());
        assertThrows(ModelFormatException.class, () -> run(9, "Flatten", iota(2, 3, 4),
                consts(), 1, Models.integer("axis", -1)));
    }

    @Test
    void transposeRejectsAPermWithARepeatedAxis() {
        var e = assertThrows(ModelFormatException.class, () -> run(13, "Transpose", iota(2, 3),
                consts(), 1, Models.ints("perm", 1, 1)));
        assertTrue(e.getMessage().contains("Transpose"), e.getMessage());
    }

    @Test
    void tileCountAndAxisBeforeOpset6() {
        Tensor y = run(1, "Tile", iota(2, 2), consts("tiles", Tensor.ofLongs(new long[] {2}),
                "axis", Tensor.ofLongs(new long[] {0})), 1).get(0);
        assertArrayEquals(new int[] {4, 2}, y.shapeView());
        assertArrayEquals(new float[] {0, 1, 2, 3, 0, 1, 2, 3}, y.floats());
        Tensor z = run(13, "Tile", iota(2, 2), consts("reps", Tensor.vector(1, 2)), 1).get(0);
        assertArrayEquals(new float[] {0, 1, 0, 1, 2, 3, 2, 3}, z.floats());
    }

    @Test
    void constantOfShapeDefaultsToFloatZero() {
        Tensor x = Tensor.vector(2, 2);
        Tensor y = run(13, "ConstantOfShape", x, consts(), 1).get(0);
        assertEquals(DType.FLOAT, y.dtype());
        assertArrayEquals(new float[4], y.floats());
        AttributeProto value = AttributeProto.newBuilder().setName("value")
                .setType(AttributeProto.AttributeType.TENSOR).setT(TensorProtos.encode(
                        Tensor.ofLongs(DType.INT32, new long[] {3}, 1).toData("v"))).build();
        Tensor z = run(13, "ConstantOfShape", x, consts(), 1, value).get(0);
        assertEquals(DType.INT32, z.dtype());
        assertArrayEquals(new long[] {3, 3, 3, 3}, z.longs());
    }

    @Test
    void constantNodeHandlerCoversEveryValueForm() {
        OpRegistry r = OpRegistry.defaults();
        Object[][] forms = {{"value_int", "INT", 5L}, {"value_ints", "INTS", new long[] {1, 2}},
            {"value_float", "FLOAT", 1.5f}, {"value_floats", "FLOATS", new float[] {1, 2}},
            {"value", "TENSOR", Tensor.vector(4)}};
        for (Object[] f : forms) {
            Node n = new Node("c", "Constant", "", 13, List.of(), List.of(
                    new dev.lanes.compiler.ir.Value("out")), Map.of((String) f[0],
                    new Attribute((String) f[0], (String) f[1], f[2])));
            OpHandler h = r.find(n);
            h.inferTypes(n);
            Tensor t = h.lower(n).run(new Tensor[0], RunContext.serial())[0];
            assertArrayEquals(t.shapeView(), n.output(0).type().staticShape());
            assertEquals(t.dtype(), n.output(0).type().dtype());
        }
    }

    @Test
    void gatherOfConstantsFoldsAtCompileTime() {
        GraphProto.Builder g = GraphProto.newBuilder()
                .addInput(Models.floats("x", 3))
                .addOutput(Models.floats("y", 3));
        Models.longInit(g, "data", new long[] {4}, 10, 20, 30, 40);
        Models.longInit(g, "idx", new long[] {2}, -1, 1);
        Models.longInit(g, "start", new long[0], 0);
        Models.longInit(g, "delta", new long[0], 1);
        g.addNode(Models.node("Gather", List.of("data", "idx"), List.of("picked")));
        g.addNode(Models.node("Range", List.of("start", "picked0", "delta"), List.of("r")));
        g.addNode(Models.node("Slice", List.of("picked", "start1", "one1"), List.of("p1")));
        g.addNode(Models.node("Squeeze", List.of("p1", "ax0"), List.of("picked0")));
        g.addNode(Models.node("Shape", List.of("r"), List.of("n")));
        g.addNode(Models.node("Slice", List.of("x", "zero1", "n"), List.of("y")));
        Models.longInit(g, "start1", new long[] {1}, 0);
        Models.longInit(g, "one1", new long[] {1}, 1);
        Models.longInit(g, "zero1", new long[] {1}, 0);
        Models.longInit(g, "ax0", new long[] {1}, 0);
        Compiler c = new Compiler(CompileOptions.defaults());
        Graph graph = c.importGraph(Models.model(13, g), null);
        c.optimize(graph);
        // Gather -> Slice -> Squeeze -> Range -> Shape all fold: ends = [40].
        assertEquals(List.of("Slice"), graph.nodes().stream().map(Node::opType).toList());
        assertArrayEquals(new long[] {40}, graph.nodes().get(0).input(2).constant().longs());
        Session s = new Session(c.lower(graph), SessionOptions.defaults());
        assertArrayEquals(new float[] {1, 2, 3}, s.run(Tensor.of(new float[] {1, 2, 3}, 3))
                .get("y").floats());
        assertTrue(graph.outputs().get(0).type().isStatic());
    }
}
