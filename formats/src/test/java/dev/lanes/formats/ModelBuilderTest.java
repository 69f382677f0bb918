package dev.lanes.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.formats.onnx.Onnx.AttributeProto;
import dev.lanes.formats.onnx.Onnx.AttributeProto.AttributeType;
import dev.lanes.formats.onnx.Onnx.GraphProto;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.formats.onnx.Onnx.NodeProto;
import dev.lanes.formats.onnx.Onnx.TensorShapeProto;
import dev.lanes.formats.onnx.Onnx.ValueInfoProto;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBuilderTest {
    private static ModelBuilder sample() {
        ModelBuilder m = new ModelBuilder("sample").opset(13).opset("com.example", 2);
        m.input("x", "N", 3, 8L, null);
        m.input("ids", ElementType.INT64, 5);
        m.initializer("w", new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        m.initializer("shape", new long[] {1, -1}, 2);
        m.node("Conv").name("conv1").inputs("x", "w", "").outputs("y")
                .attr("group", 2)
                .ints("pads", 1, 1, 0, 0)
                .attr("alpha", 0.25f)
                .floats("scales", 1.5f, 2f)
                .attr("auto_pad", "SAME_UPPER")
                .attr("value", TensorData.ofFloats("v", new long[] {2}, new float[] {7, 8}));
        m.node("Custom").domain("com.example").inputs("y").outputs("z");
        m.valueInfo("y", ElementType.FLOAT, "N", 2, 8, 8);
        m.output("z", "N", 2, 8, 8);
        return m;
    }

    @Test
    void roundTripsThroughModelReader(@TempDir Path dir) {
        Path file = dir.resolve("sub/model.onnx");
        sample().write(file);
        ModelProto model = ModelReader.read(file);
        assertEquals(ModelBuilder.DEFAULT_IR_VERSION, model.getIrVersion());
        assertEquals(2, model.getOpsetImportCount());
        assertEquals("", model.getOpsetImport(0).getDomain());
        assertEquals(13, model.getOpsetImport(0).getVersion());
        assertEquals("com.example", model.getOpsetImport(1).getDomain());
        assertEquals(2, model.getOpsetImport(1).getVersion());
        assertEquals(model, ModelReader.read(sample().toBytes(), "bytes"));
    }

    @Test
    void writesTypedShapesWithSymbols() {
        GraphProto g = sample().build().getGraph();
        assertEquals("sample", g.getName());
        ValueInfoProto x = g.getInput(0);
        assertEquals("x", x.getName());
        assertEquals(ElementType.FLOAT.onnxCode(), x.getType().getTensorType().getElemType());
        List<TensorShapeProto.Dimension> d = x.getType().getTensorType().getShape().getDimList();
        assertEquals(4, d.size());
        assertEquals("N", d.get(0).getDimParam());
        assertEquals(3, d.get(1).getDimValue());
        assertEquals(8, d.get(2).getDimValue());
        assertFalse(d.get(3).hasDimValue() || d.get(3).hasDimParam());
        assertEquals(ElementType.INT64.onnxCode(),
                g.getInput(1).getType().getTensorType().getElemType());
        assertEquals("y", g.getValueInfo(0).getName());
        assertEquals("z", g.getOutput(0).getName());
    }

    @Test
    void writesInitializersThatDecodeToTheGivenValues() {
        GraphProto g = sample().build().getGraph();
        TensorData w = TensorProtos.decode(g.getInitializer(0));
        assertEquals("w", w.name());
        assertArrayEquals(new long[] {2, 3}, w.dims());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, w.floats());
        TensorData s = TensorProtos.decode(g.getInitializer(1));
        assertEquals(ElementType.INT64, s.type());
        assertArrayEquals(new long[] {1, -1}, s.longs());
    }

    @Test
    void writesNodesWithEveryAttributeKind() {
        GraphProto g = sample().build().getGraph();
        NodeProto conv = g.getNode(0);
        assertEquals("Conv", conv.getOpType());
        assertEquals("conv1", conv.getName());
        assertEquals(List.of("x", "w", ""), conv.getInputList());
        assertEquals(List.of("y"), conv.getOutputList());
        AttributeProto group = conv.getAttribute(0);
        assertEquals("group", group.getName());
        assertEquals(AttributeType.INT, group.getType());
        assertEquals(2, group.getI());
        assertEquals(AttributeType.INTS, conv.getAttribute(1).getType());
        assertEquals(List.of(1L, 1L, 0L, 0L), conv.getAttribute(1).getIntsList());
        assertEquals(AttributeType.FLOAT, conv.getAttribute(2).getType());
        assertEquals(0.25f, conv.getAttribute(2).getF());
        assertEquals(AttributeType.FLOATS, conv.getAttribute(3).getType());
        assertEquals(List.of(1.5f, 2f), conv.getAttribute(3).getFloatsList());
        assertEquals(AttributeType.STRING, conv.getAttribute(4).getType());
        assertEquals("SAME_UPPER", conv.getAttribute(4).getS().toStringUtf8());
        assertEquals(AttributeType.TENSOR, conv.getAttribute(5).getType());
        assertArrayEquals(new float[] {7, 8},
                TensorProtos.decode(conv.getAttribute(5).getT()).floats());
        NodeProto custom = g.getNode(1);
        assertEquals("com.example", custom.getDomain());
        assertFalse(custom.hasName());
    }

    @Test
    void defaultsToOpset13WhenNoneIsImported() {
        ModelBuilder m = new ModelBuilder("g");
        m.input("x", 1);
        m.node("Relu").inputs("x").outputs("y");
        m.output("y", 1);
        ModelProto p = m.build();
        assertEquals(1, p.getOpsetImportCount());
        assertEquals(13, p.getOpsetImport(0).getVersion());
    }

    @Test
    void rejectsUnnamedInitializersAndOddDimensions() {
        ModelBuilder m = new ModelBuilder("g");
        assertThrows(IllegalArgumentException.class,
                () -> m.initializer("", new float[] {1}, 1));
        assertThrows(IllegalArgumentException.class, () -> m.input("x", 1.5));
    }
}
