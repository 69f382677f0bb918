package dev.lanes.runtime.kernels.elementwise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.simd.VectorLoops;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The vector loops of BinaryKernel and UnaryKernel against their scalar reference loops. */
class VectorElementwiseTest {
    private static final RunContext ONE = RunContext.serial();
    private static final RunContext TWO = new RunContext(2);
    private static final BinaryKernel.Op[] VECTOR_BINARY = {BinaryKernel.Op.ADD,
        BinaryKernel.Op.SUB, BinaryKernel.Op.MUL, BinaryKernel.Op.DIV, BinaryKernel.Op.MAX,
        BinaryKernel.Op.MIN, BinaryKernel.Op.PRELU};

    private static Tensor random(Random rnd, int... shape) {
        float[] v = new float[Tensor.checkedSize(shape)];
        for (int i = 0; i < v.length; i++) {
            // Away from 0 so Div stays finite; both signs for PRelu and Max/Min.
            float m = 0.25f + rnd.nextFloat() * 4;
            v[i] = rnd.nextBoolean() ? m : -m;
        }
        return Tensor.of(v, shape);
    }

    /** Pairs of shapes: same shape, scalars, per-channel, row and column broadcasts. */
    private static int[][][] shapePairs(Random rnd) {
        int n = 1 + rnd.nextInt(3);
        int c = 1 + rnd.nextInt(20);
        int h = 1 + rnd.nextInt(9);
        int w = 1 + rnd.nextInt(37);
        int[] x = {n, c, h, w};
        return new int[][][] {
            {x, x},
            {x, {}},
            {{}, x},
            {x, {1, c, 1, 1}},
            {{1, c, 1, 1}, x},
            {x, {c, 1, 1}},
            {x, {w}},
            {x, {n, 1, h, w}},
            {{1}, {1}},
        };
    }

    @Test
    void binaryVectorLoopsEqualTheScalarLoopsExactly() {
        Random rnd = new Random(3);
        for (int iter = 0; iter < 40; iter++) {
            for (int[][] pair : shapePairs(rnd)) {
                Tensor a = random(rnd, pair[0]);
                Tensor b = random(rnd, pair[1]);
                for (BinaryKernel.Op op : VECTOR_BINARY) {
                    BinaryKernel k = new BinaryKernel(op);
                    Tensor want = k.applyScalar(a, b);
                    Tensor got = k.run(new Tensor[] {a, b}, iter % 2 == 0 ? ONE : TWO)[0];
                    assertArrayEquals(want.shapeView(), got.shapeView());
                    assertArrayEquals(want.floats(), got.floats(), op + " "
                            + Arrays.toString(pair[0]) + " " + Arrays.toString(pair[1]));
                }
            }
        }
    }

    @Test
    void largeBinaryOperandsSplitOverThreadsGiveTheSameResult() {
        Random rnd = new Random(5);
        int[] big = {1, 37, 61, 59};
        assertEquals(true, 37 * 61 * 59 > VectorLoops.PARALLEL_THRESHOLD);
        int[][] others = {big, {}, {1, 37, 1, 1}, {59}, {37, 61, 1}};
        for (int[] other : others) {
            Tensor a = random(rnd, big);
            Tensor b = random(rnd, other);
            for (BinaryKernel.Op op : VECTOR_BINARY) {
                BinaryKernel k = new BinaryKernel(op);
                assertArrayEquals(k.applyScalar(a, b).floats(),
                        k.run(new Tensor[] {a, b}, TWO)[0].floats(), op + " "
                        + Arrays.toString(other));
                assertArrayEquals(k.applyScalar(b, a).floats(),
                        k.run(new Tensor[] {b, a}, TWO)[0].floats(), op + " swapped");
            }
        }
    }

    @Test
    void unaryVectorLoopsMatchTheScalarDefinitions() {
        Random rnd = new Random(7);
        UnaryKernel[] exact = {new UnaryKernel(UnaryKernel.Op.RELU),
            new UnaryKernel(UnaryKernel.Op.LEAKY_RELU, 0.13f, 0, 0),
            new UnaryKernel(UnaryKernel.Op.HARD_SIGMOID, 0.2f, 0.5f, 0),
            new UnaryKernel(UnaryKernel.Op.HARD_SWISH), new UnaryKernel(UnaryKernel.Op.NEG)};
        UnaryKernel[] approximate = {new UnaryKernel(UnaryKernel.Op.SIGMOID),
            new UnaryKernel(UnaryKernel.Op.TANH), new UnaryKernel(UnaryKernel.Op.EXP)};
        int[] sizes = {1, 7, 15, 16, 17, 33, 100, 1000, VectorLoops.PARALLEL_THRESHOLD + 13};
        for (int size : sizes) {
            float[] v = new float[size];
            for (int i = 0; i < size; i++) {
                v[i] = (rnd.nextFloat() * 2 - 1) * (i % 3 == 0 ? 12 : 4);
            }
            Tensor x = Tensor.of(v, 1, size);
            for (RunContext ctx : new RunContext[] {ONE, TWO}) {
                for (UnaryKernel k : exact) {
                    assertArrayEquals(k.runScalar(x).floats(),
                            k.run(new Tensor[] {x}, ctx)[0].floats(), k.op() + " size " + size);
                }
                for (UnaryKernel k : approximate) {
                    float[] want = k.runScalar(x).floats();
                    float[] got = k.run(new Tensor[] {x}, ctx)[0].floats();
                    for (int i = 0; i < size; i++) {
                        // The Vector API's exp and tanh: within 1e-6 absolute plus 1e-5 relative.
                        assertEquals(want[i], got[i], 1e-6f + 1e-5f * Math.abs(want[i]),
                                k.op() + " of " + v[i]);
                    }
                }
            }
        }
    }

    @Test
    void specialValuesFollowTheScalarDefinitions() {
        float[] v = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f, -3f,
            3f, 100f, -100f};
        Tensor x = Tensor.of(v, v.length);
        for (UnaryKernel.Op op : new UnaryKernel.Op[] {UnaryKernel.Op.RELU,
            UnaryKernel.Op.LEAKY_RELU, UnaryKernel.Op.HARD_SWISH, UnaryKernel.Op.SIGMOID,
            UnaryKernel.Op.TANH, UnaryKernel.Op.EXP}) {
            UnaryKernel k = new UnaryKernel(op, 0.1f, 0, 0);
            float[] want = k.runScalar(x).floats();
            float[] got = k.run(new Tensor[] {x}, ONE)[0].floats();
            for (int i = 0; i < v.length; i++) {
                if (Float.isNaN(want[i]) || Float.isInfinite(want[i]) || want[i] == 0) {
                    assertEquals(want[i], got[i], 0f, op + " of " + v[i]);
                } else {
                    assertEquals(want[i], got[i], 1e-6f + 1e-5f * Math.abs(want[i]),
                            op + " of " + v[i]);
                }
            }
        }
    }
}
