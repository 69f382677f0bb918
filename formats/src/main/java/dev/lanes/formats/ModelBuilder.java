package dev.lanes.formats;

import dev.lanes.errors.ModelFormatException;
import dev.lanes.formats.onnx.Onnx.GraphProto;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.formats.onnx.Onnx.OperatorSetIdProto;
import dev.lanes.formats.onnx.Onnx.TensorShapeProto;
import dev.lanes.formats.onnx.Onnx.TypeProto;
import dev.lanes.formats.onnx.Onnx.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes ONNX models from code: opset imports, typed graph inputs and outputs (fixed or symbolic
 * dimensions), initializers from {@link TensorData}, and nodes with attributes.
 *
 * <pre>{@code
 * ModelBuilder m = new ModelBuilder("tiny").opset(13);
 * m.input("x", "N", 3);
 * m.initializer(TensorData.ofFloats("b", new long[] {3}, new float[] {1, 2, 3}));
 * m.node("Add").inputs("x", "b").outputs("s");
 * m.node("Relu").inputs("s").outputs("y");
 * m.output("y", "N", 3);
 * m.write(Path.of("tiny.onnx"));
 * }</pre>
 *
 * <p>A dimension is given as an {@link Integer} or {@link Long} (a fixed size) or a
 * {@link String} (a symbol such as "N"); {@code null} leaves it unknown. Nothing is checked
 * beyond what is needed to write valid protobuf: the builder also serves tests that feed broken
 * models to the compiler.
 */
public final class ModelBuilder {
    /** The IR version written unless {@link #irVersion(long)} says otherwise (ONNX 1.10+). */
    public static final long DEFAULT_IR_VERSION = 8;

    private final String graphName;
    private final Map<String, Long> opsets = new LinkedHashMap<>();
    private final List<ValueInfoProto> inputs = new ArrayList<>();
    private final List<ValueInfoProto> outputs = new ArrayList<>();
    private final List<ValueInfoProto> valueInfos = new ArrayList<>();
    private final List<TensorData> initializers = new ArrayList<>();
    private final List<ModelNodeBuilder> nodes = new ArrayList<>();
    private long irVersion = DEFAULT_IR_VERSION;
    private String producer = "lanes";
    private String docString = "";

    /** A builder for a model whose graph has the given name. */
    public ModelBuilder(String graphName) {
        this.graphName = graphName;
    }

    /** Imports the default ONNX domain at {@code version}. */
    public ModelBuilder opset(long version) {
        return opset("", version);
    }

    /** Imports {@code domain} ("" for the default ONNX domain) at {@code version}. */
    public ModelBuilder opset(String domain, long version) {
        opsets.put(domain, version);
        return this;
    }

    /** Sets the model's IR version. */
    public ModelBuilder irVersion(long version) {
        this.irVersion = version;
        return this;
    }

    /** Sets the producer name recorded in the model. */
    public ModelBuilder producer(String name) {
        this.producer = name;
        return this;
    }

    /** Sets the model's documentation string. */
    public ModelBuilder doc(String text) {
        this.docString = text;
        return this;
    }

    /** Adds a FLOAT graph input with the given dimensions. */
    public ModelBuilder input(String name, Object... dims) {
        return input(name, ElementType.FLOAT, dims);
    }

    /** Adds a graph input of the given element type and dimensions. */
    public ModelBuilder input(String name, ElementType type, Object... dims) {
        inputs.add(tensorInfo(name, type, dims));
        return this;
    }

    /** Adds a FLOAT graph output with the given dimensions. */
    public ModelBuilder output(String name, Object... dims) {
        return output(name, ElementType.FLOAT, dims);
    }

    /** Adds a graph output of the given element type and dimensions. */
    public ModelBuilder output(String name, ElementType type, Object... dims) {
        outputs.add(tensorInfo(name, type, dims));
        return this;
    }

    /** Adds a graph output of the given element type whose shape is not declared. */
    public ModelBuilder outputWithoutShape(String name, ElementType type) {
        outputs.add(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.onnxCode())))
                .build());
        return this;
    }

    /** Declares the type and shape of an intermediate value ({@code value_info}). */
    public ModelBuilder valueInfo(String name, ElementType type, Object... dims) {
        valueInfos.add(tensorInfo(name, type, dims));
        return this;
    }

    /** Adds an initializer (a constant such as a weight); its name is the tensor's name. */
    public ModelBuilder initializer(TensorData tensor) {
        if (tensor.name().isEmpty()) {
            throw new IllegalArgumentException("an initializer needs a name");
        }
        initializers.add(tensor);
        return this;
    }

    /** Adds a FLOAT initializer. */
    public ModelBuilder initializer(String name, float[] values, long... dims) {
        return initializer(TensorData.ofFloats(name, dims, values));
    }

    /** Adds an INT64 initializer (shapes, axes, pads). */
    public ModelBuilder initializer(String name, long[] values, long... dims) {
        return initializer(TensorData.ofLongs(name, dims, values));
    }

    /**
     * Adds a node of the default domain and returns it to set its inputs, outputs and
     * attributes; nodes are written in the order they are added.
     */
    public ModelNodeBuilder node(String opType) {
        ModelNodeBuilder n = new ModelNodeBuilder(opType);
        nodes.add(n);
        return n;
    }

    /** Builds the model message. */
    public ModelProto build() {
        GraphProto.Builder g = GraphProto.newBuilder().setName(graphName)
                .addAllInput(inputs).addAllOutput(outputs).addAllValueInfo(valueInfos);
        for (TensorData t : initializers) {
            g.addInitializer(TensorProtos.encode(t));
        }
        for (ModelNodeBuilder n : nodes) {
            g.addNode(n.build());
        }
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(irVersion)
                .setProducerName(producer).setGraph(g);
        if (!docString.isEmpty()) {
            m.setDocString(docString);
        }
        Map<String, Long> imports = opsets.isEmpty() ? Map.of("", 13L) : opsets;
        for (Map.Entry<String, Long> e : imports.entrySet()) {
            m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(e.getKey())
                    .setVersion(e.getValue()));
        }
        return m.build();
    }

    /** Builds the model and serializes it. */
    public byte[] toBytes() {
        return build().toByteArray();
    }

    /** Builds the model and writes it to a file, creating missing parent folders. */
    public void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, toBytes());
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot write (" + e + ")", e);
        }
    }

    /** A tensor value description with the given element type and dimensions. */
    public static ValueInfoProto tensorInfo(String name, ElementType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            switch (d) {
                case null -> { }
                case Integer i -> dim.setDimValue(i);
                case Long l -> dim.setDimValue(l);
                case String s -> dim.setDimParam(s);
                default -> throw new IllegalArgumentException("value '" + name + "': dimension "
                        + d + " is neither a number nor a symbol");
            }
            shape.addDim(dim);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.onnxCode())
                        .setShape(shape)))
                .build();
    }
}
