package dev.lanes.runtime;

import dev.lanes.errors.ShapeException;
import dev.lanes.formats.ElementType;
import dev.lanes.formats.TensorData;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A dense, row-major tensor: an element type, a shape and the values. FLOAT values are held in a
 * {@code float[]}, integer and BOOL values in a {@code long[]}. Kernels read and write the arrays
 * directly; a tensor handed to a user is theirs (the runtime keeps no reference to it).
 */
public final class Tensor {
    private final DType dtype;
    private final int[] shape;
    private final float[] floats;
    private final long[] longs;
    private final int size;

    private Tensor(DType dtype, int[] shape, float[] floats, long[] longs) {
        this.dtype = dtype;
        this.shape = shape;
        this.floats = floats;
        this.longs = longs;
        this.size = checkedSize(shape);
    }

    /**
     * A FLOAT tensor over the first values of a recycled array, which may be longer than the
     * shape needs: the session's memory plan gives one array to several tensors of different
     * sizes over a run.
     */
    static Tensor ofRecycled(float[] buffer, int... shape) {
        int n = checkedSize(shape);
        if (buffer.length < n) {
            throw new ShapeException("shape " + Arrays.toString(shape) + " needs " + n
                    + " values but the buffer holds " + buffer.length);
        }
        return new Tensor(DType.FLOAT, shape.clone(), buffer, null);
    }

    /** A FLOAT tensor over {@code data} (not copied); its length must be the shape's product. */
    public static Tensor of(float[] data, int... shape) {
        checkLength(data.length, shape);
        return new Tensor(DType.FLOAT, shape.clone(), data, null);
    }

    /** A FLOAT tensor copied from the remaining values of a buffer. */
    public static Tensor of(FloatBuffer data, int... shape) {
        float[] copy = new float[checkedSize(shape)];
        if (data.remaining() != copy.length) {
            throw new ShapeException("buffer holds " + data.remaining() + " floats but shape "
                    + Arrays.toString(shape) + " needs " + copy.length);
        }
        data.duplicate().get(copy);
        return new Tensor(DType.FLOAT, shape.clone(), copy, null);
    }

    /** A FLOAT tensor copied from native-order floats in a memory segment. */
    public static Tensor of(MemorySegment data, int... shape) {
        int n = checkedSize(shape);
        if (data.byteSize() != (long) n * Float.BYTES) {
            throw new ShapeException("segment holds " + data.byteSize() + " bytes but shape "
                    + Arrays.toString(shape) + " needs " + (long) n * Float.BYTES);
        }
        float[] copy = data.toArray(ValueLayout.JAVA_FLOAT);
        return new Tensor(DType.FLOAT, shape.clone(), copy, null);
    }

    /** An integer or BOOL tensor over {@code data} (not copied). */
    public static Tensor ofLongs(DType dtype, long[] data, int... shape) {
        if (dtype.isFloat()) {
            throw new IllegalArgumentException("ofLongs needs an integer dtype, got " + dtype);
        }
        checkLength(data.length, shape);
        return new Tensor(dtype, shape.clone(), null, data);
    }

    /** An INT64 tensor over {@code data} (not copied). */
    public static Tensor ofLongs(long[] data, int... shape) {
        return ofLongs(DType.INT64, data, shape);
    }

    /** A 1-D INT64 tensor, the form shapes and axes take. */
    public static Tensor vector(long... values) {
        return ofLongs(DType.INT64, values.clone(), values.length);
    }

    /** A FLOAT scalar (rank 0). */
    public static Tensor scalar(float value) {
        return new Tensor(DType.FLOAT, new int[0], new float[] {value}, null);
    }

    /** A zero-filled tensor. */
    public static Tensor zeros(DType dtype, int... shape) {
        int n = checkedSize(shape);
        long bytes = (long) n * (dtype.isFloat() ? Float.BYTES : Long.BYTES);
        if (bytes > Runtime.getRuntime().maxMemory()) {
            // Fails with a message instead of an OutOfMemoryError that may hit another thread.
            throw new ShapeException("shape " + Arrays.toString(shape) + " of " + dtype
                    + " needs " + bytes + " bytes, more than the whole Java heap ("
                    + Runtime.getRuntime().maxMemory() + " bytes; see -Xmx)");
        }
        return dtype.isFloat() ? new Tensor(dtype, shape.clone(), new float[n], null)
                : new Tensor(dtype, shape.clone(), null, new long[n]);
    }

    /** Converts file data to a tensor; DOUBLE values narrow to FLOAT. */
    public static Tensor from(TensorData data) {
        int[] shape = new int[data.dims().length];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = Math.toIntExact(data.dims()[i]);
        }
        if (data.type() == ElementType.DOUBLE) {
            double[] d = data.doubles();
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            return new Tensor(DType.FLOAT, shape, f, null);
        }
        if (data.type().isFloatingPoint32()) {
            return new Tensor(DType.FLOAT, shape, data.floats(), null);
        }
        DType dtype = DType.of(data.type());
        if (dtype == null) {
            throw new ShapeException("tensor '" + data.name() + "': element type " + data.type()
                    + " is not supported by the runtime");
        }
        return new Tensor(dtype, shape, null, data.longs());
    }

    /** Converts to file data under the given name. */
    public TensorData toData(String name) {
        long[] dims = new long[shape.length];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape[i];
        }
        return new TensorData(name, dtype.element(), dims, dtype.isFloat()
                ? (floats.length == size ? floats : Arrays.copyOf(floats, size)) : longs);
    }

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** The shape array itself, for kernels that only read it. */
    public int[] shapeView() {
        return shape;
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** The size of one dimension; negative axes count from the end. */
    public int dim(int axis) {
        return shape[axis < 0 ? axis + shape.length : axis];
    }

    /** The number of elements. */
    public int size() {
        return size;
    }

    /**
     * The FLOAT values, row-major; kernels write into this array directly. Inside a run the
     * array may be longer than {@link #size()} (a recycled one): only the first {@code size()}
     * values are the tensor's. A tensor a session hands to its caller has an array of exactly
     * its size.
     */
    public float[] floats() {
        if (floats == null) {
            throw new ShapeException("tensor is " + dtype + ", expected FLOAT");
        }
        return floats;
    }

    /** The integer or BOOL values, row-major. */
    public long[] longs() {
        if (longs == null) {
            throw new ShapeException("tensor is " + dtype + ", expected an integer type");
        }
        return longs;
    }

    /** Value {@code i} widened to double, whatever the dtype. */
    public double getDouble(int i) {
        return floats != null ? floats[i] : longs[i];
    }

    /** Value {@code i} as a long (FLOAT values truncate toward zero). */
    public long getLong(int i) {
        return longs != null ? longs[i] : (long) floats[i];
    }

    /** The same values viewed with another shape of equal size (no copy). */
    public Tensor reshape(int... newShape) {
        if (checkedSize(newShape) != size) {
            throw new ShapeException("shape " + Arrays.toString(newShape) + " needs "
                    + checkedSize(newShape) + " values but " + size + " were given");
        }
        return new Tensor(dtype, newShape.clone(), floats, longs);
    }

    /** A deep copy. */
    public Tensor copy() {
        return new Tensor(dtype, shape.clone(),
                floats == null ? null : Arrays.copyOf(floats, size),
                longs == null ? null : longs.clone());
    }

    /** The product of a shape, checked against the largest Java array. */
    public static int checkedSize(int... shape) {
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new ShapeException("shape " + Arrays.toString(shape) + ": dimension " + i
                        + " is negative");
            }
            n *= shape[i];
            if (n > Integer.MAX_VALUE - 8) {
                throw new ShapeException("shape " + Arrays.toString(shape)
                        + " holds more elements than one tensor can (" + (Integer.MAX_VALUE - 8)
                        + ")");
            }
        }
        return (int) n;
    }

    private static void checkLength(int length, int[] shape) {
        int n = checkedSize(shape);
        if (length != n) {
            throw new ShapeException("shape " + Arrays.toString(shape) + " needs " + n
                    + " values but " + length + " were given");
        }
    }

    @Override
    public String toString() {
        return "Tensor[" + dtype + " " + Arrays.toString(shape) + "]";
    }
}
