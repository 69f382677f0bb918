package dev.lanes.runtime.kernels.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;

/** Small helpers shared by the tensor kernel tests. */
final class KernelTestSupport {
    private KernelTestSupport() {
    }

    /** A FLOAT tensor holding 0, 1, 2, ... of the given shape. */
    static Tensor iota(int... shape) {
        float[] v = new float[Tensor.checkedSize(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return Tensor.of(v, shape);
    }

    /** A tensor of the dtype holding 0, 1, 2, ... of the given shape. */
    static Tensor iota(DType dtype, int... shape) {
        if (dtype.isFloat()) {
            return iota(shape);
        }
        long[] v = new long[Tensor.checkedSize(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return Tensor.ofLongs(dtype, v, shape);
    }

    /** Runs a kernel serially and returns its first output. */
    static Tensor run(Kernel k, Tensor... in) {
        return k.run(in, RunContext.serial())[0];
    }

    /** Asserts shape and values (as doubles) of a tensor. */
    static void assertTensor(int[] shape, double[] values, Tensor t) {
        assertArrayEquals(shape, t.shapeView(), "shape");
        assertEquals(values.length, t.size(), "size");
        double[] got = new double[t.size()];
        for (int i = 0; i < got.length; i++) {
            got[i] = t.getDouble(i);
        }
        assertArrayEquals(values, got);
    }

    /** Shorthand for an int array. */
    static int[] s(int... v) {
        return v;
    }

    /** Shorthand for a double array. */
    static double[] v(double... v) {
        return v;
    }
}
