package dev.lanes.runtime.kernels.elementwise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.errors.LanesException;
import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.Broadcast;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BinaryKernelTest {
    private static final RunContext CTX = RunContext.serial();

    static Tensor run(BinaryKernel k, Tensor a, Tensor b) {
        return k.run(new Tensor[] {a, b}, CTX)[0];
    }

    static int[] randomShape(Random r, int maxRank) {
        int[] s = new int[r.nextInt(maxRank + 1)];
        for (int i = 0; i < s.length; i++) {
            s[i] = 1 + r.nextInt(4);
        }
        return s;
    }

    /** A shape broadcast-compatible with {@code s}: a suffix with some axes set to 1. */
    static int[] compatible(Random r, int[] s) {
        int rank = r.nextInt(s.length + 1);
        int[] t = new int[rank];
        for (int i = 0; i < rank; i++) {
            t[i] = r.nextInt(3) == 0 ? 1 : s[s.length - rank + i];
        }
        return t;
    }

    static Tensor randomFloats(Random r, int[] shape) {
        float[] v = new float[Tensor.checkedSize(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() * 4 - 2;
        }
        return Tensor.of(v, shape);
    }

    /** Reads element {@code flat} of the broadcast shape from {@code t} by its multi-index. */
    static int sourceIndex(int[] outShape, int flat, int[] inShape) {
        int[] st = Broadcast.strides(inShape, outShape);
        int off = 0;
        for (int d = outShape.length - 1; d >= 0; d--) {
            int i = flat % outShape[d];
            flat /= outShape[d];
            off += i * st[d];
        }
        return off;
    }

    @Test
    void fastPathsMatchIndexByIndexBroadcast() {
        Random r = new Random(7);
        BinaryKernel.Op[] ops = {BinaryKernel.Op.ADD, BinaryKernel.Op.SUB, BinaryKernel.Op.MUL,
            BinaryKernel.Op.DIV, BinaryKernel.Op.MAX, BinaryKernel.Op.MIN, BinaryKernel.Op.PRELU,
            BinaryKernel.Op.FMOD};
        for (int trial = 0; trial < 400; trial++) {
            int[] sa = randomShape(r, 5);
            int[] sb = compatible(r, sa);
            if (r.nextBoolean()) {
                int[] t = sa;
                sa = sb;
                sb = t;
            }
            Tensor a = randomFloats(r, sa);
            Tensor b = randomFloats(r, sb);
            BinaryKernel.Op op = ops[trial % ops.length];
            Tensor z = run(new BinaryKernel(op), a, b);
            int[] shape = Broadcast.shape(sa, sb);
            assertArrayEquals(shape, z.shapeView());
            for (int i = 0; i < z.size(); i++) {
                float want = BinaryKernel.apply(op, a.floats()[sourceIndex(shape, i, sa)],
                        b.floats()[sourceIndex(shape, i, sb)]);
                assertEquals(want, z.floats()[i], 0f, op + " " + i);
            }
        }
    }

    @Test
    void perChannelBiasOnNchw() {
        float[] x = new float[2 * 3 * 2 * 2];
        Tensor a = Tensor.of(x, 2, 3, 2, 2);
        Tensor bias = Tensor.of(new float[] {1, 2, 3}, 3, 1, 1);
        Tensor z = run(new BinaryKernel(BinaryKernel.Op.ADD), a, bias);
        for (int i = 0; i < z.size(); i++) {
            assertEquals((i / 4) % 3 + 1, z.floats()[i], 0f);
        }
    }

    @Test
    void integerResultsWrapToTheirType() {
        BinaryKernel add = new BinaryKernel(BinaryKernel.Op.ADD);
        Tensor a = Tensor.ofLongs(DType.INT8, new long[] {100, -100}, 2);
        assertArrayEquals(new long[] {-56, 56}, run(add, a, a).longs());
        Tensor u = Tensor.ofLongs(DType.UINT8, new long[] {200, 3}, 2);
        assertArrayEquals(new long[] {144, 6}, run(add, u, u).longs());
        Tensor s = Tensor.ofLongs(DType.UINT8, new long[] {1}, 1);
        assertArrayEquals(new long[] {255},
                run(new BinaryKernel(BinaryKernel.Op.SUB), Tensor.ofLongs(DType.UINT8,
                        new long[] {0}, 1), s).longs());
        assertEquals(DType.UINT8, run(add, u, u).dtype());
    }

    @Test
    void integerDivisionTruncatesAndModFollowsTheDivisor() {
        Tensor a = Tensor.ofLongs(new long[] {-7, 7, -7, 7}, 4);
        Tensor b = Tensor.ofLongs(new long[] {2, 2, -2, -2}, 4);
        assertArrayEquals(new long[] {-3, 3, 3, -3},
                run(new BinaryKernel(BinaryKernel.Op.DIV), a, b).longs());
        assertArrayEquals(new long[] {1, 1, -1, -1},
                run(new BinaryKernel(BinaryKernel.Op.MOD), a, b).longs());
        assertArrayEquals(new long[] {-1, 1, -1, 1},
                run(new BinaryKernel(BinaryKernel.Op.FMOD), a, b).longs());
        Tensor zero = Tensor.ofLongs(new long[] {0}, 1);
        assertThrows(LanesException.class,
                () -> run(new BinaryKernel(BinaryKernel.Op.DIV), a, zero));
    }

    @Test
    void uint64UsesUnsignedDivisionAndComparison() {
        Tensor a = Tensor.ofLongs(DType.UINT64, new long[] {-2}, 1);
        Tensor b = Tensor.ofLongs(DType.UINT64, new long[] {2}, 1);
        assertArrayEquals(new long[] {Long.MAX_VALUE},
                run(new BinaryKernel(BinaryKernel.Op.DIV), a, b).longs());
        assertArrayEquals(new long[] {1},
                run(new BinaryKernel(BinaryKernel.Op.GREATER), a, b).longs());
        assertArrayEquals(new long[] {-2},
                run(new BinaryKernel(BinaryKernel.Op.MAX), a, b).longs());
    }

    @Test
    void comparisonsAndLogicGiveBool() {
        Tensor a = Tensor.of(new float[] {1, 2, 3}, 3);
        Tensor b = Tensor.scalar(2);
        Tensor lt = run(new BinaryKernel(BinaryKernel.Op.LESS), a, b);
        assertEquals(DType.BOOL, lt.dtype());
        assertArrayEquals(new long[] {1, 0, 0}, lt.longs());
        assertArrayEquals(new long[] {0, 1, 1},
                run(new BinaryKernel(BinaryKernel.Op.GREATER_OR_EQUAL), a, b).longs());
        Tensor p = Tensor.ofLongs(DType.BOOL, new long[] {1, 1, 0, 0}, 4);
        Tensor q = Tensor.ofLongs(DType.BOOL, new long[] {1, 0, 1, 0}, 4);
        assertArrayEquals(new long[] {0, 1, 1, 0},
                run(new BinaryKernel(BinaryKernel.Op.XOR), p, q).longs());
        assertArrayEquals(new long[] {1, 0, 0, 0},
                run(new BinaryKernel(BinaryKernel.Op.AND), p, q).longs());
    }

    @Test
    void powMixesTypesKeepingTheBaseType() {
        BinaryKernel pow = new BinaryKernel(BinaryKernel.Op.POW);
        Tensor f = Tensor.of(new float[] {2, 3}, 2);
        Tensor i = Tensor.ofLongs(DType.INT32, new long[] {3, 2}, 2);
        assertArrayEquals(new float[] {8, 9}, run(pow, f, i).floats());
        Tensor fi = run(pow, i, Tensor.of(new float[] {0.5f, 2}, 2));
        assertEquals(DType.INT32, fi.dtype());
        assertArrayEquals(new long[] {1, 4}, fi.longs());
        assertArrayEquals(new long[] {27, 4}, run(pow, i, i).longs());
        assertEquals(1 << 20, BinaryKernel.power(2, 20));
        assertEquals(0, BinaryKernel.power(2, -1));
        assertEquals(-1, BinaryKernel.power(-1, -3));
    }

    @Test
    void legacyAxisAlignsSecondOperand() {
        Tensor a = Tensor.of(new float[2 * 3 * 4], 2, 3, 4);
        float[] bv = new float[3];
        for (int i = 0; i < 3; i++) {
            bv[i] = i;
        }
        Tensor b = Tensor.of(bv, 3);
        Tensor z = run(new BinaryKernel(BinaryKernel.Op.ADD, 1, false), a, b);
        assertArrayEquals(new int[] {2, 3, 4}, z.shapeView());
        for (int i = 0; i < z.size(); i++) {
            assertEquals((i / 4) % 3, z.floats()[i], 0f);
        }
        assertThrows(ShapeException.class,
                () -> run(new BinaryKernel(BinaryKernel.Op.ADD, 2, false), a, b));
    }

    @Test
    void channelSlopeAlignsWithAxisOne() {
        Tensor x = Tensor.of(new float[] {-1, -1, -1, -1, -1, -1, -1, -1}, 1, 2, 2, 2);
        Tensor slope = Tensor.of(new float[] {0.5f, 2}, 2);
        Tensor legacy = run(new BinaryKernel(BinaryKernel.Op.PRELU, BinaryKernel.NO_AXIS, true),
                Tensor.of(new float[] {-1, -1, -1, -1, -1, -1}, 1, 2, 3), slope);
        assertArrayEquals(new float[] {-0.5f, -0.5f, -0.5f, -2, -2, -2}, legacy.floats());
        // When the last axis matches, numpy broadcasting applies as usual.
        Tensor numpy = run(new BinaryKernel(BinaryKernel.Op.PRELU, BinaryKernel.NO_AXIS, true),
                x, slope);
        assertArrayEquals(new float[] {-0.5f, -2, -0.5f, -2, -0.5f, -2, -0.5f, -2},
                numpy.floats());
    }

    @Test
    void mismatchedShapesNameTheAxis() {
        var e = assertThrows(ShapeException.class, () -> run(new BinaryKernel(
                BinaryKernel.Op.ADD), Tensor.of(new float[6], 2, 3), Tensor.of(new float[4], 4)));
        assertTrue(e.getMessage().contains("axis 1"), e.getMessage());
        assertThrows(ShapeException.class, () -> run(new BinaryKernel(BinaryKernel.Op.ADD),
                Tensor.of(new float[1], 1), Tensor.ofLongs(new long[1], 1)));
    }

    @Test
    void emptyAndScalarShapes() {
        BinaryKernel add = new BinaryKernel(BinaryKernel.Op.ADD);
        Tensor e = run(add, Tensor.of(new float[0], 0, 3), Tensor.of(new float[3], 3));
        assertArrayEquals(new int[] {0, 3}, e.shapeView());
        Tensor s = run(add, Tensor.scalar(1), Tensor.scalar(2));
        assertArrayEquals(new int[0], s.shapeView());
        assertEquals(3f, s.floats()[0]);
    }
}
