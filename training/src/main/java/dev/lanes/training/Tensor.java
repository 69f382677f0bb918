package dev.lanes.training;

import dev.lanes.errors.ShapeException;
import java.util.Arrays;

/**
 * A dense float tensor for training: a row-major array and its shape (NCHW for images, [N, F]
 * for features). The array is exposed, not copied, because layers and backends read and write it
 * in their loops; a tensor is owned by whoever made it and is not shared across threads while
 * written.
 */
public final class Tensor {
    private final float[] data;
    private final int[] shape;

    /** Wraps {@code data} (not copied) with {@code shape}; their sizes must agree. */
    public Tensor(int[] shape, float[] data) {
        long size = sizeOf(shape);
        if (size != data.length) {
            throw new ShapeException("tensor of shape " + shapeString(shape) + " needs " + size
                    + " elements, got " + data.length);
        }
        this.shape = shape.clone();
        this.data = data;
    }

    /** A tensor of zeros of {@code shape}. */
    public static Tensor zeros(int... shape) {
        long size = sizeOf(shape);
        if (size > Integer.MAX_VALUE - 8) {
            throw new ShapeException("tensor of shape " + shapeString(shape) + " is too large: "
                    + size + " elements");
        }
        return new Tensor(shape, new float[(int) size]);
    }

    /** The elements, row-major; writes are seen by this tensor. */
    public float[] data() {
        return data;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** The number of axes. */
    public int rank() {
        return shape.length;
    }

    /** The extent of {@code axis}. */
    public int dim(int axis) {
        return shape[axis];
    }

    /** The number of elements. */
    public int size() {
        return data.length;
    }

    /** A tensor of another shape of the same size over the same array (writes are shared). */
    public Tensor reshape(int... newShape) {
        if (sizeOf(newShape) != data.length) {
            throw new ShapeException("cannot reshape " + shapeString(shape) + " to "
                    + shapeString(newShape) + ": sizes differ");
        }
        return new Tensor(newShape, data);
    }

    /** A deep copy. */
    public Tensor copy() {
        return new Tensor(shape, data.clone());
    }

    /** True when {@code other} has the same shape as this tensor. */
    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    /** The shape as {@code [2, 3, 4]}. */
    public String shapeString() {
        return shapeString(shape);
    }

    /** {@code shape} as {@code [2, 3, 4]}, for error messages. */
    public static String shapeString(int[] shape) {
        return Arrays.toString(shape);
    }

    private static long sizeOf(int[] shape) {
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new ShapeException("negative dimension in shape " + shapeString(shape));
            }
            size *= d;
            if (size > Integer.MAX_VALUE) {
                throw new ShapeException("tensor of shape " + shapeString(shape) + " is too large");
            }
        }
        return size;
    }

    @Override
    public String toString() {
        return "Tensor" + shapeString();
    }
}
