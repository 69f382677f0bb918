package dev.lanes.compiler.onnx;

import dev.lanes.compiler.ir.Attribute;
import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.compiler.ir.Value;
import dev.lanes.errors.LanesException;
import dev.lanes.errors.ModelFormatException;
import dev.lanes.formats.ElementType;
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
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an ONNX {@code ModelProto} into the compiler's {@link Graph}: opset imports, initializers
 * (also when listed as graph inputs, as IR 3 exporters write them), Constant nodes (turned into
 * constants), attributes, declared types and shapes. Structural errors (a value nobody produces,
 * a value produced twice, a bad dimension) are {@link ModelFormatException}s naming the culprit.
 */
public final class OnnxImporter {
    /** The largest dimension a declared shape may have. */
    public static final long MAX_DIM = Integer.MAX_VALUE - 8;

    private final Path baseDir;

    private OnnxImporter(Path baseDir) {
        this.baseDir = baseDir;
    }

    /**
     * Imports a model; {@code baseDir} is the folder of the model file (for external data), or
     * null.
     */
    public static Graph importModel(ModelProto model, Path baseDir) {
        return new OnnxImporter(baseDir).run(model);
    }

    private Graph run(ModelProto model) {
        Map<String, Integer> opsets = new HashMap<>();
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            String domain = o.getDomain().equals("ai.onnx") ? "" : o.getDomain();
            if (o.getVersion() < 1 || o.getVersion() > 1000) {
                throw new ModelFormatException("opset import of domain '" + domain
                        + "' has version " + o.getVersion());
            }
            opsets.put(domain, (int) o.getVersion());
        }
        // IR version 1 and 2 files predate opset imports; they use opset 1.
        opsets.putIfAbsent("", 1);
        GraphProto gp = model.getGraph();
        Graph g = new Graph(gp.getName(), opsets);

        Set<String> initializerNames = new HashSet<>();
        for (TensorProto t : gp.getInitializerList()) {
            if (t.getName().isEmpty()) {
                throw new ModelFormatException("graph '" + gp.getName()
                        + "' has an initializer without a name");
            }
            if (!initializerNames.add(t.getName())) {
                throw new ModelFormatException("initializer '" + t.getName()
                        + "' is defined twice");
            }
            g.value(t.getName()).setConstant(Tensor.from(TensorProtos.decode(t, baseDir)));
        }
        if (gp.getSparseInitializerCount() > 0) {
            throw new ModelFormatException("graph '" + gp.getName()
                    + "' has sparse initializers, which Lanes does not support");
        }
        for (ValueInfoProto vi : gp.getInputList()) {
            if (initializerNames.contains(vi.getName())) {
                continue; // a weight listed as an input (IR < 4): it stays a constant
            }
            Value v = g.value(vi.getName());
            if (g.inputs().contains(v)) {
                throw new ModelFormatException("graph input '" + vi.getName()
                        + "' is listed twice");
            }
            v.setType(typeOf(vi, "graph input"));
            g.inputs().add(v);
        }
        for (ValueInfoProto vi : gp.getValueInfoList()) {
            Value v = g.values().get(vi.getName());
            if (v == null || (!v.isConstant() && !g.inputs().contains(v))) {
                // A hint for an intermediate value; inference refines it later.
                g.value(vi.getName()).setType(typeOfLenient(vi));
            }
        }
        Set<String> produced = new HashSet<>();
        produced.addAll(initializerNames);
        for (Value v : g.inputs()) {
            produced.add(v.name());
        }
        List<NodeProto> nodes = gp.getNodeList();
        Set<String> nodeNames = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            NodeProto np = nodes.get(i);
            String name = np.getName().isEmpty() || !nodeNames.add(np.getName())
                    ? uniqueName(np.getOpType() + "_" + i, nodeNames) : np.getName();
            String domain = np.getDomain().equals("ai.onnx") ? "" : np.getDomain();
            Integer opset = opsets.get(domain);
            for (String out : np.getOutputList()) {
                if (out.isEmpty()) {
                    continue;
                }
                if (!produced.add(out)) {
                    throw new ModelFormatException(np.getOpType() + " node '" + name
                            + "': output '" + out + "' is already produced elsewhere");
                }
            }
            List<Value> outs = new ArrayList<>();
            for (String out : np.getOutputList()) {
                outs.add(out.isEmpty() ? g.freshValue(name + "_unused") : g.value(out));
            }
            Map<String, Attribute> attrs = new LinkedHashMap<>();
            for (AttributeProto a : np.getAttributeList()) {
                attrs.put(a.getName(), attribute(a, np.getOpType(), name));
            }
            Node node = new Node(name, np.getOpType(), domain, opset == null ? -1 : opset,
                    List.of(), outs, attrs);
            if (opset == null) {
                throw new ModelFormatException(node.describe() + ": its domain '" + domain
                        + "' is not imported by the model");
            }
            List<Value> ins = node.inputs();
            for (String in : np.getInputList()) {
                ins.add(in.isEmpty() ? null : g.value(in));
            }
            if (np.getOpType().equals("Constant") && domain.isEmpty() && outs.size() == 1) {
                outs.get(0).setConstant(ConstantAttributes.value(node));
                continue;
            }
            for (Value v : outs) {
                v.setProducer(node);
            }
            g.nodes().add(node);
        }
        for (Node n : g.nodes()) {
            for (Value v : n.inputs()) {
                if (v != null && !produced.contains(v.name())) {
                    throw new ModelFormatException(n.describe() + ": input '" + v.name()
                            + "' is not a graph input, an initializer or any node's output");
                }
            }
        }
        for (ValueInfoProto vi : gp.getOutputList()) {
            if (!produced.contains(vi.getName())) {
                throw new ModelFormatException("graph output '" + vi.getName()
                        + "' is not produced by any node, input or initializer");
            }
            Value v = g.value(vi.getName());
            if (v.type().dtype() == null && !v.isConstant()) {
                v.setType(typeOfLenient(vi));
            }
            g.outputs().add(v);
        }
        if (g.outputs().isEmpty()) {
            throw new ModelFormatException("graph '" + gp.getName() + "' has no outputs");
        }
        g.sortTopologically();
        return g;
    }

    private static String uniqueName(String base, Set<String> used) {
        String n = base;
        for (int i = 1; !used.add(n); i++) {
            n = base + "_" + i;
        }
        return n;
    }

    /** The declared type of a graph input; must be a tensor of a supported element type. */
    private static TensorType typeOf(ValueInfoProto vi, String what) {
        String where = what + " '" + vi.getName() + "'";
        TypeProto tp = vi.getType();
        if (tp.hasSequenceType() || tp.hasMapType() || tp.hasOptionalType()
                || tp.hasSparseTensorType()) {
            throw new ModelFormatException(where + ": only tensor inputs are supported");
        }
        int code = tp.getTensorType().getElemType();
        DType dtype = code == 0 ? DType.FLOAT : DType.of(ElementType.fromOnnx(code, where));
        if (dtype == null) {
            throw new ModelFormatException(where + ": element type " + ElementType.onnxName(code)
                    + " is not supported by the runtime");
        }
        return new TensorType(dtype, dims(tp.getTensorType(), where));
    }

    private static TensorType typeOfLenient(ValueInfoProto vi) {
        TypeProto tp = vi.getType();
        if (!tp.hasTensorType()) {
            return TensorType.UNKNOWN;
        }
        DType dtype = null;
        try {
            dtype = DType.of(ElementType.fromOnnx(tp.getTensorType().getElemType(), vi.getName()));
        } catch (ModelFormatException e) {
            // An unsupported element type on an intermediate hint is left unknown.
        }
        return new TensorType(dtype, dims(tp.getTensorType(), "value '" + vi.getName() + "'"));
    }

    private static List<Dim> dims(TypeProto.Tensor t, String where) {
        if (!t.hasShape()) {
            return null;
        }
        List<Dim> dims = new ArrayList<>();
        List<TensorShapeProto.Dimension> list = t.getShape().getDimList();
        for (int i = 0; i < list.size(); i++) {
            TensorShapeProto.Dimension d = list.get(i);
            if (d.hasDimValue()) {
                long v = d.getDimValue();
                if (v < 0 || v > MAX_DIM) {
                    throw new ModelFormatException(where + ": axis " + i + " has size " + v
                            + " (must be 0.." + MAX_DIM + ")");
                }
                dims.add(Dim.of(v));
            } else if (d.hasDimParam() && !d.getDimParam().isEmpty()) {
                dims.add(Dim.symbol(d.getDimParam()));
            } else {
                dims.add(Dim.unknown());
            }
        }
        return dims;
    }

    private Attribute attribute(AttributeProto a, String opType, String node) {
        AttributeProto.AttributeType type = a.getType();
        if (type == AttributeProto.AttributeType.UNDEFINED) {
            type = guessType(a);
        }
        if (!a.getRefAttrName().isEmpty()) {
            throw new ModelFormatException(opType + " node '" + node + "': attribute '"
                    + a.getName() + "' refers to a function attribute, which needs a function");
        }
        Object value = switch (type) {
            case INT -> a.getI();
            case FLOAT -> a.getF();
            case STRING -> a.getS().toStringUtf8();
            case INTS -> a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            case FLOATS -> {
                float[] f = new float[a.getFloatsCount()];
                for (int i = 0; i < f.length; i++) {
                    f[i] = a.getFloats(i);
                }
                yield f;
            }
            case STRINGS -> a.getStringsList().stream().map(s -> s.toStringUtf8())
                    .toArray(String[]::new);
            case TENSOR -> attributeTensor(a, opType, node);
            default -> null;
        };
        return new Attribute(a.getName(), type.name(), value);
    }

    /** A TENSOR attribute's value; a bad tensor is blamed on the node and attribute too. */
    private Tensor attributeTensor(AttributeProto a, String opType, String node) {
        try {
            return Tensor.from(TensorProtos.decode(a.getT(), baseDir));
        } catch (LanesException e) {
            throw new ModelFormatException(opType + " node '" + node + "': attribute '"
                    + a.getName() + "': " + e.getMessage(), e);
        }
    }

    /** Old exporters leave the type unset; it follows from the field that holds a value. */
    private static AttributeProto.AttributeType guessType(AttributeProto a) {
        if (a.getIntsCount() > 0) {
            return AttributeProto.AttributeType.INTS;
        }
        if (a.getFloatsCount() > 0) {
            return AttributeProto.AttributeType.FLOATS;
        }
        if (a.getStringsCount() > 0) {
            return AttributeProto.AttributeType.STRINGS;
        }
        if (a.hasT()) {
            return AttributeProto.AttributeType.TENSOR;
        }
        if (a.hasG()) {
            return AttributeProto.AttributeType.GRAPH;
        }
        if (a.hasS()) {
            return AttributeProto.AttributeType.STRING;
        }
        if (a.hasF()) {
            return AttributeProto.AttributeType.FLOAT;
        }
        if (a.hasI()) {
            return AttributeProto.AttributeType.INT;
        }
        // An empty list: the attribute is present with no values.
        return AttributeProto.AttributeType.INTS;
    }
}
