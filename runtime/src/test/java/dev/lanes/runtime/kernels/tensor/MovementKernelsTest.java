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

class MovementKernelsTest {
    @Test
    void transposeDefaultReversesAxes() {
        assertTensor(s(3, 2), v(0, 3, 1, 4, 2, 5), run(new TransposeKernel(null), iota(2, 3)));
    }

    @Test
    void transposeMatchesIndexFormula() {
        Tensor x = iota(DType.UINT8, 2, 3, 4, 5);
        int[] perm = {2, 0, 3, 1};
        Tensor out = run(new TransposeKernel(perm), x);
        assertArrayEquals(s(4, 2, 5, 3), out.shapeView());
        int[] st = Elements.strides(x.shapeView());
        int i = 0;
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 2; b++) {
                for (int c = 0; c < 5; c++) {
                    for (int d = 0; d < 3; d++) {
                        long want = (long) b * st[0] + d * st[1] + a * st[2] + c * st[3];
                        assertEquals(want, out.longs()[i++]);
                    }
                }
            }
        }
        assertThrows(ShapeException.class, () -> run(new TransposeKernel(new int[] {0, 0, 1, 2}),
                x));
    }

    @Test
    void expandBroadcastsBothWays() {
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 3, 1);
        // [3,1] with [2,1,4]: the requested 1 keeps the input's 3.
        Tensor out = run(new ExpandKernel(), x, Tensor.vector(2, 1, 4));
        assertArrayEquals(s(2, 3, 4), out.shapeView());
        assertEquals(3f, out.floats()[2 * 4 + 3]);
        assertEquals(1f, out.floats()[12]);
        assertArrayEquals(s(3, 2), run(new ExpandKernel(), x, Tensor.vector(2)).shapeView());
        assertThrows(ShapeException.class, () -> run(new ExpandKernel(), x, Tensor.vector(2, 4)));
    }

    @Test
    void tileRepeatsEachAxis() {
        Tensor x = Tensor.ofLongs(DType.INT32, new long[] {1, 2, 3, 4}, 2, 2);
        Tensor out = run(new TileKernel(), x, Tensor.vector(2, 3));
        assertArrayEquals(s(4, 6), out.shapeView());
        assertArrayEquals(new long[] {1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4, 1, 2, 1, 2, 1, 2, 3,
            4, 3, 4, 3, 4}, out.longs());
        assertArrayEquals(s(0, 2), run(new TileKernel(), x, Tensor.vector(0, 1)).shapeView());
        assertThrows(ShapeException.class, () -> run(new TileKernel(), x, Tensor.vector(2)));
        // Opset 1 form: a count and an axis.
        Tensor legacy = run(new TileKernel(true), x, Tensor.ofLongs(new long[] {3}),
                Tensor.ofLongs(new long[] {-1}));
        assertArrayEquals(s(2, 6), legacy.shapeView());
        assertArrayEquals(new long[] {1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4}, legacy.longs());
    }

    @Test
    void gatherWithNegativeAndMatrixIndices() {
        Tensor data = iota(3, 4);
        Tensor idx = Tensor.ofLongs(new long[] {-1, 0, 1, 1}, 2, 2);
        Tensor out = run(new GatherKernel(1), data, idx);
        assertArrayEquals(s(3, 2, 2), out.shapeView());
        assertTensor(s(3, 2, 2), v(3, 0, 1, 1, 7, 4, 5, 5, 11, 8, 9, 9), out);
        Tensor scalar = run(new GatherKernel(0), Tensor.vector(5, 6, 7),
                Tensor.ofLongs(new long[] {-2}));
        assertArrayEquals(s(), scalar.shapeView());
        assertArrayEquals(new long[] {6}, scalar.longs());
        assertThrows(ShapeException.class, () -> run(new GatherKernel(0), data,
                Tensor.vector(3)));
    }

    @Test
    void gatherElementsPicksAlongAxis() {
        Tensor data = iota(2, 2);
        Tensor idx = Tensor.ofLongs(new long[] {0, 0, 1, -2}, 2, 2);
        assertTensor(s(2, 2), v(0, 1, 2, 1), run(new GatherElementsKernel(0), data, idx));
        assertTensor(s(2, 2), v(0, 0, 3, 2), run(new GatherElementsKernel(1), data, idx));
    }

    @Test
    void inputsAreNotWritten() {
        Tensor x = iota(2, 3);
        float[] before = x.floats().clone();
        run(new TransposeKernel(null), x);
        run(new ExpandKernel(), x, Tensor.vector(2, 2, 3));
        run(new SliceKernel(), x, Tensor.vector(0), Tensor.vector(1));
        run(new ConcatKernel(0), x, x);
        assertArrayEquals(before, x.floats());
    }
}
