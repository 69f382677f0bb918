package dev.lanes.compiler.conformance;

import dev.lanes.formats.ModelReader;
import dev.lanes.formats.onnx.Onnx.AttributeProto;
import dev.lanes.formats.onnx.Onnx.GraphProto;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.formats.onnx.Onnx.NodeProto;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a model file uses, read without compiling it: its operators (including those inside
 * subgraphs and local functions), written {@code Op} for the default domain and
 * {@code domain:Op} for others.
 *
 * @param ops the operators used
 */
public record ModelFacts(Set<String> ops) {
    /** The operators of the scope: a Debian test is run when it uses only these. */
    public static final Set<String> SUPPORTED_OPS = Set.of("Conv", "ConvTranspose", "MaxPool",
            "AveragePool", "LpPool", "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool",
            "BatchNormalization", "InstanceNormalization", "LRN", "Relu", "LeakyRelu", "PRelu",
            "Elu", "Selu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Gelu", "Erf", "Tanh",
            "Softmax", "LogSoftmax", "Exp", "Log", "Sqrt", "Pow", "Abs", "Neg", "Sign",
            "Reciprocal", "Floor", "Ceil", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Sum",
            "Max", "Min", "Mean", "Concat", "Split", "Slice", "Flatten", "Reshape", "Transpose",
            "Squeeze", "Unsqueeze", "Expand", "Tile", "Pad", "Resize", "Upsample", "DepthToSpace",
            "SpaceToDepth", "ReduceMean", "ReduceMax", "ReduceSum", "Shape", "Gather", "Cast",
            "Constant", "ConstantOfShape", "Identity", "Dropout");

    /** Reads the facts of a model file. */
    public static ModelFacts read(Path model) {
        ModelProto m = ModelReader.read(model);
        Set<String> ops = new TreeSet<>();
        collect(m.getGraph(), ops);
        m.getFunctionsList().forEach(f -> f.getNodeList().forEach(n -> collect(n, ops)));
        return new ModelFacts(ops);
    }

    private static void collect(GraphProto g, Set<String> ops) {
        for (NodeProto n : g.getNodeList()) {
            collect(n, ops);
        }
    }

    private static void collect(NodeProto n, Set<String> ops) {
        String domain = n.getDomain().equals("ai.onnx") ? "" : n.getDomain();
        ops.add(domain.isEmpty() ? n.getOpType() : domain + ":" + n.getOpType());
        for (AttributeProto a : n.getAttributeList()) {
            if (a.hasG()) {
                collect(a.getG(), ops);
            }
            a.getGraphsList().forEach(sub -> collect(sub, ops));
        }
    }

    /** The operators outside {@link #SUPPORTED_OPS}. */
    public Set<String> unsupported() {
        Set<String> out = new TreeSet<>(ops);
        out.removeAll(SUPPORTED_OPS);
        return out;
    }
}
