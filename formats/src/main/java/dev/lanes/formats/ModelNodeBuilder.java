package dev.lanes.formats;

import com.google.protobuf.ByteString;
import dev.lanes.formats.onnx.Onnx.AttributeProto;
import dev.lanes.formats.onnx.Onnx.AttributeProto.AttributeType;
import dev.lanes.formats.onnx.Onnx.NodeProto;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of a {@link ModelBuilder}: its name, domain, inputs, outputs and attributes. An empty
 * input name ("") marks an absent optional input, as in ONNX. Setting an attribute twice keeps
 * the last value.
 */
public final class ModelNodeBuilder {
    private final String opType;
    private String name = "";
    private String domain = "";
    private final List<String> inputs = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();
    private final Map<String, AttributeProto> attributes = new LinkedHashMap<>();

    ModelNodeBuilder(String opType) {
        this.opType = opType;
    }

    /** Names the node. */
    public ModelNodeBuilder name(String nodeName) {
        this.name = nodeName;
        return this;
    }

    /** Sets the node's operator domain ("" is the default ONNX domain). */
    public ModelNodeBuilder domain(String nodeDomain) {
        this.domain = nodeDomain;
        return this;
    }

    /** Appends inputs, by value name. */
    public ModelNodeBuilder inputs(String... names) {
        inputs.addAll(List.of(names));
        return this;
    }

    /** Appends outputs, by value name. */
    public ModelNodeBuilder outputs(String... names) {
        outputs.addAll(List.of(names));
        return this;
    }

    /** Sets an INT attribute. */
    public ModelNodeBuilder attr(String attr, long value) {
        return put(attr, AttributeProto.newBuilder().setType(AttributeType.INT).setI(value));
    }

    /** Sets an INTS attribute. */
    public ModelNodeBuilder attr(String attr, long[] values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setType(AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return put(attr, a);
    }

    /** Sets an INTS attribute from its values. */
    public ModelNodeBuilder ints(String attr, long... values) {
        return attr(attr, values);
    }

    /** Sets a FLOAT attribute. */
    public ModelNodeBuilder attr(String attr, float value) {
        return put(attr, AttributeProto.newBuilder().setType(AttributeType.FLOAT).setF(value));
    }

    /** Sets a FLOATS attribute. */
    public ModelNodeBuilder attr(String attr, float[] values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setType(AttributeType.FLOATS);
        for (float v : values) {
            a.addFloats(v);
        }
        return put(attr, a);
    }

    /** Sets a FLOATS attribute from its values. */
    public ModelNodeBuilder floats(String attr, float... values) {
        return attr(attr, values);
    }

    /** Sets a STRING attribute (UTF-8). */
    public ModelNodeBuilder attr(String attr, String value) {
        return put(attr, AttributeProto.newBuilder().setType(AttributeType.STRING)
                .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8)));
    }

    /** Sets a TENSOR attribute (as the Constant operator's {@code value}). */
    public ModelNodeBuilder attr(String attr, TensorData value) {
        return put(attr, AttributeProto.newBuilder().setType(AttributeType.TENSOR)
                .setT(TensorProtos.encode(value)));
    }

    private ModelNodeBuilder put(String attr, AttributeProto.Builder a) {
        attributes.put(attr, a.setName(attr).build());
        return this;
    }

    NodeProto build() {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).addAllInput(inputs)
                .addAllOutput(outputs).addAllAttribute(attributes.values());
        if (!name.isEmpty()) {
            n.setName(name);
        }
        if (!domain.isEmpty()) {
            n.setDomain(domain);
        }
        return n.build();
    }
}
