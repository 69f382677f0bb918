package dev.lanes.runtime.kernels.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The vector pooling loops against the scalar loop nests of PoolKernel and GlobalPoolKernel. */
class VectorPoolTest {
    private static final RunContext ONE = RunContext.serial();
    private static final RunContext TWO = new RunContext(2);

    private static Tensor random(Random rnd, int... shape) {
        float[] v = new float[Tensor.checkedSize(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextFloat() * 2 - 1;
        }
        return Tensor.of(v, shape);
    }

    /** Max exactly; the average within float-sum rounding of the double reference. */
    private static void assertPooled(PoolKernel.Type type, Tensor want, Tensor got, String what) {
        assertArrayEquals(want.shapeView(), got.shapeView(), what);
        if (type == PoolKernel.Type.MAX) {
            assertArrayEquals(want.floats(), got.floats(), what);
            return;
        }
        float[] w = want.floats();
        float[] g = got.floats();
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], g[i], 1e-6f + 1e-5f * Math.abs(w[i]), what + ", element " + i);
        }
    }

    private static void checkRandomPool(Random rnd, int iter, int rank) {
        PoolKernel.Type type = iter % 2 == 0 ? PoolKernel.Type.MAX : PoolKernel.Type.AVERAGE;
        int[] k = new int[rank];
        int[] s = new int[rank];
        int[] d = new int[rank];
        int[] p = new int[2 * rank];
        int[] xs = new int[2 + rank];
        xs[0] = 1 + rnd.nextInt(3);
        xs[1] = 1 + rnd.nextInt(4);
        boolean dilate = type == PoolKernel.Type.MAX && iter % 5 == 0;
        for (int i = 0; i < rank; i++) {
            k[i] = iter % 7 == 3 ? 1 + rnd.nextInt(5) : 2 + rnd.nextInt(2);
            s[i] = iter % 6 == 5 ? 3 : 1 + rnd.nextInt(2);
            d[i] = dilate ? 1 + rnd.nextInt(2) : 1;
            // ONNX pads are smaller than the kernel.
            p[i] = rnd.nextInt(k[i]);
            p[i + rank] = rnd.nextInt(k[i]);
            int eff = (k[i] - 1) * d[i] + 1;
            xs[i + 2] = Math.max(1, eff - p[i] - p[i + rank])
                    + rnd.nextInt(i == rank - 1 ? 40 : 10);
        }
        AutoPad ap = iter % 9 == 8 ? AutoPad.SAME_UPPER : AutoPad.NOTSET;
        boolean ceil = ap == AutoPad.NOTSET && rnd.nextBoolean();
        boolean includePad = rnd.nextBoolean();
        PoolKernel kernel = new PoolKernel(type, k, s, dilate ? d : null, p, ap, ceil, includePad,
                2f, false, false);
        Tensor x = random(rnd, xs);
        Tensor want = kernel.runReference(new Tensor[] {x})[0];
        Tensor got = kernel.run(new Tensor[] {x}, iter % 3 == 0 ? TWO : ONE)[0];
        assertPooled(type, want, got, "iteration " + iter + " " + type + " x "
                + Arrays.toString(xs) + " k " + Arrays.toString(k) + " s " + Arrays.toString(s)
                + " d " + Arrays.toString(d) + " pads " + Arrays.toString(p) + " ceil " + ceil
                + " includePad " + includePad + " " + ap);
    }

    @Test
    void pool2dMatchesTheReference() {
        Random rnd = new Random(12);
        for (int iter = 0; iter < 400; iter++) {
            checkRandomPool(rnd, iter, 2);
        }
    }

    @Test
    void pool1dMatchesTheReference() {
        Random rnd = new Random(13);
        for (int iter = 0; iter < 120; iter++) {
            checkRandomPool(rnd, iter, 1);
        }
    }

    @Test
    void globalPoolsMatchTheReference() {
        Random rnd = new Random(14);
        int[][] shapes = {{1, 3, 7, 7}, {2, 5, 1, 1}, {1, 4, 56, 56}, {3, 2, 17}, {1, 40, 45, 45},
            {2, 3, 0, 4}, {1, 2, 3, 4, 5}};
        for (int[] shape : shapes) {
            Tensor x = random(rnd, shape);
            for (PoolKernel.Type type : new PoolKernel.Type[] {PoolKernel.Type.MAX,
                PoolKernel.Type.AVERAGE}) {
                GlobalPoolKernel k = new GlobalPoolKernel(type, 2f);
                Tensor want = k.runReference(new Tensor[] {x})[0];
                for (RunContext ctx : new RunContext[] {ONE, TWO}) {
                    Tensor got = k.run(new Tensor[] {x}, ctx)[0];
                    assertArrayEquals(want.shapeView(), got.shapeView());
                    float[] w = want.floats();
                    float[] g = got.floats();
                    for (int i = 0; i < w.length; i++) {
                        // An empty plane's average is NaN (0 / 0) in both.
                        boolean exact = type == PoolKernel.Type.MAX || Float.isNaN(w[i]);
                        assertEquals(w[i], g[i], exact ? 0f : 1e-6f + 1e-5f * Math.abs(w[i]),
                                type + " "
                                + Arrays.toString(shape) + " plane " + i);
                    }
                }
            }
        }
    }
}
