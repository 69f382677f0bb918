package dev.lanes.runtime.plan;

import dev.lanes.errors.ModelFormatException;
import dev.lanes.formats.plan.LanesPlan;
import dev.lanes.runtime.Tensor;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One kernel's parameters as a plan file holds them, for the kernel's codec to rebuild it. The
 * getters of scalars ({@link #getInt}, {@link #getFloat}...) require the parameter; those of
 * arrays, tensors, strings and records return null when it is absent, as {@link ParamWriter}
 * leaves nulls out. Every problem (missing, of another kind, out of range, unknown enum
 * constant) is a {@link ModelFormatException} naming the file, the step, the kernel and the
 * parameter. A parameter no getter asked for is an error too ({@link #checkAllRead}): the file
 * was written for another kernel than the one reading it.
 */
public final class ParamReader {
    private final Map<String, LanesPlan.Param> params = new LinkedHashMap<>();
    private final Set<String> read = new HashSet<>();
    private final List<Tensor> constants;
    private final Where where;
    private final String prefix;
    private final int stepOutputs;

    ParamReader(LanesPlan.Params p, List<Tensor> constants, Where where, String prefix,
            int stepOutputs) {
        this.constants = constants;
        this.where = where;
        this.prefix = prefix;
        this.stepOutputs = stepOutputs;
        for (LanesPlan.Param param : p.getParamsList()) {
            if (params.putIfAbsent(param.getName(), param) != null) {
                throw error(param.getName(), "appears twice");
            }
        }
    }

    /**
     * The number of outputs of the step being read, for kernels whose parameters say how many
     * outputs they make (Split): they must agree.
     */
    public int stepOutputs() {
        return stepOutputs;
    }

    /** True when the parameter is present. */
    public boolean has(String name) {
        return params.containsKey(name);
    }

    /** A required integer. */
    public long getLong(String name) {
        return required(name, LanesPlan.Param.ValueCase.INT_VALUE, "an integer").getIntValue();
    }

    /** A required integer that fits an int. */
    public int getInt(String name) {
        long v = getLong(name);
        if (v != (int) v) {
            throw error(name, "is " + v + ", more than an int holds");
        }
        return (int) v;
    }

    /** A required float. */
    public float getFloat(String name) {
        return required(name, LanesPlan.Param.ValueCase.FLOAT_VALUE, "a float").getFloatValue();
    }

    /** A required double. */
    public double getDouble(String name) {
        return required(name, LanesPlan.Param.ValueCase.DOUBLE_VALUE, "a double")
                .getDoubleValue();
    }

    /** A required boolean. */
    public boolean getBool(String name) {
        return required(name, LanesPlan.Param.ValueCase.BOOL_VALUE, "a boolean").getBoolValue();
    }

    /** A required string. */
    public String getString(String name) {
        return required(name, LanesPlan.Param.ValueCase.STRING_VALUE, "a string")
                .getStringValue();
    }

    /** An optional string, null when absent. */
    public String stringOrNull(String name) {
        return has(name) ? getString(name) : null;
    }

    /** A required enum constant, written by its name. */
    public <E extends Enum<E>> E getEnum(String name, Class<E> type) {
        String s = getString(name);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(s)) {
                return e;
            }
        }
        String enumName = type.getEnclosingClass() == null ? type.getSimpleName()
                : type.getEnclosingClass().getSimpleName() + "." + type.getSimpleName();
        throw error(name, "is '" + s + "', not one of " + enumName + " "
                + List.of(type.getEnumConstants()));
    }

    /** An optional enum constant, null when absent. */
    public <E extends Enum<E>> E enumOrNull(String name, Class<E> type) {
        return has(name) ? getEnum(name, type) : null;
    }

    /** An int array, or null when absent; every element must fit an int. */
    public int[] ints(String name) {
        long[] l = longs(name);
        if (l == null) {
            return null;
        }
        int[] a = new int[l.length];
        for (int i = 0; i < a.length; i++) {
            if (l[i] != (int) l[i]) {
                throw error(name, "element " + i + " is " + l[i] + ", more than an int holds");
            }
            a[i] = (int) l[i];
        }
        return a;
    }

    /** A long array, or null when absent. */
    public long[] longs(String name) {
        if (!has(name)) {
            read.add(name);
            return null;
        }
        List<Long> v = required(name, LanesPlan.Param.ValueCase.INTS, "an integer array")
                .getInts().getValuesList();
        long[] a = new long[v.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = v.get(i);
        }
        return a;
    }

    /** A float array, or null when absent. */
    public float[] floats(String name) {
        if (!has(name)) {
            read.add(name);
            return null;
        }
        List<Float> v = required(name, LanesPlan.Param.ValueCase.FLOATS, "a float array")
                .getFloats().getValuesList();
        float[] a = new float[v.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = v.get(i);
        }
        return a;
    }

    /** A tensor from the constant table, or null when absent. */
    public Tensor tensor(String name) {
        if (!has(name)) {
            read.add(name);
            return null;
        }
        int i = required(name, LanesPlan.Param.ValueCase.CONSTANT, "a constant reference")
                .getConstant();
        if (i < 0 || i >= constants.size()) {
            throw error(name, "refers to constant " + Integer.toUnsignedString(i)
                    + " but the plan has " + constants.size());
        }
        return constants.get(i);
    }

    /** A required tensor. */
    public Tensor requireTensor(String name) {
        Tensor t = tensor(name);
        if (t == null) {
            throw error(name, "is missing");
        }
        return t;
    }

    /**
     * A nested record, or null when absent.
     *
     * @param read rebuilds the record from a reader of its fields, which must read them all
     */
    public <T> T record(String name, Function<ParamReader, T> read) {
        if (!has(name)) {
            this.read.add(name);
            return null;
        }
        ParamReader nested = new ParamReader(required(name, LanesPlan.Param.ValueCase.RECORD,
                "a record").getRecord(), constants, where, prefix + name + ".", stepOutputs);
        T value = read.apply(nested);
        nested.checkAllRead();
        return value;
    }

    /** A required nested record. */
    public <T> T requireRecord(String name, Function<ParamReader, T> read) {
        T t = record(name, read);
        if (t == null) {
            throw error(name, "is missing");
        }
        return t;
    }

    /** The error for a parameter whose value a codec cannot use. */
    public ModelFormatException error(String name, String problem) {
        return where.error("parameter '" + prefix + name + "' " + problem);
    }

    /** Fails on a parameter no getter asked for. */
    void checkAllRead() {
        for (String name : params.keySet()) {
            if (!read.contains(name)) {
                throw error(name, "is not a parameter of this kernel");
            }
        }
    }

    private LanesPlan.Param required(String name, LanesPlan.Param.ValueCase kind, String what) {
        LanesPlan.Param p = params.get(name);
        read.add(name);
        if (p == null) {
            throw error(name, "is missing");
        }
        if (p.getValueCase() != kind) {
            throw error(name, "should be " + what + ", the file has "
                    + p.getValueCase().name().toLowerCase(java.util.Locale.ROOT));
        }
        return p;
    }
}
