package dev.lanes.compiler.robustness;

import dev.lanes.formats.onnx.Onnx.AttributeProto;
import dev.lanes.formats.onnx.Onnx.GraphProto;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.formats.onnx.Onnx.NodeProto;
import dev.lanes.formats.onnx.Onnx.TensorShapeProto;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Structurally mutated tiny models: well-formed protobuf whose graph is changed the way a buggy
 * exporter or a hostile file would change it (op types swapped, inputs dropped or added,
 * attributes of odd kinds and values, declared shapes and opsets changed). Unlike byte-level
 * damage these get past the reader and reach the importer, the passes, the operators' checks
 * and the kernels. Each must load and run or end in a {@code LanesException}, within a time
 * limit. The op types include operators implemented in other branches, so the suite exercises
 * them with bad input as they arrive.
 */
class MutatedModelsTest {
    private static final int VARIANTS_PER_MODEL = 110;
    private static final Duration LIMIT = Duration.ofSeconds(10);

    private static final String[] OPS = {"Add", "Relu", "Identity", "Dropout", "Constant", "Conv",
        "Gemm", "MatMul", "Reshape", "Concat", "MaxPool", "AveragePool", "GlobalAveragePool",
        "Flatten", "BatchNormalization", "Transpose", "Slice", "Gather", "Shape", "Unsqueeze",
        "Squeeze", "Clip", "Mul", "Sub", "Div", "Softmax", "Pad", "Sigmoid", "LeakyRelu",
        "ReduceMean", "Resize", "Split", "Expand", "Cast", "ConvTranspose"};
    private static final String[] ATTRS = {"axis", "axes", "perm", "kernel_shape", "pads",
        "strides", "dilations", "group", "alpha", "beta", "transA", "transB", "to", "keepdims",
        "epsilon", "min", "max", "starts", "ends", "split", "mode", "ceil_mode", "value",
        "allowzero", "auto_pad", "training_mode"};
    private static final long[] ODD_NUMBERS = {0, 1, -1, 2, 3, -7, 64, 1L << 31, -(1L << 31),
        1L << 40, Long.MAX_VALUE, Long.MIN_VALUE};

    @AfterAll
    static void jvmIsStillFine() {
        Attempt.assertJvmHealthy();
    }

    @TestFactory
    Stream<DynamicTest> mutatedTinyModels() {
        List<DynamicTest> tests = new ArrayList<>();
        List<TinyModels.Named> models = new ArrayList<>(TinyModels.all());
        models.add(new TinyModels.Named("mini_cnn", TinyModels.cnn()));
        for (TinyModels.Named m : models) {
            // The CNN reaches the most operator code once the operators exist: twice the share.
            int variants = m.name().equals("mini_cnn") ? 2 * VARIANTS_PER_MODEL : VARIANTS_PER_MODEL;
            for (int i = 0; i < variants; i++) {
                long seed = m.name().hashCode() * 1_000_003L + i;
                Random r = new Random(seed);
                ModelProto.Builder b = m.model().toBuilder();
                StringBuilder what = new StringBuilder();
                int count = 1 + r.nextInt(3);
                for (int k = 0; k < count; k++) {
                    what.append(k == 0 ? "" : "; ").append(mutate(b, r));
                }
                byte[] bytes = b.build().toByteArray();
                String label = m.name() + " seed " + seed + ": " + what;
                tests.add(DynamicTest.dynamicTest(label, () -> Attempt.of(label, bytes, LIMIT)));
            }
        }
        return tests.stream();
    }

    /** Applies one random change and says what it was. */
    private static String mutate(ModelProto.Builder m, Random r) {
        GraphProto.Builder g = m.getGraphBuilder();
        int kind = r.nextInt(11);
        if (g.getNodeCount() == 0 || kind >= 9) {
            return mutateGraph(m, r);
        }
        int index = r.nextInt(g.getNodeCount());
        NodeProto.Builder n = g.getNodeBuilder(index);
        String node = "node " + index + " (" + n.getOpType() + ")";
        switch (kind) {
            case 0, 1 -> {
                String op = OPS[r.nextInt(OPS.length)];
                n.setOpType(op);
                return node + " op -> " + op;
            }
            case 2 -> {
                if (n.getInputCount() == 0) {
                    return "nothing";
                }
                List<String> ins = new ArrayList<>(n.getInputList());
                int drop = r.nextInt(ins.size());
                ins.remove(drop);
                n.clearInput().addAllInput(ins);
                return node + " input " + drop + " dropped";
            }
            case 3 -> {
                String in = r.nextBoolean() ? "" : someValue(g, r);
                n.addInput(in);
                return node + " input '" + in + "' added";
            }
            case 4 -> {
                if (r.nextBoolean() && n.getOutputCount() > 0) {
                    n.clearOutput();
                    return node + " outputs cleared";
                }
                n.addOutput("extra" + r.nextInt(1000));
                return node + " output added";
            }
            case 5 -> {
                if (n.getInputCount() < 2) {
                    return "nothing";
                }
                List<String> ins = new ArrayList<>(n.getInputList());
                java.util.Collections.reverse(ins);
                n.clearInput().addAllInput(ins);
                return node + " inputs reversed";
            }
            case 6 -> {
                if (n.getAttributeCount() == 0) {
                    return "nothing";
                }
                int at = r.nextInt(n.getAttributeCount());
                AttributeProto.Builder a = n.getAttributeBuilder(at);
                if (a.getIntsCount() > 0) {
                    int idx = r.nextInt(a.getIntsCount());
                    long v = ODD_NUMBERS[r.nextInt(ODD_NUMBERS.length)];
                    a.setInts(idx, v);
                    return node + " attribute " + a.getName() + "[" + idx + "] -> " + v;
                }
                long v = ODD_NUMBERS[r.nextInt(ODD_NUMBERS.length)];
                a.setI(v).setF(v);
                return node + " attribute " + a.getName() + " -> " + v;
            }
            default -> {
                AttributeProto a = randomAttribute(r);
                n.addAttribute(a);
                return node + " attribute " + a.getName() + " " + a.getType() + " added";
            }
        }
    }

    private static String mutateGraph(ModelProto.Builder m, Random r) {
        GraphProto.Builder g = m.getGraphBuilder();
        switch (r.nextInt(5)) {
            case 0 -> {
                long[] opsets = {1, 5, 6, 7, 10, 11, 12, 13, 17, 18, 21, 25};
                long v = opsets[r.nextInt(opsets.length)];
                m.setOpsetImport(0, m.getOpsetImport(0).toBuilder().setVersion(v));
                return "opset -> " + v;
            }
            case 1 -> {
                if (g.getInputCount() == 0) {
                    return "nothing";
                }
                int i = r.nextInt(g.getInputCount());
                TensorShapeProto.Builder s = g.getInputBuilder(i).getTypeBuilder()
                        .getTensorTypeBuilder().getShapeBuilder();
                if (s.getDimCount() == 0 || r.nextInt(4) == 0) {
                    s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(2));
                    return "input " + i + " gains an axis";
                }
                int axis = r.nextInt(s.getDimCount());
                long[] sizes = {0, 1, 2, 7, 1L << 20, -1};
                long v = sizes[r.nextInt(sizes.length)];
                s.setDim(axis, TensorShapeProto.Dimension.newBuilder().setDimValue(v));
                return "input " + i + " axis " + axis + " -> " + v;
            }
            case 2 -> {
                if (g.getInitializerCount() == 0) {
                    return "nothing";
                }
                int i = r.nextInt(g.getInitializerCount());
                var t = g.getInitializerBuilder(i);
                if (r.nextBoolean() && t.getDimsCount() > 0) {
                    t.setDims(0, t.getDims(0) + 1);
                    return "initializer " + t.getName() + " dim 0 grown";
                }
                t.clearDims().addDims(t.getRawData().size() / 4).addDims(1);
                return "initializer " + t.getName() + " gains an axis";
            }
            case 3 -> {
                if (g.getInputCount() == 0) {
                    return "nothing";
                }
                int i = r.nextInt(g.getInputCount());
                int[] types = {0, 6, 7, 9, 10, 11};
                int t = types[r.nextInt(types.length)];
                g.getInputBuilder(i).getTypeBuilder().getTensorTypeBuilder().setElemType(t);
                return "input " + i + " elem type -> " + t;
            }
            default -> {
                int i = r.nextInt(g.getNodeCount() + 1);
                if (i < g.getNodeCount()) {
                    g.removeNode(i);
                    return "node " + i + " removed";
                }
                g.addNode(TinyModels.node("", OPS[r.nextInt(OPS.length)],
                        List.of(someValue(g, r), someValue(g, r)), List.of("added")));
                return "node added";
            }
        }
    }

    private static String someValue(GraphProto.Builder g, Random r) {
        List<String> names = new ArrayList<>();
        g.getInputList().forEach(v -> names.add(v.getName()));
        g.getInitializerList().forEach(t -> names.add(t.getName()));
        g.getNodeList().forEach(n -> names.addAll(n.getOutputList()));
        return names.isEmpty() ? "x" : names.get(r.nextInt(names.size()));
    }

    private static AttributeProto randomAttribute(Random r) {
        String name = ATTRS[r.nextInt(ATTRS.length)];
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
        switch (r.nextInt(5)) {
            case 0 -> a.setType(AttributeProto.AttributeType.INT)
                    .setI(ODD_NUMBERS[r.nextInt(ODD_NUMBERS.length)]);
            case 1 -> {
                a.setType(AttributeProto.AttributeType.INTS);
                int len = r.nextInt(6);
                for (int i = 0; i < len; i++) {
                    a.addInts(ODD_NUMBERS[r.nextInt(ODD_NUMBERS.length)]);
                }
            }
            case 2 -> a.setType(AttributeProto.AttributeType.FLOAT).setF(new float[] {0f, -1f,
                Float.NaN, Float.POSITIVE_INFINITY, 1e-30f, 3.5f}[r.nextInt(6)]);
            case 3 -> a.setType(AttributeProto.AttributeType.STRING)
                    .setS(com.google.protobuf.ByteString.copyFromUtf8(
                            new String[] {"", "SAME_UPPER", "VALID", "nonsense"}[r.nextInt(4)]));
            default -> a.setType(AttributeProto.AttributeType.TENSOR)
                    .setT(TinyModels.floats("attr", 1 + r.nextInt(3)));
        }
        return a.build();
    }
}
