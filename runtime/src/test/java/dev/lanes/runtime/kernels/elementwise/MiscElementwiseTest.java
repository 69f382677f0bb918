package dev.lanes.runtime.kernels.elementwise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.lanes.runtime.DType;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import org.junit.jupiter.api.Test;

class MiscElementwiseTest {
    private static final RunContext CTX = RunContext.serial();

    @Test
    void castTruncatesWrapsAndRounds() {
        Tensor f = Tensor.of(new float[] {300.7f, -1.5f, 0f, 2.9f}, 4);
        assertArrayEquals(new long[] {44, -1, 0, 2},
                new Cast(DType.INT8).run(new Tensor[] {f}, CTX)[0].longs());
        assertArrayEquals(new long[] {1, 1, 0, 1},
                new Cast(DType.BOOL).run(new Tensor[] {f}, CTX)[0].longs());
        Tensor u = Tensor.ofLongs(DType.UINT64, new long[] {-1}, 1);
        assertEquals(1.8446744e19f, new Cast(DType.FLOAT).run(new Tensor[] {u}, CTX)[0]
                .floats()[0], 1e13f);
        Tensor half = new Cast(DType.FLOAT, Cast.Precision.HALF)
                .run(new Tensor[] {Tensor.of(new float[] {1.0001f, 70000f}, 2)}, CTX)[0];
        assertArrayEquals(new float[] {1f, Float.POSITIVE_INFINITY}, half.floats());
        assertEquals(1.0078125f, Cast.roundToBfloat16(1.005f));
        Tensor i = Tensor.ofLongs(DType.INT32, new long[] {7}, 1);
        assertSame(i, Cast.convert(i, DType.INT32));
        assertArrayEquals(new long[] {7},
                new CastLikeKernel().run(new Tensor[] {Tensor.of(new float[] {7.9f}, 1), i},
                        CTX)[0].longs());
    }

    @Test
    void clipWithMinAboveMaxGivesMax() {
        Tensor x = Tensor.of(new float[] {-5, 0, 5}, 3);
        Tensor out = new ClipKernel(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY)
                .run(new Tensor[] {x, Tensor.scalar(2), Tensor.scalar(1)}, CTX)[0];
        assertArrayEquals(new float[] {1, 1, 1}, out.floats());
        Tensor attr = new ClipKernel(-1, 1).run(new Tensor[] {x}, CTX)[0];
        assertArrayEquals(new float[] {-1, 0, 1}, attr.floats());
        Tensor onlyMax = new ClipKernel(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY)
                .run(new Tensor[] {x, null, Tensor.scalar(0)}, CTX)[0];
        assertArrayEquals(new float[] {-5, 0, 0}, onlyMax.floats());
        Tensor ints = Tensor.ofLongs(DType.INT8, new long[] {-100, 100}, 2);
        Tensor ci = new ClipKernel(0, 0).run(new Tensor[] {ints, null,
            Tensor.ofLongs(DType.INT8, new long[] {50})}, CTX)[0];
        assertArrayEquals(new long[] {-100, 50}, ci.longs());
    }

    @Test
    void whereBroadcastsThreeWays() {
        Tensor c = Tensor.ofLongs(DType.BOOL, new long[] {1, 0}, 2, 1);
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 3);
        Tensor y = Tensor.scalar(-1);
        Tensor z = new WhereKernel().run(new Tensor[] {c, x, y}, CTX)[0];
        assertArrayEquals(new int[] {2, 3}, z.shapeView());
        assertArrayEquals(new float[] {1, 2, 3, -1, -1, -1}, z.floats());
    }

    @Test
    void variadicFoldsWithBroadcast() {
        Tensor a = Tensor.of(new float[] {1, 2}, 2, 1);
        Tensor b = Tensor.of(new float[] {10, 20, 30}, 3);
        Tensor c = Tensor.scalar(3);
        Tensor mean = new VariadicKernel(BinaryKernel.Op.ADD, true)
                .run(new Tensor[] {a, b, c}, CTX)[0];
        assertArrayEquals(new float[] {14f / 3, 24f / 3, 34f / 3, 5, 25f / 3, 35f / 3},
                mean.floats(), 1e-6f);
        Tensor max = new VariadicKernel(BinaryKernel.Op.MAX, false)
                .run(new Tensor[] {a, c}, CTX)[0];
        assertArrayEquals(new float[] {3, 3}, max.floats());
        assertSame(a, new VariadicKernel(BinaryKernel.Op.MIN, false)
                .run(new Tensor[] {a}, CTX)[0]);
        Tensor ints = new VariadicKernel(BinaryKernel.Op.ADD, true).run(new Tensor[] {
            Tensor.ofLongs(new long[] {3}, 1), Tensor.ofLongs(new long[] {4}, 1)}, CTX)[0];
        assertArrayEquals(new long[] {3}, ints.longs());
    }
}
