package dev.lanes.compiler.ir;

import dev.lanes.errors.ModelFormatException;
import dev.lanes.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An operator application: op type, domain, the opset version of that domain, inputs (null where
 * an optional input is absent), outputs and attributes. Attribute getters validate and name the
 * node in their errors.
 */
public final class Node {
    private final String name;
    private final String opType;
    private final String domain;
    private final int opset;
    private final List<Value> inputs;
    private final List<Value> outputs;
    private final Map<String, Attribute> attributes;

    /** Creates a node; lists are copied. */
    public Node(String name, String opType, String domain, int opset, List<Value> inputs,
            List<Value> outputs, Map<String, Attribute> attributes) {
        this.name = name;
        this.opType = opType;
        this.domain = domain;
        this.opset = opset;
        this.inputs = new ArrayList<>(inputs);
        this.outputs = new ArrayList<>(outputs);
        this.attributes = new LinkedHashMap<>(attributes);
    }

    /** The node's name (made unique by the importer when the file had none). */
    public String name() {
        return name;
    }

    /** The operator type, e.g. "Conv". */
    public String opType() {
        return opType;
    }

    /** The operator domain, "" for the default ONNX domain. */
    public String domain() {
        return domain;
    }

    /** The opset version of the node's domain that the model imports. */
    public int opset() {
        return opset;
    }

    /** The inputs; an absent optional input is null. */
    public List<Value> inputs() {
        return inputs;
    }

    /** Input {@code i}, or null if absent or beyond the list. */
    public Value input(int i) {
        return i < inputs.size() ? inputs.get(i) : null;
    }

    /** The number of inputs listed (absent optional ones included). */
    public int inputCount() {
        return inputs.size();
    }

    /** The outputs. */
    public List<Value> outputs() {
        return outputs;
    }

    /** Output {@code i}. */
    public Value output(int i) {
        return outputs.get(i);
    }

    /** The attributes by name. */
    public Map<String, Attribute> attributes() {
        return attributes;
    }

    /** True when the attribute is present. */
    public boolean has(String attr) {
        return attributes.containsKey(attr);
    }

    /** "op 'name' (opset N)" for error messages. */
    public String describe() {
        return opType + " node '" + name + "'" + (domain.isEmpty() ? "" : " domain " + domain)
                + " (opset " + opset + ")";
    }

    /** A format error that names this node. */
    public ModelFormatException error(String what) {
        return new ModelFormatException(describe() + ": " + what);
    }

    private Object get(String attr, Class<?> type, String kind) {
        Attribute a = attributes.get(attr);
        if (a == null) {
            return null;
        }
        if (!type.isInstance(a.value())) {
            throw error("attribute '" + attr + "' should be " + kind + " but is " + a.kind());
        }
        return a.value();
    }

    /** An INT attribute, or {@code dflt} when absent. */
    public long getInt(String attr, long dflt) {
        Object v = get(attr, Long.class, "INT");
        return v == null ? dflt : (Long) v;
    }

    /** A FLOAT attribute, or {@code dflt} when absent. */
    public float getFloat(String attr, float dflt) {
        Object v = get(attr, Float.class, "FLOAT");
        return v == null ? dflt : (Float) v;
    }

    /** A STRING attribute, or {@code dflt} when absent. */
    public String getString(String attr, String dflt) {
        Object v = get(attr, String.class, "STRING");
        return v == null ? dflt : (String) v;
    }

    /** An INTS attribute, or {@code dflt} (may be null) when absent. */
    public long[] getInts(String attr, long[] dflt) {
        Object v = get(attr, long[].class, "INTS");
        return v == null ? dflt : ((long[]) v).clone();
    }

    /** An INTS attribute narrowed to int, or {@code dflt} (may be null) when absent. */
    public int[] getIntArray(String attr, int[] dflt) {
        long[] v = getInts(attr, null);
        if (v == null) {
            return dflt;
        }
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] < Integer.MIN_VALUE || v[i] > Integer.MAX_VALUE) {
                throw error("attribute '" + attr + "' value " + v[i] + " is out of range");
            }
            out[i] = (int) v[i];
        }
        return out;
    }

    /** A FLOATS attribute, or {@code dflt} (may be null) when absent. */
    public float[] getFloats(String attr, float[] dflt) {
        Object v = get(attr, float[].class, "FLOATS");
        return v == null ? dflt : ((float[]) v).clone();
    }

    /** A STRINGS attribute, or {@code dflt} (may be null) when absent. */
    public String[] getStrings(String attr, String[] dflt) {
        Object v = get(attr, String[].class, "STRINGS");
        return v == null ? dflt : ((String[]) v).clone();
    }

    /** A TENSOR attribute, or null when absent. */
    public Tensor getTensor(String attr) {
        return (Tensor) get(attr, Tensor.class, "TENSOR");
    }

    /** Like {@link #getInt} but the attribute must be present. */
    public long requireInt(String attr) {
        if (!has(attr)) {
            throw error("missing required attribute '" + attr + "'");
        }
        return getInt(attr, 0);
    }

    /** Like {@link #getInts} but the attribute must be present. */
    public long[] requireInts(String attr) {
        long[] v = getInts(attr, null);
        if (v == null) {
            throw error("missing required attribute '" + attr + "'");
        }
        return v;
    }

    @Override
    public String toString() {
        return describe() + " " + inputs.stream().map(v -> v == null ? "-" : v.name()).toList()
                + " -> " + outputs.stream().map(Value::name).toList()
                + (attributes.isEmpty() ? "" : " " + Arrays.toString(attributes.keySet().toArray()));
    }
}
