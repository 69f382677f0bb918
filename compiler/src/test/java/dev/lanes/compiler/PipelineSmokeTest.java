package dev.lanes.compiler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.errors.ShapeException;
import dev.lanes.errors.UnsupportedOperatorException;
import dev.lanes.formats.TensorData;
import dev.lanes.formats.TensorProtos;
import dev.lanes.formats.onnx.Onnx.GraphProto;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.formats.onnx.Onnx.NodeProto;
import dev.lanes.formats.onnx.Onnx.OperatorSetIdProto;
import dev.lanes.formats.onnx.Onnx.TensorShapeProto;
import dev.lanes.formats.onnx.Onnx.TypeProto;
import dev.lanes.formats.onnx.Onnx.ValueInfoProto;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import org.junit.jupiter.api.Test;

class PipelineSmokeTest {
    static ValueInfoProto info(String name, Object... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof String p) {
                s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(p));
            } else {
                s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue((Integer) d));
            }
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    static ModelProto model(String op) {
        GraphProto g = GraphProto.newBuilder().setName("g")
                .addInput(info("x", "N", 3))
                .addInitializer(TensorProtos.encode(TensorData.ofFloats("b", new long[] {3},
                        new float[] {1, -2, 3})))
                .addNode(NodeProto.newBuilder().setOpType("Add").addInput("x").addInput("b")
                        .addOutput("s"))
                .addNode(NodeProto.newBuilder().setOpType(op).addInput("s").addOutput("y"))
                .addOutput(info("y", "N", 3)).build();
        return ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).build();
    }

    @Test
    void runsAddRelu() {
        Session s = new Session(new Compiler(CompileOptions.defaults()).compile(model("Relu"), null),
                SessionOptions.defaults());
        Tensor y = s.run(Tensor.of(new float[] {0, 0, 0, 1, 1, -5}, 2, 3)).get("y");
        assertArrayEquals(new float[] {1, 0, 3, 2, 0, 0}, y.floats());
        var e = assertThrows(ShapeException.class, () -> s.run(Tensor.of(new float[4], 1, 4)));
        assertTrue(e.getMessage().contains("axis 1"), e.getMessage());
    }

    @Test
    void unsupportedOpIsNamed() {
        var e = assertThrows(UnsupportedOperatorException.class,
                () -> new Compiler(CompileOptions.defaults()).compile(model("FancyOp"), null));
        assertTrue(e.getMessage().contains("FancyOp"), e.getMessage());
    }
}
