package dev.lanes.runtime.kernels.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.spatial.ResizeKernel.AspectPolicy;
import dev.lanes.runtime.kernels.spatial.ResizeKernel.CoordinateMode;
import dev.lanes.runtime.kernels.spatial.ResizeKernel.Mode;
import dev.lanes.runtime.kernels.spatial.ResizeKernel.NearestMode;
import org.junit.jupiter.api.Test;

class NormAndResizeKernelsTest {
    private static final RunContext CTX = RunContext.serial();

    @Test
    void batchNormPerChannel() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 2);
        Tensor y = new BatchNormKernel(0f).run(new Tensor[] {x,
            Tensor.of(new float[] {2, 1}, 2), Tensor.of(new float[] {0, 10}, 2),
            Tensor.of(new float[] {1, 3}, 2), Tensor.of(new float[] {4, 1}, 2)}, CTX)[0];
        // Channel 0: (x - 1) / 2 * 2; channel 1: (x - 3) + 10.
        assertArrayEquals(new float[] {0, 1, 10, 11}, y.floats(), 1e-6f);
    }

    @Test
    void instanceNormZeroMeanUnitVariance() {
        Tensor x = Tensor.of(new float[] {1, 3, 10, 10}, 1, 2, 2);
        Tensor y = new InstanceNormKernel(0f).run(new Tensor[] {x,
            Tensor.of(new float[] {1, 1}, 2), Tensor.of(new float[] {0, 5}, 2)}, CTX)[0];
        assertArrayEquals(new float[] {-1, 1}, new float[] {y.floats()[0], y.floats()[1]}, 1e-6f);
    }

    @Test
    void lrnSingleChannelWindow() {
        Tensor x = Tensor.of(new float[] {2}, 1, 1, 1, 1);
        float y = new LrnKernel(1f, 1f, 1f, 1).run(new Tensor[] {x}, CTX)[0].floats()[0];
        assertEquals(2f / (1 + 4), y, 1e-6f);
    }

    private static ResizeKernel.Settings settings(Mode mode, CoordinateMode coord) {
        return new ResizeKernel.Settings(mode, coord, NearestMode.ROUND_PREFER_FLOOR, -0.75f,
                false, 0f, false, AspectPolicy.STRETCH, null, null, -1, 1, -1);
    }

    @Test
    void nearestUpsampleRepeats() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        ResizeKernel.Settings s = new ResizeKernel.Settings(Mode.NEAREST,
                CoordinateMode.ASYMMETRIC, NearestMode.FLOOR, -0.75f, false, 0f, false,
                AspectPolicy.STRETCH, null, null, -1, 1, -1);
        Tensor y = new ResizeKernel(s).run(new Tensor[] {x,
            Tensor.of(new float[] {1, 1, 2, 3}, 4)}, CTX)[0];
        assertArrayEquals(new int[] {1, 1, 4, 6}, y.shapeView());
        assertArrayEquals(new float[] {1, 1, 1, 2, 2, 2}, java.util.Arrays.copyOf(y.floats(), 6));
    }

    @Test
    void nearestWorksOnIntegers() {
        Tensor x = Tensor.ofLongs(dev.lanes.runtime.DType.UINT8, new long[] {1, 2}, 1, 2);
        Tensor y = new ResizeKernel(settings(Mode.NEAREST, CoordinateMode.ASYMMETRIC)).run(
                new Tensor[] {x, Tensor.of(new float[] {1, 2}, 2)}, CTX)[0];
        assertArrayEquals(new long[] {1, 1, 2, 2}, y.longs());
    }

    @Test
    void bilinearAlignCornersHitsCorners() {
        Tensor x = Tensor.of(new float[] {0, 3, 6, 9}, 1, 1, 2, 2);
        Tensor y = new ResizeKernel(settings(Mode.LINEAR, CoordinateMode.ALIGN_CORNERS)).run(
                new Tensor[] {x, Tensor.of(new float[] {1, 1, 2, 2}, 4)}, CTX)[0];
        float[] v = y.floats();
        assertEquals(0f, v[0], 1e-6f);
        assertEquals(3f, v[3], 1e-6f);
        assertEquals(9f, v[15], 1e-6f);
        // Row 0 is 0, 1, 2, 3 (thirds of the way).
        assertArrayEquals(new float[] {0, 1, 2, 3}, java.util.Arrays.copyOf(v, 4), 1e-5f);
    }

    @Test
    void cubicOnConstantInputIsConstant() {
        float[] v = new float[16];
        java.util.Arrays.fill(v, 5f);
        Tensor y = new ResizeKernel(settings(Mode.CUBIC, CoordinateMode.HALF_PIXEL)).run(
                new Tensor[] {Tensor.of(v, 1, 1, 4, 4), Tensor.of(new float[] {1, 1, 1.5f, 0.5f},
                    4)}, CTX)[0];
        assertArrayEquals(new int[] {1, 1, 6, 2}, y.shapeView());
        for (float f : y.floats()) {
            assertEquals(5f, f, 1e-5f);
        }
    }
}
