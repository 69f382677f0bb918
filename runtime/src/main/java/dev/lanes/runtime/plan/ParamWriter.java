package dev.lanes.runtime.plan;

import dev.lanes.formats.plan.LanesPlan;
import dev.lanes.runtime.Tensor;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Collects one kernel's parameters for a plan file: named numbers, booleans, strings, enum
 * constants, arrays, tensors and nested records, each name written once. A kernel's codec writes
 * what its {@link ParamReader} side needs to rebuild the kernel. A null array, string, enum,
 * tensor or record is left out and reads back as null, so "not given" survives the round trip.
 *
 * <p>Tensors are not copied into the parameters: they go into the plan's constant table (once
 * per tensor object, so weights that are also a step's constant input are stored once) and the
 * parameter holds the index.
 */
public final class ParamWriter {
    private final LanesPlan.Params.Builder params = LanesPlan.Params.newBuilder();
    private final ConstantTable constants;
    private final String where;
    private final Set<String> names = new HashSet<>();

    ParamWriter(ConstantTable constants, String where) {
        this.constants = constants;
        this.where = where;
    }

    /** Writes an integer (an int or a long). */
    public ParamWriter putInt(String name, long value) {
        return add(name, b -> b.setIntValue(value));
    }

    /** Writes a float. */
    public ParamWriter putFloat(String name, float value) {
        return add(name, b -> b.setFloatValue(value));
    }

    /** Writes a double. */
    public ParamWriter putDouble(String name, double value) {
        return add(name, b -> b.setDoubleValue(value));
    }

    /** Writes a boolean. */
    public ParamWriter putBool(String name, boolean value) {
        return add(name, b -> b.setBoolValue(value));
    }

    /** Writes a string; null writes nothing. */
    public ParamWriter putString(String name, String value) {
        return value == null ? this : add(name, b -> b.setStringValue(value));
    }

    /**
     * Writes an enum constant by its name, so that reordering an enum's constants keeps old
     * plans readable; null writes nothing.
     */
    public ParamWriter putEnum(String name, Enum<?> value) {
        return value == null ? this : add(name, b -> b.setStringValue(value.name()));
    }

    /** Writes an int array; null writes nothing. */
    public ParamWriter putInts(String name, int[] values) {
        if (values == null) {
            return this;
        }
        LanesPlan.Ints.Builder ints = LanesPlan.Ints.newBuilder();
        for (int v : values) {
            ints.addValues(v);
        }
        return add(name, b -> b.setInts(ints));
    }

    /** Writes a long array; null writes nothing. */
    public ParamWriter putLongs(String name, long[] values) {
        if (values == null) {
            return this;
        }
        LanesPlan.Ints.Builder ints = LanesPlan.Ints.newBuilder();
        for (long v : values) {
            ints.addValues(v);
        }
        return add(name, b -> b.setInts(ints));
    }

    /** Writes a float array; null writes nothing. */
    public ParamWriter putFloats(String name, float[] values) {
        if (values == null) {
            return this;
        }
        LanesPlan.Floats.Builder floats = LanesPlan.Floats.newBuilder();
        for (float v : values) {
            floats.addValues(v);
        }
        return add(name, b -> b.setFloats(floats));
    }

    /** Writes a tensor by reference to the plan's constant table; null writes nothing. */
    public ParamWriter putTensor(String name, Tensor value) {
        return value == null ? this : add(name, b -> b.setConstant(constants.indexOf(value)));
    }

    /**
     * Writes a nested record ({@code ConvAttributes}, {@code Epilogue}...) with its own names;
     * null writes nothing.
     *
     * @param fields writes the record's fields into the nested writer it is given
     */
    public <T> ParamWriter putRecord(String name, T value, BiConsumer<T, ParamWriter> fields) {
        if (value == null) {
            return this;
        }
        ParamWriter nested = new ParamWriter(constants, where + "." + name);
        fields.accept(value, nested);
        return add(name, b -> b.setRecord(nested.params));
    }

    /** The parameters written so far. */
    LanesPlan.Params build() {
        return params.build();
    }

    /** Adds a parameter under a name not written before. */
    private ParamWriter add(String name, Consumer<LanesPlan.Param.Builder> value) {
        if (!names.add(name)) {
            throw new IllegalStateException(where + ": parameter '" + name
                    + "' written twice");
        }
        LanesPlan.Param.Builder b = LanesPlan.Param.newBuilder().setName(name);
        value.accept(b);
        params.addParams(b);
        return this;
    }
}
