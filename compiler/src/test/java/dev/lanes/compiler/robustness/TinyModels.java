package dev.lanes.compiler.robustness;

import dev.lanes.formats.TensorData;
import dev.lanes.formats.TensorProtos;
import dev.lanes.formats.onnx.Onnx.AttributeProto;
import dev.lanes.formats.onnx.Onnx.GraphProto;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.formats.onnx.Onnx.NodeProto;
import dev.lanes.formats.onnx.Onnx.OperatorSetIdProto;
import dev.lanes.formats.onnx.Onnx.TensorProto;
import dev.lanes.formats.onnx.Onnx.TensorShapeProto;
import dev.lanes.formats.onnx.Onnx.TypeProto;
import dev.lanes.formats.onnx.Onnx.ValueInfoProto;
import java.util.List;

/**
 * Small hand-built models made only of operators that exist in every branch (Add, Relu,
 * Identity, Dropout, Constant), and the protobuf building blocks the malformed-model tests use.
 */
final class TinyModels {
    private TinyModels() {
    }

    /** A FLOAT tensor value with the given dims: Integer/Long sizes, String symbols. */
    static ValueInfoProto info(String name, Object... dims) {
        return typed(name, 1, dims);
    }

    /** A tensor value of ONNX element type {@code elemType}. */
    static ValueInfoProto typed(String name, int elemType, Object... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof String p) {
                s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(p));
            } else {
                s.addDim(TensorShapeProto.Dimension.newBuilder()
                        .setDimValue(((Number) d).longValue()));
            }
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(s)))
                .build();
    }

    /** A node; {@code ins} and {@code outs} are value names ("" for an absent input). */
    static NodeProto node(String name, String op, List<String> ins, List<String> outs,
            AttributeProto... attrs) {
        NodeProto.Builder b = NodeProto.newBuilder().setName(name).setOpType(op)
                .addAllInput(ins).addAllOutput(outs);
        for (AttributeProto a : attrs) {
            b.addAttribute(a);
        }
        return b.build();
    }

    static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            b.addInts(x);
        }
        return b.build();
    }

    static AttributeProto intAttr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT)
                .setI(v).build();
    }

    static AttributeProto floatAttr(String name, float v) {
        return AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    static AttributeProto tensorAttr(String name, TensorProto t) {
        return AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.TENSOR).setT(t).build();
    }

    /** A FLOAT initializer with values 1, 2, 3... */
    static TensorProto floats(String name, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = i + 1;
        }
        return TensorProtos.encode(TensorData.ofFloats(name, dims, v));
    }

    /** An INT64 initializer. */
    static TensorProto longs(String name, long... values) {
        return TensorProtos.encode(TensorData.ofLongs(name, new long[] {values.length}, values));
    }

    /** A model around a graph, importing the default domain at {@code opset}. */
    static ModelProto model(GraphProto g, long opset) {
        return ModelProto.newBuilder().setIrVersion(8).setGraph(g).setProducerName("tiny")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(opset)).build();
    }

    /** y = Relu(x + b), x [N,3], b = [1,-2,3]. */
    static ModelProto addRelu() {
        GraphProto g = GraphProto.newBuilder().setName("add_relu")
                .addInput(info("x", "N", 3))
                .addInitializer(TensorProtos.encode(TensorData.ofFloats("b", new long[] {3},
                        new float[] {1, -2, 3})))
                .addNode(node("add", "Add", List.of("x", "b"), List.of("s")))
                .addNode(node("relu", "Relu", List.of("s"), List.of("y")))
                .addOutput(info("y", "N", 3)).build();
        return model(g, 13);
    }

    /**
     * Two inputs sharing the symbol N, a Constant node, Identity and Dropout that the cleanup
     * removes, and an Identity kept because it names a graph output.
     */
    static ModelProto twoInputs() {
        GraphProto g = GraphProto.newBuilder().setName("two_inputs")
                .addInput(info("a", "N", 4))
                .addInput(info("b", "N", 4))
                .addNode(node("c", "Constant", List.of(), List.of("k"), tensorAttr("value",
                        floats("kv", 4))))
                .addNode(node("id1", "Identity", List.of("a"), List.of("a1")))
                .addNode(node("sum", "Add", List.of("a1", "b"), List.of("s")))
                .addNode(node("drop", "Dropout", List.of("s"), List.of("d")))
                .addNode(node("bias", "Add", List.of("d", "k"), List.of("t")))
                .addNode(node("relu", "Relu", List.of("t"), List.of("r")))
                .addNode(node("out", "Identity", List.of("r"), List.of("y")))
                .addOutput(info("y", "N", 4))
                .addOutput(info("s", "N", 4)).build();
        return model(g, 13);
    }

    /** A chain of {@code n} Relu nodes with a broadcast Add in the middle, opset 7. */
    static ModelProto chain(int n) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("chain")
                .addInput(info("x", 2, 5))
                .addInitializer(floats("w", 5));
        String prev = "x";
        for (int i = 0; i < n; i++) {
            String out = "v" + i;
            if (i == n / 2) {
                g.addNode(node("add" + i, "Add", List.of(prev, "w"), List.of(out)));
            } else {
                g.addNode(node("relu" + i, "Relu", List.of(prev), List.of(out)));
            }
            prev = out;
        }
        g.addOutput(info(prev, 2, 5));
        return model(g.build(), 7);
    }

    /**
     * A miniature LeNet: Conv (pads 1) -> Relu -> MaxPool 2x2 -> Flatten -> Gemm, x [N,1,6,6],
     * y [N,4]. Its operators come from other branches; until they are merged it is unsupported,
     * which is a fine ending for its damaged variants too.
     */
    static ModelProto cnn() {
        GraphProto g = GraphProto.newBuilder().setName("mini_cnn")
                .addInput(info("x", "N", 1, 6, 6))
                .addInitializer(floats("w", 2, 1, 3, 3)).addInitializer(floats("b", 2))
                .addInitializer(floats("fc", 18, 4)).addInitializer(floats("fcb", 4))
                .addNode(node("conv", "Conv", List.of("x", "w", "b"), List.of("c"),
                        ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1),
                        ints("strides", 1, 1)))
                .addNode(node("relu", "Relu", List.of("c"), List.of("r")))
                .addNode(node("pool", "MaxPool", List.of("r"), List.of("p"),
                        ints("kernel_shape", 2, 2), ints("strides", 2, 2)))
                .addNode(node("flat", "Flatten", List.of("p"), List.of("f"), intAttr("axis", 1)))
                .addNode(node("fc", "Gemm", List.of("f", "fc", "fcb"), List.of("y"),
                        floatAttr("alpha", 1), intAttr("transB", 0)))
                .addOutput(info("y", "N", 4)).build();
        return model(g, 13);
    }

    /** Every tiny model, by name. */
    static List<Named> all() {
        return List.of(new Named("add_relu", addRelu()), new Named("two_inputs", twoInputs()),
                new Named("chain6", chain(6)));
    }

    /**
     * A model with a name for test labels.
     *
     * @param name  the label
     * @param model the model
     */
    record Named(String name, ModelProto model) {
    }
}
