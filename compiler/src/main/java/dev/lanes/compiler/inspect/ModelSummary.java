package dev.lanes.compiler.inspect;

import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.Compiler;
import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.onnx.OnnxImporter;
import dev.lanes.compiler.ops.OpRegistry;
import dev.lanes.errors.LanesException;
import dev.lanes.formats.ElementType;
import dev.lanes.formats.ModelReader;
import dev.lanes.formats.onnx.Onnx.GraphProto;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.formats.onnx.Onnx.NodeProto;
import dev.lanes.formats.onnx.Onnx.OperatorSetIdProto;
import dev.lanes.formats.onnx.Onnx.TensorProto;
import dev.lanes.formats.onnx.Onnx.TensorShapeProto;
import dev.lanes.formats.onnx.Onnx.TypeProto;
import dev.lanes.formats.onnx.Onnx.ValueInfoProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a model is, in numbers: its signature, opsets, operator histogram, parameter count and
 * multiply-accumulate (MAC) count. The histogram, node count and parameters come from the ONNX
 * graph as written; MACs come from the shapes the compiler infers after its passes, with every
 * symbolic or unknown input dimension bound to 1 (so they are per sample for a batch dimension).
 *
 * @param graphName     the graph's name
 * @param irVersion     the model's IR version
 * @param producer      the producer name and version, as recorded in the file ("" if none)
 * @param opsets        the imported opset version of each domain ("ai.onnx" for the default)
 * @param inputs        the graph inputs a caller supplies (initializers excluded), in order
 * @param outputs       the graph outputs, in order
 * @param operators     the number of nodes of each op type (non-default domains prefixed,
 *                      "domain:Op"), most frequent first
 * @param nodeCount     the number of nodes in the graph as written
 * @param parameterCount the number of elements of the floating-point initializers
 * @param macs          one entry per Conv, ConvTranspose, Gemm and MatMul node left after the
 *                      passes, in execution order
 * @param unsupported   the op types (with opset) Lanes cannot run, sorted; empty if it can run
 *                      them all
 * @param shapeProblem  why shape inference stopped early (a shape or attribute error the
 *                      compiler found), or null; MACs then count only the shapes known before
 */
public record ModelSummary(String graphName, long irVersion, String producer,
        Map<String, Long> opsets, List<ValueSummary> inputs, List<ValueSummary> outputs,
        Map<String, Integer> operators, int nodeCount, long parameterCount, List<NodeMacs> macs,
        List<String> unsupported, String shapeProblem) {

    /**
     * A graph input or output as declared in the file.
     *
     * @param name  the value's name
     * @param dtype the ONNX element type name (FLOAT, INT64, ...), "?" if not declared
     * @param dims  each dimension as written: a number, a symbol, or "?"; null when the shape is
     *              not declared
     */
    public record ValueSummary(String name, String dtype, List<String> dims) {
        /** The shape written the way ONNX tools print it: [N,3,224,224], or [?] if unknown. */
        public String shapeString() {
            return dims == null ? "[?]" : "[" + String.join(",", dims) + "]";
        }
    }

    /**
     * The multiply-accumulates of one node.
     *
     * @param node        the node's name
     * @param opType      its op type
     * @param macs        its multiply-accumulates, or {@link MacCounter#UNKNOWN}
     * @param outputShape its first output's inferred shape, e.g. [1,64,56,56]
     * @param algorithm   the convolution algorithm the compiler picks for it on this machine
     *                    (a {@link dev.lanes.runtime.kernels.conv.ConvAlgorithm} name), or ""
     *                    for nodes that are not convolutions
     */
    public record NodeMacs(String node, String opType, long macs, String outputShape,
            String algorithm) {
        /** True when the count is known. */
        public boolean known() {
            return macs != MacCounter.UNKNOWN;
        }
    }

    /** Copies the collections. */
    public ModelSummary {
        opsets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(opsets));
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        operators = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(operators));
        macs = List.copyOf(macs);
        unsupported = List.copyOf(unsupported);
    }

    /** The sum of the known MAC counts. */
    public long totalMacs() {
        return macs.stream().filter(NodeMacs::known).mapToLong(NodeMacs::macs).sum();
    }

    /** True when some counted node's shapes were not known, so {@link #totalMacs()} is short. */
    public boolean macsIncomplete() {
        return shapeProblem != null || macs.stream().anyMatch(m -> !m.known());
    }

    /** The {@code n} nodes with the most MACs, largest first. */
    public List<NodeMacs> topMacs(int n) {
        return macs.stream().filter(NodeMacs::known)
                .sorted(Comparator.comparingLong(NodeMacs::macs).reversed()).limit(n).toList();
    }

    /** Summarizes a model file (external data is resolved beside it). */
    public static ModelSummary of(Path modelFile) {
        return of(ModelReader.read(modelFile), modelFile.toAbsolutePath().getParent());
    }

    /**
     * Summarizes a model; {@code baseDir} is the folder of its file (for external data), or
     * null.
     */
    public static ModelSummary of(ModelProto model, Path baseDir) {
        GraphProto g = model.getGraph();
        Map<String, Long> opsets = new LinkedHashMap<>();
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            String domain = o.getDomain().isEmpty() ? "ai.onnx" : o.getDomain();
            opsets.put(domain, o.getVersion());
        }
        Set<String> initializers = new HashSet<>();
        long parameters = 0;
        for (TensorProto t : g.getInitializerList()) {
            initializers.add(t.getName());
            if (isFloatingPoint(t.getDataType())) {
                long n = 1;
                for (long d : t.getDimsList()) {
                    n *= d;
                }
                parameters += n;
            }
        }
        List<ValueSummary> inputs = new ArrayList<>();
        for (ValueInfoProto vi : g.getInputList()) {
            if (!initializers.contains(vi.getName())) {
                inputs.add(describe(vi));
            }
        }
        List<ValueSummary> outputs = g.getOutputList().stream().map(ModelSummary::describe)
                .toList();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (NodeProto n : g.getNodeList()) {
            String domain = n.getDomain();
            String key = domain.isEmpty() || domain.equals("ai.onnx") ? n.getOpType()
                    : domain + ":" + n.getOpType();
            counts.merge(key, 1, Integer::sum);
        }
        Map<String, Integer> histogram = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> histogram.put(e.getKey(), e.getValue()));

        Graph graph = OnnxImporter.importModel(model, baseDir);
        OpRegistry ops = OpRegistry.defaults();
        Set<String> unsupported = new TreeSet<>();
        for (Node n : graph.nodes()) {
            if (ops.find(n) == null) {
                unsupported.add((n.domain().isEmpty() ? "" : n.domain() + ":") + n.opType()
                        + " (opset " + n.opset() + ")");
            }
        }
        FreeDimensions.bindToOne(graph);
        // Nodes without a handler are left alone by the passes; shapes after them stay unknown.
        String shapeProblem = null;
        try {
            new Compiler(ops, CompileOptions.defaults()).optimize(graph);
        } catch (LanesException e) {
            // A summary is most wanted for a model that does not compile: report, keep going.
            shapeProblem = e.getMessage();
        }
        List<NodeMacs> macs = new ArrayList<>();
        for (Node n : graph.nodes()) {
            if (MacCounter.counts(n)) {
                macs.add(new NodeMacs(n.name(), n.opType(), MacCounter.macs(n),
                        ShapeText.of(n.output(0).type()), AlgorithmName.of(n)));
            }
        }
        String producer = (model.getProducerName() + " " + model.getProducerVersion()).trim();
        return new ModelSummary(g.getName(), model.getIrVersion(), producer, opsets, inputs,
                outputs, histogram, g.getNodeCount(), parameters, macs,
                List.copyOf(unsupported), shapeProblem);
    }

    private static boolean isFloatingPoint(int code) {
        return code == ElementType.FLOAT.onnxCode() || code == ElementType.DOUBLE.onnxCode()
                || code == ElementType.FLOAT16.onnxCode()
                || code == ElementType.BFLOAT16.onnxCode();
    }

    private static ValueSummary describe(ValueInfoProto vi) {
        TypeProto tp = vi.getType();
        if (!tp.hasTensorType()) {
            return new ValueSummary(vi.getName(), "?", null);
        }
        TypeProto.Tensor t = tp.getTensorType();
        String dtype = t.getElemType() == 0 ? "?" : ElementType.onnxName(t.getElemType());
        if (!t.hasShape()) {
            return new ValueSummary(vi.getName(), dtype, null);
        }
        List<String> dims = new ArrayList<>();
        for (TensorShapeProto.Dimension d : t.getShape().getDimList()) {
            dims.add(d.hasDimValue() ? Long.toString(d.getDimValue())
                    : d.hasDimParam() && !d.getDimParam().isEmpty() ? d.getDimParam() : "?");
        }
        return new ValueSummary(vi.getName(), dtype, dims);
    }
}
