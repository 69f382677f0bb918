package dev.lanes.formats;

import dev.lanes.errors.ModelFormatException;
import java.util.Arrays;

/**
 * A tensor read from or written to a file, independent of the runtime's own tensor type.
 *
 * <p>Values are held in one of three arrays according to the element type: {@code float[]} for
 * FLOAT, FLOAT16 and BFLOAT16 (widened on read), {@code double[]} for DOUBLE, {@code long[]} for
 * the integer types and BOOL (0 or 1; UINT64 keeps its bit pattern). STRING tensors keep
 * {@code byte[][]} values.
 *
 * @param name   the tensor's name, or "" when it has none
 * @param type   the element type
 * @param dims   the dimensions (each 0 or more); a scalar has none
 * @param values a {@code float[]}, {@code double[]}, {@code long[]} or {@code byte[][]} holding
 *               the product of {@code dims} elements
 */
public record TensorData(String name, ElementType type, long[] dims, Object values) {

    /** Validates that the array kind matches the type and the length matches the dimensions. */
    public TensorData {
        long count = elementCount(dims, name);
        int length = switch (values) {
            case float[] f when type.isFloatingPoint32() -> f.length;
            case double[] d when type == ElementType.DOUBLE -> d.length;
            case long[] l when type.isIntegral() -> l.length;
            case byte[][] s when type == ElementType.STRING -> s.length;
            default -> throw new IllegalArgumentException("tensor '" + name + "': " + type
                    + " cannot hold " + values.getClass().getSimpleName());
        };
        if (length != count) {
            throw new ModelFormatException("tensor '" + name + "': dims " + Arrays.toString(dims)
                    + " need " + count + " values but " + length + " are present");
        }
    }

    /** A FLOAT tensor. */
    public static TensorData ofFloats(String name, long[] dims, float[] values) {
        return new TensorData(name, ElementType.FLOAT, dims, values);
    }

    /** An INT64 tensor. */
    public static TensorData ofLongs(String name, long[] dims, long[] values) {
        return new TensorData(name, ElementType.INT64, dims, values);
    }

    /** The number of elements, the product of the dimensions. */
    public int size() {
        return (int) elementCount(dims, name);
    }

    /** The values of a FLOAT, FLOAT16 or BFLOAT16 tensor. */
    public float[] floats() {
        if (values instanceof float[] f) {
            return f;
        }
        throw new IllegalStateException("tensor '" + name + "' is " + type + ", not float");
    }

    /** The values of a DOUBLE tensor. */
    public double[] doubles() {
        if (values instanceof double[] d) {
            return d;
        }
        throw new IllegalStateException("tensor '" + name + "' is " + type + ", not double");
    }

    /** The values of an integer or BOOL tensor. */
    public long[] longs() {
        if (values instanceof long[] l) {
            return l;
        }
        throw new IllegalStateException("tensor '" + name + "' is " + type + ", not integral");
    }

    /**
     * The product of {@code dims}, checked: a negative dimension or a product above
     * {@link Integer#MAX_VALUE} - 8 (the largest Java array) is a {@link ModelFormatException}.
     */
    public static long elementCount(long[] dims, String name) {
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            long d = dims[i];
            if (d < 0) {
                throw new ModelFormatException("tensor '" + name + "': dimension " + i + " is "
                        + d + " (must be 0 or more)");
            }
            // Each dimension is bounded on its own too: a zero elsewhere must not let a
            // dimension of 2^40 through to code that stores dimensions as ints.
            if (d > Integer.MAX_VALUE - 8 || (d != 0 && count > (Integer.MAX_VALUE - 8) / d)) {
                throw new ModelFormatException("tensor '" + name + "': dims "
                        + Arrays.toString(dims) + " hold more than " + (Integer.MAX_VALUE - 8)
                        + " elements, the most Lanes can hold in one tensor");
            }
            count *= d;
        }
        return count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData t && name.equals(t.name) && type == t.type
                && Arrays.equals(dims, t.dims) && Arrays.deepEquals(new Object[] {values},
                        new Object[] {t.values});
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return "TensorData[" + name + " " + type + " " + Arrays.toString(dims) + "]";
    }
}
