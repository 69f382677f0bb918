package dev.lanes.runtime.kernels.tensor;

import static dev.lanes.runtime.kernels.tensor.KernelTestSupport.assertTensor;
import static dev.lanes.runtime.kernels.tensor.KernelTestSupport.iota;
import static dev.lanes.runtime.kernels.tensor.KernelTestSupport.run;
import static dev.lanes.runtime.kernels.tensor.KernelTestSupport.s;
import static dev.lanes.runtime.kernels.tensor.KernelTestSupport.v;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Tensor;
import org.junit.jupiter.api.Test;

class GeneratorKernelsTest {
    @Test
    void constantOfShapeTakesTheValuesType() {
        Tensor out = run(new ConstantOfShapeKernel(Tensor.ofLongs(DType.INT32, new long[] {7},
                1)), Tensor.vector(2, 3));
        assertEquals(DType.INT32, out.dtype());
        assertArrayEquals(new long[] {7, 7, 7, 7, 7, 7}, out.longs());
        Tensor empty = run(new ConstantOfShapeKernel(Tensor.scalar(1f)), Tensor.vector(0));
        assertArrayEquals(s(0), empty.shapeView());
        assertThrows(ShapeException.class, () -> run(new ConstantOfShapeKernel(Tensor.scalar(0f)),
                Tensor.vector(-1)));
    }

    @Test
    void rangeCountsUpAndDown() {
        Tensor f = run(new RangeKernel(), Tensor.scalar(1f), Tensor.scalar(2f),
                Tensor.scalar(0.25f));
        assertTensor(s(4), v(1, 1.25, 1.5, 1.75), f);
        Tensor i = run(new RangeKernel(), Tensor.ofLongs(DType.INT32, new long[] {10}),
                Tensor.ofLongs(DType.INT32, new long[] {4}),
                Tensor.ofLongs(DType.INT32, new long[] {-3}));
        assertArrayEquals(new long[] {10, 7}, i.longs());
        Tensor none = run(new RangeKernel(), Tensor.ofLongs(new long[] {5}),
                Tensor.ofLongs(new long[] {1}), Tensor.ofLongs(new long[] {1}));
        assertEquals(0, none.size());
        assertThrows(ShapeException.class, () -> run(new RangeKernel(),
                Tensor.ofLongs(new long[] {0}), Tensor.ofLongs(new long[] {5}),
                Tensor.ofLongs(new long[] {0})));
    }

    @Test
    void nonZeroListsCoordinates() {
        Tensor x = Tensor.of(new float[] {0, 2, 3, 0, 0, 1}, 2, 3);
        Tensor out = run(new NonZeroKernel(), x);
        assertArrayEquals(s(2, 3), out.shapeView());
        assertArrayEquals(new long[] {0, 0, 1, 1, 2, 2}, out.longs());
    }

    @Test
    void eyeLikeOffDiagonal() {
        assertTensor(s(3, 4), v(0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1),
                run(new EyeLikeKernel(null, 1), iota(3, 4)));
        Tensor below = run(new EyeLikeKernel(DType.INT64, -2), iota(3, 3));
        assertArrayEquals(new long[] {0, 0, 0, 0, 0, 0, 1, 0, 0}, below.longs());
    }
}
