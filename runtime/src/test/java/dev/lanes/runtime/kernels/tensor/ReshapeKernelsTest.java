package dev.lanes.runtime.kernels.tensor;

import static dev.lanes.runtime.kernels.tensor.KernelTestSupport.iota;
import static dev.lanes.runtime.kernels.tensor.KernelTestSupport.run;
import static dev.lanes.runtime.kernels.tensor.KernelTestSupport.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Tensor;
import org.junit.jupiter.api.Test;

class ReshapeKernelsTest {
    @Test
    void reshapeCopiesZerosAndInfersMinusOne() {
        Tensor x = iota(2, 3, 4);
        Tensor out = run(new ReshapeKernel(false), x, Tensor.vector(0, -1, 2));
        assertArrayEquals(s(2, 6, 2), out.shapeView());
        assertSame(x.floats(), out.floats(), "a reshape is a view");
        assertArrayEquals(s(3, 4, 0), ReshapeKernel.resolve(s(0, 3, 4), new long[] {3, 4, 0},
                true));
        assertArrayEquals(s(6, 4), run(new ReshapeKernel(new long[] {-1, 4}, false), x)
                .shapeView());
    }

    @Test
    void reshapeRejectsBadShapes() {
        Tensor x = iota(2, 3, 4);
        var e = assertThrows(ShapeException.class,
                () -> run(new ReshapeKernel(false), x, Tensor.vector(5, -1)));
        assertTrue(e.getMessage().contains("24"), e.getMessage());
        assertThrows(ShapeException.class,
                () -> run(new ReshapeKernel(false), x, Tensor.vector(-1, -1)));
        assertThrows(ShapeException.class,
                () -> run(new ReshapeKernel(false), x, Tensor.vector(2, 3, 5)));
        assertThrows(ShapeException.class,
                () -> run(new ReshapeKernel(false), x, Tensor.vector(0, 0, 0, 0)));
    }

    @Test
    void flattenAtEveryAxis() {
        Tensor x = iota(2, 3, 4);
        assertArrayEquals(s(1, 24), run(new FlattenKernel(0), x).shapeView());
        assertArrayEquals(s(6, 4), run(new FlattenKernel(2), x).shapeView());
        assertArrayEquals(s(24, 1), run(new FlattenKernel(3), x).shapeView());
        assertArrayEquals(s(2, 12), run(new FlattenKernel(-2), x).shapeView());
        assertThrows(ShapeException.class, () -> run(new FlattenKernel(4), x));
    }

    @Test
    void squeezeGivenAxesOrAllOnes() {
        Tensor x = iota(1, 3, 1, 2);
        assertArrayEquals(s(3, 2), run(new SqueezeKernel(null), x).shapeView());
        assertArrayEquals(s(1, 3, 2), run(new SqueezeKernel(new long[] {-2}), x).shapeView());
        assertArrayEquals(s(3, 1, 2), run(new SqueezeKernel(null), x, Tensor.vector(0))
                .shapeView());
        assertThrows(ShapeException.class, () -> run(new SqueezeKernel(new long[] {1}), x));
    }

    @Test
    void unsqueezeAtPositionsOfTheOutput() {
        Tensor x = iota(DType.INT32, 3, 4);
        assertArrayEquals(s(3, 1, 4, 1), run(new UnsqueezeKernel(new long[] {-1, 1}), x)
                .shapeView());
        assertArrayEquals(s(1), run(new UnsqueezeKernel(null), Tensor.ofLongs(new long[] {7}),
                Tensor.vector(0)).shapeView());
        assertThrows(ShapeException.class,
                () -> run(new UnsqueezeKernel(new long[] {1, 1}), x));
        assertThrows(ShapeException.class, () -> run(new UnsqueezeKernel(new long[] {3}), x));
    }

    @Test
    void shapeAndSize() {
        Tensor x = iota(2, 3, 4);
        assertArrayEquals(new long[] {2, 3, 4}, run(new ShapeKernel(), x).longs());
        assertArrayEquals(new long[] {3}, run(new ShapeKernel(1, -1), x).longs());
        assertArrayEquals(new long[] {}, run(new ShapeKernel(2, 1), x).longs());
        assertArrayEquals(new long[] {2, 3, 4}, run(new ShapeKernel(-10, 10), x).longs());
        Tensor size = run(new SizeKernel(), x);
        assertArrayEquals(s(), size.shapeView());
        assertArrayEquals(new long[] {24}, size.longs());
    }
}
