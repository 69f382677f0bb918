package dev.lanes.runtime.kernels.tensor;

import static dev.lanes.runtime.kernels.tensor.KernelTestSupport.assertTensor;
import static dev.lanes.runtime.kernels.tensor.KernelTestSupport.iota;
import static dev.lanes.runtime.kernels.tensor.KernelTestSupport.run;
import static dev.lanes.runtime.kernels.tensor.KernelTestSupport.s;
import static dev.lanes.runtime.kernels.tensor.KernelTestSupport.v;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import org.junit.jupiter.api.Test;

class ConcatSplitKernelTest {
    @Test
    void concatsAlongInnerAxisWithNegativeAxis() {
        Tensor a = iota(2, 2);
        Tensor b = Tensor.of(new float[] {10, 11, 12, 13, 14, 15}, 2, 3);
        assertTensor(s(2, 5), v(0, 1, 10, 11, 12, 2, 3, 13, 14, 15),
                run(new ConcatKernel(-1), a, b));
    }

    @Test
    void concatsIntegersAndSkipsEmptyInputs() {
        Tensor a = Tensor.vector(1, 2);
        Tensor empty = Tensor.vector();
        Tensor b = Tensor.vector(3);
        Tensor out = run(new ConcatKernel(0), a, empty, b);
        assertEquals(DType.INT64, out.dtype());
        assertArrayEquals(new long[] {1, 2, 3}, out.longs());
    }

    @Test
    void concatRejectsMismatchedShapesAndTypes() {
        var e = assertThrows(ShapeException.class,
                () -> run(new ConcatKernel(0), iota(2, 2), iota(2, 3)));
        assertTrue(e.getMessage().contains("axis 1"), e.getMessage());
        assertThrows(ShapeException.class,
                () -> run(new ConcatKernel(0), iota(2), Tensor.vector(1, 2)));
        assertThrows(ShapeException.class, () -> run(new ConcatKernel(2), iota(2, 2)));
    }

    @Test
    void splitsBySizesFromInputOrConstructor() {
        Tensor x = iota(2, 5);
        Tensor[] fromInput = new SplitKernel(1, null, 2, false)
                .run(new Tensor[] {x, Tensor.vector(2, 3)}, RunContext.serial());
        Tensor[] fromAttr = new SplitKernel(-1, new long[] {2, 3}, 2, false)
                .run(new Tensor[] {x}, RunContext.serial());
        for (Tensor[] parts : new Tensor[][] {fromInput, fromAttr}) {
            assertTensor(s(2, 2), v(0, 1, 5, 6), parts[0]);
            assertTensor(s(2, 3), v(2, 3, 4, 7, 8, 9), parts[1]);
        }
    }

    @Test
    void splitsEvenlyOrWithSmallerLastPart() {
        Tensor x = Tensor.ofLongs(DType.INT32, new long[] {0, 1, 2, 3, 4, 5, 6}, 7);
        Tensor[] parts = new SplitKernel(0, null, 3, true)
                .run(new Tensor[] {x}, RunContext.serial());
        assertArrayEquals(new long[] {0, 1, 2}, parts[0].longs());
        assertArrayEquals(new long[] {3, 4, 5}, parts[1].longs());
        assertArrayEquals(new long[] {6}, parts[2].longs());
        assertThrows(ShapeException.class, () -> new SplitKernel(0, null, 3, false)
                .run(new Tensor[] {x}, RunContext.serial()));
        Tensor[] zero = new SplitKernel(0, new long[] {0, 7}, 2, false)
                .run(new Tensor[] {x}, RunContext.serial());
        assertEquals(0, zero[0].size());
        assertEquals(7, zero[1].size());
    }

    @Test
    void splitRejectsSizesThatDoNotAddUp() {
        var e = assertThrows(ShapeException.class, () -> new SplitKernel(0, new long[] {2, 2},
                2, false).run(new Tensor[] {iota(5)}, RunContext.serial()));
        assertTrue(e.getMessage().contains("sum to 4"), e.getMessage());
    }
}
