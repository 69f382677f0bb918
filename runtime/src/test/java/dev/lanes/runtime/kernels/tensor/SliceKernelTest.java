package dev.lanes.runtime.kernels.tensor;

import static dev.lanes.runtime.kernels.tensor.KernelTestSupport.assertTensor;
import static dev.lanes.runtime.kernels.tensor.KernelTestSupport.iota;
import static dev.lanes.runtime.kernels.tensor.KernelTestSupport.run;
import static dev.lanes.runtime.kernels.tensor.KernelTestSupport.s;
import static dev.lanes.runtime.kernels.tensor.KernelTestSupport.v;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Tensor;
import org.junit.jupiter.api.Test;

class SliceKernelTest {
    private static Tensor slice(Tensor x, long[] starts, long[] ends, long[] axes, long[] steps) {
        return run(new SliceKernel(), x, Tensor.vector(starts), Tensor.vector(ends),
                axes == null ? null : Tensor.vector(axes),
                steps == null ? null : Tensor.vector(steps));
    }

    @Test
    void slicesWithNegativeIndicesAndHugeEnds() {
        Tensor x = iota(3, 4);
        assertTensor(s(2, 3), v(5, 6, 7, 9, 10, 11),
                slice(x, new long[] {-2, 1}, new long[] {Long.MAX_VALUE, 100}, null, null));
    }

    @Test
    void slicesBackwardsWithNegativeSteps() {
        Tensor x = iota(3, 4);
        // Every other column from the last, all rows reversed.
        assertTensor(s(3, 2), v(11, 9, 7, 5, 3, 1),
                slice(x, new long[] {-1, -1}, new long[] {Long.MIN_VALUE, Long.MIN_VALUE},
                        new long[] {0, 1}, new long[] {-1, -2}));
    }

    @Test
    void slicesOnlyTheGivenAxes() {
        Tensor x = iota(DType.INT64, 2, 3, 2);
        Tensor out = slice(x, new long[] {1}, new long[] {3}, new long[] {-2}, null);
        assertArrayEquals(s(2, 2, 2), out.shapeView());
        assertArrayEquals(new long[] {2, 3, 4, 5, 8, 9, 10, 11}, out.longs());
    }

    @Test
    void emptySliceWhenStartIsPastEnd() {
        Tensor out = slice(iota(5), new long[] {4}, new long[] {2}, null, null);
        assertArrayEquals(s(0), out.shapeView());
        Tensor out2 = slice(iota(5), new long[] {10}, new long[] {20}, null, null);
        assertArrayEquals(s(0), out2.shapeView());
    }

    @Test
    void attributeFormUsesConstructorArguments() {
        Tensor out = run(new SliceKernel(new long[] {0, 1}, new long[] {-1, 1000}, null),
                iota(3, 4));
        assertTensor(s(2, 3), v(1, 2, 3, 5, 6, 7), out);
    }

    @Test
    void rejectsZeroStepAndRepeatedAxes() {
        assertThrows(ShapeException.class,
                () -> slice(iota(4), new long[] {0}, new long[] {4}, null, new long[] {0}));
        assertThrows(ShapeException.class, () -> slice(iota(4, 4), new long[] {0, 0},
                new long[] {1, 1}, new long[] {0, -2}, null));
    }

    @Test
    void rangeMatchesNumpy() {
        assertArrayEquals(new long[] {9, 10}, SliceKernel.range(10, -1, Long.MIN_VALUE, -1));
        assertArrayEquals(new long[] {0, 0}, SliceKernel.range(10, 3, 3, 1));
        assertArrayEquals(new long[] {1, 3}, SliceKernel.range(10, 1, 8, 3));
        assertArrayEquals(new long[] {9, 5}, SliceKernel.range(10, 20, 0, -2));
        // Going backward a start before the axis clamps to 0, an end to -1.
        assertArrayEquals(new long[] {0, 1}, SliceKernel.range(6, -9, -8, -3));
        // The specification clamps a huge end to n-1 whatever the step.
        assertArrayEquals(new long[] {0, 0}, SliceKernel.range(2, -2, Long.MAX_VALUE, -2));
        assertArrayEquals(new long[] {0, 0}, SliceKernel.range(0, -1, Long.MIN_VALUE, -1));
    }
}
