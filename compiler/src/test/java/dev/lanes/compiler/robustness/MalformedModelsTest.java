package dev.lanes.compiler.robustness;

import static dev.lanes.compiler.robustness.TinyModels.floatAttr;
import static dev.lanes.compiler.robustness.TinyModels.floats;
import static dev.lanes.compiler.robustness.TinyModels.info;
import static dev.lanes.compiler.robustness.TinyModels.intAttr;
import static dev.lanes.compiler.robustness.TinyModels.ints;
import static dev.lanes.compiler.robustness.TinyModels.longs;
import static dev.lanes.compiler.robustness.TinyModels.model;
import static dev.lanes.compiler.robustness.TinyModels.node;
import static dev.lanes.compiler.robustness.TinyModels.tensorAttr;
import static dev.lanes.compiler.robustness.TinyModels.typed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import dev.lanes.errors.LanesException;
import dev.lanes.errors.ModelFormatException;
import dev.lanes.errors.ShapeException;
import dev.lanes.errors.UnsupportedOperatorException;
import dev.lanes.formats.onnx.Onnx.AttributeProto;
import dev.lanes.formats.onnx.Onnx.GraphProto;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.formats.onnx.Onnx.NodeProto;
import dev.lanes.formats.onnx.Onnx.OperatorSetIdProto;
import dev.lanes.formats.onnx.Onnx.SparseTensorProto;
import dev.lanes.formats.onnx.Onnx.StringStringEntryProto;
import dev.lanes.formats.onnx.Onnx.TensorProto;
import dev.lanes.formats.onnx.Onnx.TypeProto;
import dev.lanes.formats.onnx.Onnx.ValueInfoProto;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Hand-made malformed models, each built with the protobuf builders and loaded through the public
 * path. Each must be rejected with the right {@code LanesException} subclass and a message that
 * names the culprit. Cases about operators that other branches implement (Conv, Reshape, Concat,
 * Gemm) accept {@link UnsupportedOperatorException} while the operator is missing, and otherwise
 * demand an error naming the node, at load time or at run time.
 */
class MalformedModelsTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @AfterAll
    static void jvmIsStillFine() {
        Attempt.assertJvmHealthy();
    }

    private static GraphProto.Builder graph() {
        return GraphProto.newBuilder().setName("g").addInput(info("x", "N", 3));
    }

    private static Attempt.Outcome load(ModelProto m) {
        return Attempt.of("malformed", m.toByteArray(), LIMIT);
    }

    /** The model is rejected with {@code type} and a message holding every fragment. */
    private static <T extends LanesException> T rejected(ModelProto m, Class<T> type,
            String... fragments) {
        Attempt.Outcome o = load(m);
        assertTrue(o.rejected(), "accepted: " + o.result());
        assertInstanceOf(type, o.error(), () -> "wrong kind: " + o.error());
        for (String f : fragments) {
            assertTrue(o.error().getMessage().contains(f),
                    "message lacks '" + f + "': " + o.error().getMessage());
        }
        return type.cast(o.error());
    }

    private static ModelFormatException format(ModelProto m, String... fragments) {
        return rejected(m, ModelFormatException.class, fragments);
    }

    /**
     * For operators another branch implements: unsupported now, later an error (at load or at
     * run time) that names the node.
     */
    private static void rejectedNaming(ModelProto m, String node) {
        Attempt.Outcome o = load(m);
        assertNotNull(o.error(), "accepted a malformed " + node + ": " + o.result());
        if (o.error() instanceof UnsupportedOperatorException) {
            return;
        }
        assertTrue(o.error().getMessage().contains(node),
                "message does not name node '" + node + "': " + o.error().getMessage());
    }

    /** y = Relu(x) plus the given extra nodes, outputs y. */
    private static ModelProto withNodes(NodeProto... nodes) {
        GraphProto.Builder g = graph();
        for (NodeProto n : nodes) {
            g.addNode(n);
        }
        return model(g.addOutput(info("y", "N", 3)).build(), 13);
    }

    // ---- graph structure ----

    @Test
    void inputThatNobodyProduces() {
        format(withNodes(node("r", "Relu", List.of("ghost"), List.of("y"))), "'ghost'", "'r'");
    }

    @Test
    void outputProducedTwice() {
        format(withNodes(node("r1", "Relu", List.of("x"), List.of("y")),
                node("r2", "Relu", List.of("x"), List.of("y"))), "'y'", "already produced");
        format(withNodes(node("split", "Identity", List.of("x"), List.of("y", "y"))), "'y'");
    }

    @Test
    void outputThatShadowsAnInputOrInitializer() {
        format(withNodes(node("r", "Relu", List.of("x"), List.of("x")),
                node("i", "Identity", List.of("x"), List.of("y"))), "'x'");
        ModelProto m = model(graph().addInitializer(floats("w", 3))
                .addNode(node("r", "Relu", List.of("x"), List.of("w")))
                .addNode(node("a", "Add", List.of("x", "w"), List.of("y")))
                .addOutput(info("y", "N", 3)).build(), 13);
        format(m, "'w'");
    }

    @Test
    void cycles() {
        format(withNodes(node("a", "Relu", List.of("b"), List.of("a_out")),
                node("b", "Relu", List.of("a_out"), List.of("b")),
                node("y", "Add", List.of("x", "a_out"), List.of("y"))), "cycle");
        format(withNodes(node("self", "Add", List.of("x", "y"), List.of("y"))), "cycle");
    }

    @Test
    void missingGraph() {
        ModelProto m = ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).build();
        format(m, "no graph");
    }

    @Test
    void noOutputs() {
        format(model(graph().addNode(node("r", "Relu", List.of("x"), List.of("y"))).build(), 13),
                "no outputs");
    }

    @Test
    void outputThatNobodyProduces() {
        format(model(graph().addNode(node("r", "Relu", List.of("x"), List.of("y")))
                .addOutput(info("z", "N", 3)).build(), 13), "'z'");
    }

    @Test
    void inputListedTwice() {
        format(model(graph().addInput(info("x", "N", 3))
                .addNode(node("r", "Relu", List.of("x"), List.of("y")))
                .addOutput(info("y", "N", 3)).build(), 13), "'x'", "twice");
    }

    @Test
    void nodesWithMissingInputsOrOutputs() {
        // Each must end in a Lanes error (or, for tolerant handlers, succeed), never an NPE.
        List<ModelProto> cases = List.of(
                withNodes(node("i0", "Identity", List.of(), List.of("y"))),
                withNodes(node("r0", "Relu", List.of(), List.of("y"))),
                withNodes(node("a1", "Add", List.of("x"), List.of("y"))),
                withNodes(node("none", "Relu", List.of("x"), List.of()),
                        node("r", "Relu", List.of("x"), List.of("y"))),
                withNodes(node("iout", "Identity", List.of("x"), List.of()),
                        node("r", "Relu", List.of("x"), List.of("y"))),
                withNodes(node("absent", "Add", List.of("", "x"), List.of("y"))),
                withNodes(node("c", "Constant", List.of(), List.of("k"), floatAttr("value_float",
                        2)), node("a", "Add", List.of("k"), List.of("y"))));
        for (ModelProto m : cases) {
            Attempt.Outcome o = load(m);
            assertTrue(o.result() == Attempt.Result.RAN || o.rejected(),
                    m.getGraph().getNode(0).getName() + ": " + o.result());
        }
        // Whatever trips over the input-less Identity, the error names it.
        Attempt.Outcome identity = load(cases.get(0));
        assertTrue(identity.rejected() && identity.error().getMessage().contains("'i0'"),
                String.valueOf(identity.error()));
        // Folded at compile time (all inputs constant) and still a Lanes error.
        ModelProto folded = model(graph().addInitializer(floats("w", 3))
                .addNode(node("lonely", "Add", List.of("w"), List.of("s")))
                .addNode(node("a", "Add", List.of("x", "s"), List.of("y")))
                .addOutput(info("y", "N", 3)).build(), 13);
        assertTrue(load(folded).rejected());
    }

    @Test
    void veryLongChainDoesNotOverflowTheStack() {
        Attempt.Outcome o = Attempt.of("chain", TinyModels.chain(20_000).toByteArray(),
                Duration.ofSeconds(30));
        assertEquals(Attempt.Result.RAN, o.result(), () -> String.valueOf(o.error()));
    }

    @Test
    void deeplyNestedAttributeGraphs() {
        GraphProto inner = graph().addNode(node("r", "Relu", List.of("x"), List.of("y")))
                .addOutput(info("y", "N", 3)).build();
        for (int i = 0; i < 200; i++) {
            inner = GraphProto.newBuilder().setName("level" + i).addNode(NodeProto.newBuilder()
                    .setOpType("If").setName("if" + i).addAttribute(AttributeProto.newBuilder()
                            .setName("then_branch").setType(AttributeProto.AttributeType.GRAPH)
                            .setG(inner))).build();
        }
        format(model(inner, 13));
    }

    // ---- operators ----

    @Test
    void unsupportedOperatorsAreAllListedAtOnce() {
        ModelProto m = model(graph()
                .addNode(node("fancy1", "FancyOp", List.of("x"), List.of("a")))
                .addNode(node("ok", "Relu", List.of("a"), List.of("b")))
                .addNode(NodeProto.newBuilder().setName("acme1").setOpType("Sparkle")
                        .setDomain("com.acme").addInput("b").addOutput("c"))
                .addNode(node("", "AlsoFancy", List.of("c"), List.of("y")))
                .addOutput(info("y", "N", 3)).build(), 13).toBuilder()
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("com.acme")
                        .setVersion(3)).build();
        UnsupportedOperatorException e = rejected(m, UnsupportedOperatorException.class,
                "fancy1", "FancyOp", "acme1", "Sparkle", "com.acme", "opset 3", "AlsoFancy",
                "opset 13");
        assertEquals(3, e.nodes().size(), e.getMessage());
        assertTrue(e.nodes().get(0).contains("ai.onnx"), e.nodes().get(0));
        // The nameless node gets a made-up name that still says what it is.
        assertTrue(e.nodes().get(2).contains("AlsoFancy_3"), e.nodes().get(2));
    }

    @Test
    void domainThatTheModelDoesNotImport() {
        format(withNodes(NodeProto.newBuilder().setName("odd").setOpType("Relu")
                .setDomain("com.nowhere").addInput("x").addOutput("y").build()),
                "com.nowhere", "'odd'", "not imported");
    }

    @Test
    void absurdOpsetVersions() {
        for (long v : new long[] {0, -1, 1_000_001, Long.MAX_VALUE, Long.MIN_VALUE}) {
            format(model(graph().addNode(node("r", "Relu", List.of("x"), List.of("y")))
                    .addOutput(info("y", "N", 3)).build(), v), "version", String.valueOf(v));
        }
        // A well-formed model from a future opset Lanes does not know: unsupported, naming it.
        rejected(model(graph().addNode(node("r", "Relu", List.of("x"), List.of("y")))
                .addOutput(info("y", "N", 3)).build(), 999), UnsupportedOperatorException.class,
                "'r'", "Relu", "opset 999");
    }

    @Test
    void attributeOfTheWrongType() {
        format(withNodes(node("c", "Constant", List.of(), List.of("k"), ints("value", 1, 2, 3)),
                node("a", "Add", List.of("x", "k"), List.of("y"))), "'c'", "'value'", "TENSOR",
                "INTS");
        format(withNodes(node("c", "Constant", List.of(), List.of("k"), intAttr("value_float",
                1)), node("a", "Add", List.of("x", "k"), List.of("y"))), "'c'", "value_float",
                "FLOAT");
        rejectedNaming(withNodes(node("conv", "Conv", List.of("x", "x"), List.of("y"),
                floatAttr("strides", 2))), "conv");
        rejectedNaming(withNodes(node("conv", "Conv", List.of("x", "x"), List.of("y"),
                AttributeProto.newBuilder().setName("auto_pad")
                        .setType(AttributeProto.AttributeType.GRAPH)
                        .setG(GraphProto.getDefaultInstance()).build())), "conv");
    }

    @Test
    void attributeThatRefersToAFunction() {
        format(withNodes(node("r", "Relu", List.of("x"), List.of("y"), AttributeProto.newBuilder()
                .setName("alpha").setRefAttrName("outer").build())), "'r'", "alpha");
    }

    @Test
    void constantNodes() {
        format(withNodes(node("c0", "Constant", List.of(), List.of("k")),
                node("a", "Add", List.of("x", "k"), List.of("y"))), "'c0'");
        format(withNodes(node("c2", "Constant", List.of(), List.of("k"), floatAttr("value_float",
                1), ints("value_ints", 1)), node("a", "Add", List.of("x", "k"), List.of("y"))),
                "'c2'");
        TensorProto shortRaw = floats("kv", 3).toBuilder()
                .setRawData(ByteString.copyFrom(new byte[5])).build();
        format(withNodes(node("c", "Constant", List.of(), List.of("k"), tensorAttr("value",
                shortRaw)), node("a", "Add", List.of("x", "k"), List.of("y"))), "'kv'",
                "raw_data", "Constant node 'c'", "attribute 'value'");
        TensorProto huge = TensorProto.newBuilder().setName("kh").setDataType(1)
                .addDims(1L << 40).build();
        format(withNodes(node("c", "Constant", List.of(), List.of("k"), tensorAttr("value",
                huge)), node("a", "Add", List.of("x", "k"), List.of("y"))), "'kh'", "'c'");
        TensorProto hugeZero = TensorProto.newBuilder().setName("kz").setDataType(1)
                .addDims(0).addDims(1L << 40).build();
        format(withNodes(node("c", "Constant", List.of(), List.of("k"), tensorAttr("value",
                hugeZero)), node("a", "Add", List.of("x", "k"), List.of("y"))), "'kz'");
        format(withNodes(node("c", "Constant", List.of(), List.of("k"), AttributeProto
                .newBuilder().setName("sparse_value")
                .setType(AttributeProto.AttributeType.SPARSE_TENSOR)
                .setSparseTensor(SparseTensorProto.getDefaultInstance()).build()),
                node("a", "Add", List.of("x", "k"), List.of("y"))), "'c'", "sparse_value");
        format(withNodes(node("c", "Constant", List.of(), List.of("k"), AttributeProto
                .newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
                .build()), node("a", "Add", List.of("x", "k"), List.of("y"))), "'c'");
    }

    @Test
    void addOfMismatchedShapes() {
        ModelProto m = model(GraphProto.newBuilder().setName("g").addInput(info("x", 2, 3))
                .addInitializer(floats("w", 4))
                .addNode(node("add", "Add", List.of("x", "w"), List.of("y")))
                .addOutput(info("y", 2, 3)).build(), 13);
        rejected(m, ShapeException.class, "'add'", "3", "4");
        // Free dimensions that turn out to disagree at run time.
        ModelProto dyn = model(GraphProto.newBuilder().setName("g").addInput(info("a", "A"))
                .addInput(info("b", "B"))
                .addNode(node("add", "Add", List.of("a", "b"), List.of("y")))
                .addOutput(info("y", "A")).build(), 13);
        try (var s = dev.lanes.Lanes.load(dyn.toByteArray(), "dyn",
                dev.lanes.runtime.SessionOptions.defaults(),
                dev.lanes.compiler.CompileOptions.defaults())) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(ShapeException.class,
                    () -> s.run(dev.lanes.runtime.Tensor.of(new float[3], 3),
                            dev.lanes.runtime.Tensor.of(new float[5], 5)));
            assertTrue(e.getMessage().contains("'add'") && e.getMessage().contains("5"),
                    e.getMessage());
        }
    }

    @Test
    void convWithAttributesOfTheWrongLength() {
        ModelProto.Builder base = model(GraphProto.newBuilder().setName("g")
                .addInput(info("x", 1, 2, 8, 8)).addInitializer(floats("w", 4, 2, 3, 3))
                .addOutput(info("y", 1, 4, 6, 6)).build(), 13).toBuilder();
        AttributeProto[][] bad = {
            {ints("kernel_shape", 3)},
            {ints("kernel_shape", 3, 3, 3)},
            {ints("kernel_shape", 5, 5)},
            {ints("pads", 1, 1)},
            {ints("pads", 1, 1, 1)},
            {ints("pads", -1, 0, 0, 0)},
            {ints("strides", 1)},
            {ints("strides", 0, 1)},
            {ints("strides", 1L << 40, 1)},
            {ints("dilations", 0, 0)},
            {ints("dilations", 1, 1, 1)},
            {intAttr("group", 3)},
            {intAttr("group", 0)},
            {intAttr("group", -2)},
        };
        for (AttributeProto[] attrs : bad) {
            ModelProto.Builder m = base.clone();
            m.getGraphBuilder().addNode(node("conv", "Conv", List.of("x", "w"), List.of("y"),
                    attrs));
            rejectedNaming(m.build(), "conv");
        }
        ModelProto.Builder rank = base.clone();
        rank.getGraphBuilder().setInitializer(0, floats("w", 4, 2, 3))
                .addNode(node("conv", "Conv", List.of("x", "w"), List.of("y")));
        rejectedNaming(rank.build(), "conv");
        ModelProto.Builder channels = base.clone();
        channels.getGraphBuilder().setInitializer(0, floats("w", 4, 3, 3, 3))
                .addNode(node("conv", "Conv", List.of("x", "w"), List.of("y")));
        rejectedNaming(channels.build(), "conv");
    }

    @Test
    void reshapeWithTwoInferredDimensions() {
        ModelProto m = model(GraphProto.newBuilder().setName("g").addInput(info("x", 2, 6))
                .addInitializer(longs("shape", -1, -1))
                .addNode(node("reshape", "Reshape", List.of("x", "shape"), List.of("y")))
                .addOutput(info("y", 12)).build(), 13);
        rejectedNaming(m, "reshape");
        ModelProto wrongCount = model(GraphProto.newBuilder().setName("g")
                .addInput(info("x", 2, 6)).addInitializer(longs("shape", 5, 5))
                .addNode(node("reshape", "Reshape", List.of("x", "shape"), List.of("y")))
                .addOutput(info("y", 5, 5)).build(), 13);
        rejectedNaming(wrongCount, "reshape");
        ModelProto negative = model(GraphProto.newBuilder().setName("g")
                .addInput(info("x", 2, 6)).addInitializer(longs("shape", -3, -4))
                .addNode(node("reshape", "Reshape", List.of("x", "shape"), List.of("y")))
                .addOutput(info("y", 3, 4)).build(), 13);
        rejectedNaming(negative, "reshape");
    }

    @Test
    void concatOfMismatchedShapes() {
        ModelProto m = model(GraphProto.newBuilder().setName("g").addInput(info("x", 2, 3))
                .addInitializer(floats("w", 4, 5))
                .addNode(node("cat", "Concat", List.of("x", "w"), List.of("y"),
                        intAttr("axis", 0)))
                .addOutput(info("y", 6, 3)).build(), 13);
        rejectedNaming(m, "cat");
        ModelProto badAxis = model(GraphProto.newBuilder().setName("g").addInput(info("x", 2, 3))
                .addInitializer(floats("w", 2, 3))
                .addNode(node("cat", "Concat", List.of("x", "w"), List.of("y"),
                        intAttr("axis", 7)))
                .addOutput(info("y", 4, 3)).build(), 13);
        rejectedNaming(badAxis, "cat");
    }

    @Test
    void gemmWithMismatchedInnerDimension() {
        ModelProto m = model(GraphProto.newBuilder().setName("g").addInput(info("x", 2, 3))
                .addInitializer(floats("w", 4, 5))
                .addNode(node("gemm", "Gemm", List.of("x", "w"), List.of("y")))
                .addOutput(info("y", 2, 5)).build(), 13);
        rejectedNaming(m, "gemm");
        ModelProto transB = model(GraphProto.newBuilder().setName("g").addInput(info("x", 2, 3))
                .addInitializer(floats("w", 3, 5))
                .addNode(node("gemm", "Gemm", List.of("x", "w"), List.of("y"),
                        intAttr("transB", 1)))
                .addOutput(info("y", 2, 5)).build(), 13);
        rejectedNaming(transB, "gemm");
        ModelProto rank3 = model(GraphProto.newBuilder().setName("g")
                .addInput(info("x", 2, 3, 1)).addInitializer(floats("w", 3, 5))
                .addNode(node("gemm", "Gemm", List.of("x", "w"), List.of("y")))
                .addOutput(info("y", 2, 5)).build(), 13);
        rejectedNaming(rank3, "gemm");
    }

    // ---- declared shapes and initializers ----

    private static ModelProto reluOf(ValueInfoProto input) {
        return model(GraphProto.newBuilder().setName("g").addInput(input)
                .addNode(node("r", "Relu", List.of(input.getName()), List.of("y")))
                .addOutput(info("y")).build(), 13);
    }

    @Test
    void inputWithNegativeOrHugeDimensions() {
        format(reluOf(info("x", 2, -3)), "'x'", "axis 1", "-3");
        format(reluOf(info("x", 1L << 40)), "'x'", "axis 0", "1099511627776");
        format(reluOf(info("x", 0, 1L << 40)), "'x'", "1099511627776");
        // Each dimension is legal, the product is not: loads, and an input cannot be made.
        Attempt.Outcome o = load(reluOf(info("x", 1 << 30, 1 << 30, 1 << 30)));
        assertTrue(o.result() == Attempt.Result.LOADED || o.rejected(), o.result().toString());
    }

    @Test
    void inputsOfTypesTheRuntimeCannotHold() {
        format(reluOf(typed("x", 8, 3)), "'x'", "STRING");
        format(reluOf(typed("x", 14, 3)), "'x'", "COMPLEX64");
        format(reluOf(typed("x", 77, 3)), "'x'", "77");
        format(reluOf(ValueInfoProto.newBuilder().setName("x").setType(TypeProto.newBuilder()
                .setSequenceType(TypeProto.Sequence.getDefaultInstance())).build()), "'x'",
                "tensor");
    }

    @Test
    void intermediateValueInfoWithAbsurdDimensions() {
        ModelProto m = withNodes(node("r", "Relu", List.of("x"), List.of("y")));
        ModelProto bad = m.toBuilder().setGraph(m.getGraph().toBuilder()
                .addValueInfo(info("y", -7, 3))).build();
        Attempt.Outcome o = load(bad);
        assertTrue(o.result() == Attempt.Result.RAN || o.rejected(), o.result().toString());
        if (o.rejected()) {
            assertTrue(o.error().getMessage().contains("'y'"), o.error().getMessage());
        }
    }

    private static ModelProto addInitializer(TensorProto w) {
        return model(graph().addInitializer(w)
                .addNode(node("a", "Add", List.of("x", w.getName()), List.of("y")))
                .addOutput(info("y", "N", 3)).build(), 13);
    }

    @Test
    void initializersWithBadDimensionsOrData() {
        format(addInitializer(TensorProto.newBuilder().setName("w").setDataType(1).addDims(-3)
                .build()), "'w'", "-3");
        format(addInitializer(TensorProto.newBuilder().setName("w").setDataType(1)
                .addDims(1L << 40).build()), "'w'", "1099511627776");
        format(addInitializer(TensorProto.newBuilder().setName("w").setDataType(1)
                .addDims(1L << 21).addDims(1L << 21).addDims(1L << 21).build()), "'w'");
        format(addInitializer(floats("w", 3).toBuilder().clearDims().addDims(4).build()), "'w'",
                "raw_data", "16");
        format(addInitializer(TensorProto.newBuilder().setName("w").setDataType(1).addDims(3)
                .addFloatData(1).addFloatData(2).build()), "'w'", "need 3");
        format(addInitializer(floats("w", 3).toBuilder().setDataType(15).build()), "'w'",
                "COMPLEX128");
        format(addInitializer(floats("w", 3).toBuilder()
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location")
                        .setValue("../../etc/passwd")).build()), "'w'");
        TensorProto str = TensorProto.newBuilder().setName("w").setDataType(8).addDims(1)
                .addStringData(ByteString.copyFromUtf8("hi")).build();
        rejected(addInitializer(str), LanesException.class, "'w'", "STRING");
    }

    @Test
    void initializersWithoutANameOrTwice() {
        format(addInitializer(floats("", 3)), "without a name");
        ModelProto twice = model(graph().addInitializer(floats("w", 3))
                .addInitializer(floats("w", 3))
                .addNode(node("a", "Add", List.of("x", "w"), List.of("y")))
                .addOutput(info("y", "N", 3)).build(), 13);
        format(twice, "'w'", "twice");
        ModelProto.Builder sparse = addInitializer(floats("w", 3)).toBuilder();
        sparse.getGraphBuilder().addSparseInitializer(SparseTensorProto.getDefaultInstance());
        format(sparse.build(), "sparse");
    }

    @Test
    void initializerListedAsInputKeepsItsValue() {
        // IR 3 exporters list weights among the inputs; that is legal, not a second input.
        ModelProto.Builder m = addInitializer(floats("w", 3)).toBuilder();
        m.getGraphBuilder().addInput(info("w", 3));
        Attempt.Outcome o = load(m.build());
        assertEquals(Attempt.Result.RAN, o.result(), () -> String.valueOf(o.error()));
    }

    @Test
    void emptyNamesAndOpTypes() {
        List<ModelProto> cases = List.of(
                withNodes(node("e", "", List.of("x"), List.of("y"))),
                model(GraphProto.newBuilder().setName("g").addInput(info("", 3))
                        .addNode(node("r", "Relu", List.of(""), List.of("y")))
                        .addOutput(info("y", 3)).build(), 13),
                model(GraphProto.newBuilder().addInput(info("x", 3))
                        .addNode(node("r", "Relu", List.of("x"), List.of("")))
                        .addOutput(info("", 3)).build(), 13));
        for (ModelProto m : cases) {
            Attempt.Outcome o = load(m);
            assertTrue(o.result() == Attempt.Result.RAN || o.rejected(), o.result().toString());
        }
        rejected(cases.get(0), UnsupportedOperatorException.class, "'e'");
    }

    @Test
    void trainingModeDropoutIsRejected() {
        ModelProto m = model(GraphProto.newBuilder().setName("g").addInput(info("x", 3))
                .addInput(typed("train", 9))
                .addNode(node("drop", "Dropout", List.of("x", "", "train"), List.of("y", "mask")))
                .addOutput(info("y", 3)).addOutput(typed("mask", 9, 3)).build(), 13);
        format(m, "'drop'", "training");
    }

    @Test
    void externalDataInAModelLoadedFromBytes() {
        format(addInitializer(floats("w", 3).toBuilder()
                .setDataLocation(TensorProto.DataLocation.EXTERNAL).clearRawData()
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location")
                        .setValue("w.bin")).build()), "'w'", "w.bin");
    }

    @Test
    void everyCaseHereIsALanesException() {
        // The failure modes above, but through Compiler.compile directly (no Session).
        var c = new dev.lanes.compiler.Compiler(dev.lanes.compiler.CompileOptions.defaults());
        try {
            c.compile(withNodes(node("i0", "Identity", List.of(), List.of("y"))), null);
        } catch (LanesException expected) {
            return;
        } catch (RuntimeException e) {
            fail("Compiler.compile threw " + e);
        }
    }

    @Test
    void constantsWhoseFoldedResultIsHuge() {
        // Two 180 KB weights whose broadcast sum has 2^31 - 2^16 elements (8 GiB): folding it at
        // compile time must not try to allocate that; running it may be refused.
        ModelProto m = model(GraphProto.newBuilder().setName("g").addInput(info("x", 1))
                .addInitializer(floats("p", 46340, 1)).addInitializer(floats("q", 1, 46340))
                .addNode(node("big", "Add", List.of("p", "q"), List.of("s")))
                .addNode(node("out", "Add", List.of("x", "s"), List.of("y")))
                .addOutput(info("y", 46340, 46340)).build(), 13);
        Attempt.Outcome o = Attempt.of("huge fold", m.toByteArray(), Duration.ofSeconds(60));
        assertTrue(o.rejected(), o.result().toString());
        if (o.result() == Attempt.Result.REJECTED_AT_RUN) {
            assertTrue(o.error().getMessage().contains("'big'"), o.error().getMessage());
        }
    }
}
