package dev.lanes.runtime.kernels.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.lanes.runtime.DType;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LayoutKernelsTest {
    private static final RunContext CTX = RunContext.serial();

    @Test
    void padModesOnOneAxis() {
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 3);
        long[] pads = {2, 2};
        assertArrayEquals(new float[] {9, 9, 1, 2, 3, 9, 9}, new PadKernel(PadKernel.Mode.CONSTANT,
                pads, 9).run(new Tensor[] {x}, CTX)[0].floats());
        assertArrayEquals(new float[] {3, 2, 1, 2, 3, 2, 1}, new PadKernel(PadKernel.Mode.REFLECT,
                pads, 0).run(new Tensor[] {x}, CTX)[0].floats());
        assertArrayEquals(new float[] {1, 1, 1, 2, 3, 3, 3}, new PadKernel(PadKernel.Mode.EDGE,
                pads, 0).run(new Tensor[] {x}, CTX)[0].floats());
        assertArrayEquals(new float[] {2, 3, 1, 2, 3, 1, 2}, new PadKernel(PadKernel.Mode.WRAP,
                pads, 0).run(new Tensor[] {x}, CTX)[0].floats());
    }

    @Test
    void padFromInputsWithAxesAndNegativeCrop() {
        Tensor x = Tensor.ofLongs(DType.INT32, new long[] {1, 2, 3, 4, 5, 6}, 2, 3);
        // Axis 1 only: crop one at the start, add one 7 at the end.
        Tensor y = new PadKernel(PadKernel.Mode.CONSTANT).run(new Tensor[] {x,
            Tensor.vector(-1, 1), Tensor.ofLongs(DType.INT32, new long[] {7}), Tensor.vector(-1)},
                CTX)[0];
        assertArrayEquals(new int[] {2, 3}, y.shapeView());
        assertArrayEquals(new long[] {2, 3, 7, 5, 6, 7}, y.longs());
    }

    @Test
    void depthToSpaceAndSpaceToDepthInvert() {
        Random rnd = new Random(3);
        float[] v = new float[2 * 8 * 3 * 5];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextFloat();
        }
        Tensor x = Tensor.of(v, 2, 8, 3, 5);
        Tensor s = new DepthToSpaceKernel(2, false).run(new Tensor[] {x}, CTX)[0];
        assertArrayEquals(new int[] {2, 2, 6, 10}, s.shapeView());
        Tensor back = new SpaceToDepthKernel(2).run(new Tensor[] {s}, CTX)[0];
        assertArrayEquals(v, back.floats());
    }

    @Test
    void depthToSpaceCrdMode() {
        float[] v = {0, 1, 2, 3};
        Tensor y = new DepthToSpaceKernel(2, true).run(new Tensor[] {Tensor.of(v, 1, 4, 1, 1)},
                CTX)[0];
        assertArrayEquals(new float[] {0, 1, 2, 3}, y.floats());
        Tensor dcr = new DepthToSpaceKernel(2, false).run(new Tensor[] {Tensor.of(new float[] {
            0, 1, 2, 3, 4, 5, 6, 7}, 1, 8, 1, 1)}, CTX)[0];
        // DCR: output channel 0 takes input channels 0, 2, 4, 6.
        assertArrayEquals(new float[] {0, 2, 4, 6, 1, 3, 5, 7}, dcr.floats());
    }
}
