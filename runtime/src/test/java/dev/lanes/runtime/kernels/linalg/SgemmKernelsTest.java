package dev.lanes.runtime.kernels.linalg;

import static dev.lanes.runtime.kernels.linalg.MatrixMultiplyTest.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Gemm and MatMul on Sgemm against the plain loop, with and without pre-packed weights. */
class SgemmKernelsTest {
    private static void assertClose(float[] want, float[] got, int k, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            // float32 sums of k products in another order than the double reference.
            double tol = 1e-5 * Math.max(1, k) + 1e-5 * Math.abs(want[i]);
            assertEquals(want[i], got[i], tol, what + " element " + i);
        }
    }

    @Test
    void gemmMatchesReferenceForEveryTransposeBiasAndPacking() {
        Random r = new Random(11);
        int[] batches = {1, 2, 3, 8, 9, 40};
        int[] features = {1, 5, 16, 49, 100};
        int[] depths = {1, 7, 64, 200};
        for (int trial = 0; trial < 160; trial++) {
            int m = batches[r.nextInt(batches.length)];
            int n = features[r.nextInt(features.length)];
            int k = depths[r.nextInt(depths.length)];
            boolean ta = r.nextBoolean();
            boolean tb = r.nextBoolean();
            float alpha = r.nextBoolean() ? 1f : r.nextFloat() * 2 - 1;
            float beta = r.nextInt(4) == 0 ? 0f : r.nextFloat() * 2 - 1;
            int[][] cShapes = {null, {}, {1}, {n}, {1, n}, {m, 1}, {m, n}, {1, 1}};
            int[] cs = cShapes[r.nextInt(cShapes.length)];
            Tensor a = Tensor.of(random(r, m * k), ta ? new int[] {k, m} : new int[] {m, k});
            Tensor b = Tensor.of(random(r, k * n), tb ? new int[] {n, k} : new int[] {k, n});
            Tensor c = cs == null ? null : Tensor.of(random(r, Tensor.checkedSize(cs)), cs);
            float[] want = new float[m * n];
            if (c != null) {
                int[] st = dev.lanes.runtime.kernels.Broadcast.strides(c.shapeView(),
                        new int[] {m, n});
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        want[i * n + j] = beta * c.floats()[i * st[0] + j * st[1]];
                    }
                }
            }
            MatrixMultiply.reference(a.floats(), 0, ta, b.floats(), 0, tb, want, 0, m, n, k,
                    alpha);
            boolean constant = r.nextBoolean();
            GemmKernel kernel = new GemmKernel(alpha, beta, ta, tb, constant ? b : null);
            Tensor[] in = c == null ? new Tensor[] {a, b} : new Tensor[] {a, b, c};
            Tensor y = kernel.run(in, new RunContext(1 + r.nextInt(2)))[0];
            String what = "m" + m + " n" + n + " k" + k + " tA" + ta + " tB" + tb + " C"
                    + java.util.Arrays.toString(cs) + (constant ? " packed" : "");
            assertArrayEquals(new int[] {m, n}, y.shapeView(), what);
            assertClose(want, y.floats(), k, what);
        }
    }

    @Test
    void fullyConnectedAtBatchOneUsesPackedWeights() {
        Random r = new Random(2);
        int n = 1000;
        int k = 512;
        Tensor x = Tensor.of(random(r, k), 1, k);
        Tensor w = Tensor.of(random(r, n * k), n, k);
        Tensor bias = Tensor.of(random(r, n), n);
        float[] want = bias.floats().clone();
        MatrixMultiply.reference(x.floats(), 0, false, w.floats(), 0, true, want, 0, 1, n, k, 1f);
        for (int threads = 1; threads <= 2; threads++) {
            Tensor y = new GemmKernel(1f, 1f, false, true, w).run(new Tensor[] {x, w, bias},
                    new RunContext(threads))[0];
            assertClose(want, y.floats(), k, "threads " + threads);
        }
    }

    @Test
    void matMulMatchesNaiveWithAndWithoutPackedWeights() {
        Random r = new Random(13);
        int[][][] cases = {{{3}, {3, 5}}, {{1, 64}, {64, 10}}, {{2, 3, 70}, {70, 33}},
            {{50, 17}, {17, 49}}, {{2, 5, 3}, {3, 4}}, {{4, 9, 6}, {4, 6, 10}},
            {{3, 1, 3, 4}, {1, 2, 4, 2}}, {{33, 65}, {65, 97}}, {{7}, {7}}};
        for (int[][] cs : cases) {
            Tensor a = Tensor.of(random(r, Tensor.checkedSize(cs[0])), cs[0]);
            Tensor b = Tensor.of(random(r, Tensor.checkedSize(cs[1])), cs[1]);
            Tensor want = MatrixMultiplyTest.naiveMatMul(a, b);
            int k = cs[0][cs[0].length - 1];
            for (int threads = 1; threads <= 2; threads++) {
                for (Tensor weights : new Tensor[] {null, b}) {
                    Tensor y = new MatMulKernel(weights).run(new Tensor[] {a, b},
                            new RunContext(threads))[0];
                    assertClose(want.floats(), y.floats(), k, java.util.Arrays.toString(cs[0])
                            + " x " + java.util.Arrays.toString(cs[1]));
                }
            }
        }
    }
}
