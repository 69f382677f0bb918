package dev.lanes.runtime.kernels.tensor;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import java.util.Arrays;

/**
 * Helpers for kernels that move values without looking at them: they work on the backing array
 * of any dtype ({@code float[]} or {@code long[]}) through {@link System#arraycopy} and strided
 * views, so one code path serves every element type.
 */
public final class Elements {
    private Elements() {
    }

    /** The backing array of a tensor: a {@code float[]} or a {@code long[]}. */
    public static Object array(Tensor t) {
        return t.dtype().isFloat() ? t.floats() : t.longs();
    }

    /** Row-major strides of a shape. */
    public static int[] strides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= shape[i];
        }
        return st;
    }

    /** The product of {@code shape[from..to)}. */
    public static int product(int[] shape, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) {
            p *= shape[i];
        }
        return p;
    }

    /**
     * An axis in {@code [-rank, rank)} made non-negative; anything else is a
     * {@link ShapeException} naming {@code what}.
     */
    public static int axis(long axis, int rank, String what) {
        if (axis < -rank || axis >= rank) {
            throw new ShapeException(what + " " + axis + " is out of range for rank " + rank
                    + " (must be in [" + -rank + ", " + (rank - 1) + "])");
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    /** The values of an integer tensor (shape, axes, indices); a FLOAT tensor is an error. */
    public static long[] integers(Tensor t, String what) {
        if (t.dtype().isFloat()) {
            throw new ShapeException(what + " must be an integer tensor, got " + t.dtype());
        }
        return t.longs();
    }

    /** A dimension computed from 64-bit arithmetic, checked to fit a Java array dimension. */
    public static int dim(long d, String what) {
        if (d < 0 || d > Integer.MAX_VALUE - 8) {
            throw new ShapeException(what + ": dimension " + d + " is out of range");
        }
        return (int) d;
    }

    /**
     * Copies a strided view of {@code src} into {@code dst} (dense, row-major, of the view's
     * shape): element {@code (i0, ..., ik)} of the view is {@code src[offset + sum(ij *
     * strides[j])]}. Strides may be 0 (broadcast) or negative (reversed).
     */
    public static void copyView(Object src, int offset, int[] strides, int[] shape, Object dst) {
        int rank = shape.length;
        int total = product(shape, 0, rank);
        if (total == 0) {
            return;
        }
        if (rank == 0) {
            System.arraycopy(src, offset, dst, 0, 1);
            return;
        }
        int rowLen = shape[rank - 1];
        int rowStride = strides[rank - 1];
        int rows = total / rowLen;
        int[] idx = new int[rank];
        int base = offset;
        for (int r = 0, out = 0; r < rows; r++, out += rowLen) {
            copyRow(src, base, rowStride, dst, out, rowLen);
            for (int d = rank - 2; d >= 0; d--) {
                idx[d]++;
                base += strides[d];
                if (idx[d] < shape[d]) {
                    break;
                }
                base -= strides[d] * shape[d];
                idx[d] = 0;
            }
        }
    }

    private static void copyRow(Object src, int from, int stride, Object dst, int to, int n) {
        if (stride == 1) {
            System.arraycopy(src, from, dst, to, n);
        } else if (src instanceof float[] f) {
            float[] o = (float[]) dst;
            for (int i = 0, s = from; i < n; i++, s += stride) {
                o[to + i] = f[s];
            }
        } else {
            long[] l = (long[]) src;
            long[] o = (long[]) dst;
            for (int i = 0, s = from; i < n; i++, s += stride) {
                o[to + i] = l[s];
            }
        }
    }

    /** Copies {@code src[map[i]]} to {@code dst[i]} for every {@code i} of {@code map}. */
    public static void gather(Object src, int[] map, Object dst) {
        if (src instanceof float[] f) {
            float[] o = (float[]) dst;
            for (int i = 0; i < map.length; i++) {
                o[i] = f[map[i]];
            }
        } else {
            long[] l = (long[]) src;
            long[] o = (long[]) dst;
            for (int i = 0; i < map.length; i++) {
                o[i] = l[map[i]];
            }
        }
    }

    /**
     * An output tensor of the dtype and shape with UNDEFINED contents, for kernels that write
     * every element: FLOAT from the run's memory plan ({@link RunContext#output}), other dtypes
     * allocated (the plan holds floats only).
     */
    public static Tensor output(DType dtype, int[] shape, RunContext ctx) {
        return dtype.isFloat() ? ctx.output(shape) : Tensor.zeros(dtype, shape);
    }

    /** Checks that every present input has the dtype of the first. */
    public static void sameDType(Tensor[] in, String op) {
        DType first = null;
        for (Tensor t : in) {
            if (t == null) {
                continue;
            }
            if (first == null) {
                first = t.dtype();
            } else if (t.dtype() != first) {
                throw new ShapeException(op + ": inputs have different element types (" + first
                        + " and " + t.dtype() + ")");
            }
        }
    }

    /** The shape as text, for messages. */
    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }
}
