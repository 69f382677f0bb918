package dev.lanes.runtime.kernels.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.lanes.runtime.DType;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import org.junit.jupiter.api.Test;

class PoolKernelTest {
    private static final RunContext CTX = RunContext.serial();

    private static Tensor grid4x4() {
        float[] v = new float[16];
        for (int i = 0; i < 16; i++) {
            v[i] = i + 1;
        }
        return Tensor.of(v, 1, 1, 4, 4);
    }

    @Test
    void maxPoolWithIndicesRowAndColumnMajor() {
        PoolKernel k = new PoolKernel(PoolKernel.Type.MAX, new int[] {2, 2}, new int[] {2, 2},
                null, null, AutoPad.NOTSET, false, false, 2, false, true);
        Tensor[] out = k.run(new Tensor[] {grid4x4()}, CTX);
        assertArrayEquals(new float[] {6, 8, 14, 16}, out[0].floats());
        assertArrayEquals(new long[] {5, 7, 13, 15}, out[1].longs());
        PoolKernel cm = new PoolKernel(PoolKernel.Type.MAX, new int[] {2, 2}, new int[] {2, 2},
                null, null, AutoPad.NOTSET, false, false, 2, true, true);
        assertArrayEquals(new long[] {5, 13, 7, 15}, cm.run(new Tensor[] {grid4x4()}, CTX)[1]
                .longs());
    }

    @Test
    void averagePoolCeilModeAndPadCounting() {
        // 3x3 windows, stride 2, ceil mode: the last window covers rows/cols 2..3 only.
        PoolKernel k = new PoolKernel(PoolKernel.Type.AVERAGE, new int[] {3, 3},
                new int[] {2, 2}, null, null, AutoPad.NOTSET, true, false, 2, false, false);
        assertArrayEquals(new float[] {6, 7.5f, 12, 13.5f},
                k.run(new Tensor[] {grid4x4()}, CTX)[0].floats());
        // With pad 1 and count_include_pad, the corner window averages 4 values over 9 cells.
        PoolKernel inc = new PoolKernel(PoolKernel.Type.AVERAGE, new int[] {3, 3},
                new int[] {3, 3}, null, new int[] {1, 1, 1, 1}, AutoPad.NOTSET, false, true, 2,
                false, false);
        float[] y = inc.run(new Tensor[] {grid4x4()}, CTX)[0].floats();
        assertArrayEquals(new float[] {(1 + 2 + 5 + 6) / 9f, (3 + 4 + 7 + 8) / 9f,
            (9 + 10 + 13 + 14) / 9f, (11 + 12 + 15 + 16) / 9f}, y, 1e-6f);
    }

    @Test
    void lpPoolAndGlobalPools() {
        PoolKernel lp = new PoolKernel(PoolKernel.Type.LP, new int[] {2}, null, null, null,
                AutoPad.NOTSET, false, false, 2, false, false);
        assertArrayEquals(new float[] {5, (float) Math.sqrt(16 + 25)},
                lp.run(new Tensor[] {Tensor.of(new float[] {3, 4, 5}, 1, 1, 3)}, CTX)[0]
                        .floats(), 1e-6f);
        Tensor x = grid4x4();
        assertArrayEquals(new float[] {8.5f}, new GlobalPoolKernel(PoolKernel.Type.AVERAGE, 2)
                .run(new Tensor[] {x}, CTX)[0].floats());
        assertArrayEquals(new float[] {16f}, new GlobalPoolKernel(PoolKernel.Type.MAX, 2)
                .run(new Tensor[] {x}, CTX)[0].floats());
    }

    @Test
    void maxPoolOnIntegers() {
        Tensor x = Tensor.ofLongs(DType.UINT8, new long[] {1, 9, 3, 4}, 1, 1, 4);
        PoolKernel k = new PoolKernel(PoolKernel.Type.MAX, new int[] {2}, null, null, null,
                AutoPad.NOTSET, false, false, 2, false, false);
        assertArrayEquals(new long[] {9, 9, 4}, k.run(new Tensor[] {x}, CTX)[0].longs());
    }
}
