package dev.lanes.runtime.kernels.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MatrixMultiplyTest {
    private static final RunContext CTX = RunContext.serial();

    static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return v;
    }

    static void assertClose(float[] want, float[] got, int k) {
        assertEquals(want.length, got.length);
        float tol = 1e-5f * Math.max(1, k);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol, "element " + i);
        }
    }

    @Test
    void fastMatchesReferenceForAllTransposesAndOddSizes() {
        Random r = new Random(3);
        int[] sizes = {1, 2, 3, 7, 8, 9, 17, 33};
        for (int trial = 0; trial < 120; trial++) {
            int m = sizes[r.nextInt(sizes.length)];
            int n = sizes[r.nextInt(sizes.length)];
            int k = sizes[r.nextInt(sizes.length)];
            boolean ta = r.nextBoolean();
            boolean tb = r.nextBoolean();
            int aOff = r.nextInt(3);
            int bOff = r.nextInt(3);
            float[] a = random(r, aOff + m * k);
            float[] b = random(r, bOff + k * n);
            float[] c0 = random(r, m * n);
            float alpha = r.nextFloat() * 2 - 1;
            float[] fast = c0.clone();
            float[] ref = c0.clone();
            MatrixMultiply.multiply(a, aOff, ta, b, bOff, tb, fast, 0, m, n, k, alpha);
            MatrixMultiply.reference(a, aOff, ta, b, bOff, tb, ref, 0, m, n, k, alpha);
            assertClose(ref, fast, k);
        }
    }

    @Test
    void gemmBroadcastsEveryFormOfC() {
        Random r = new Random(5);
        int m = 3;
        int n = 4;
        int k = 5;
        float[] a = random(r, m * k);
        float[] b = random(r, k * n);
        int[][] cShapes = {{}, {1}, {n}, {1, n}, {m, 1}, {m, n}};
        for (int[] cs : cShapes) {
            float[] c = random(r, Tensor.checkedSize(cs));
            Tensor y = new GemmKernel(0.5f, 2f, false, false).run(new Tensor[] {
                Tensor.of(a, m, k), Tensor.of(b, k, n), Tensor.of(c, cs)}, CTX)[0];
            float[] want = new float[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int ci = cs.length == 2 ? (cs[0] == 1 ? 0 : i) * cs[1] + (cs[1] == 1 ? 0 : j)
                            : cs.length == 1 && cs[0] == n ? j : 0;
                    want[i * n + j] = 2f * c[ci];
                }
            }
            MatrixMultiply.reference(a, 0, false, b, 0, false, want, 0, m, n, k, 0.5f);
            assertClose(want, y.floats(), k);
        }
        Tensor noBias = new GemmKernel(1, 1, true, true).run(new Tensor[] {
            Tensor.of(a, k, m), Tensor.of(b, n, k)}, CTX)[0];
        assertArrayEquals(new int[] {m, n}, noBias.shapeView());
        assertThrows(ShapeException.class, () -> new GemmKernel(1, 1, false, false).run(
                new Tensor[] {Tensor.of(a, m, k), Tensor.of(a, m, k)}, CTX));
    }

    /** Batched product by the definition, for comparison. */
    static Tensor naiveMatMul(Tensor a, Tensor b) {
        Tensor a3 = a.rank() == 1 ? a.reshape(1, a.dim(0)) : a;
        Tensor b3 = b.rank() == 1 ? b.reshape(b.dim(0), 1) : b;
        int[] as = a3.shapeView();
        int[] bs = b3.shapeView();
        int m = as[as.length - 2];
        int k = as[as.length - 1];
        int n = bs[bs.length - 1];
        int[] batch = dev.lanes.runtime.kernels.Broadcast.shape(
                java.util.Arrays.copyOf(as, as.length - 2),
                java.util.Arrays.copyOf(bs, bs.length - 2));
        int nb = Tensor.checkedSize(batch);
        float[] out = new float[nb * m * n];
        int[] sa = dev.lanes.runtime.kernels.Broadcast.strides(
                java.util.Arrays.copyOf(as, as.length - 2), batch);
        int[] sb = dev.lanes.runtime.kernels.Broadcast.strides(
                java.util.Arrays.copyOf(bs, bs.length - 2), batch);
        for (int t = 0; t < nb; t++) {
            int oa = 0;
            int ob = 0;
            int rest = t;
            for (int d = batch.length - 1; d >= 0; d--) {
                int i = rest % batch[d];
                rest /= batch[d];
                oa += i * sa[d];
                ob += i * sb[d];
            }
            MatrixMultiply.reference(a3.floats(), oa * m * k, false, b3.floats(), ob * k * n,
                    false, out, t * m * n, m, n, k, 1f);
        }
        return Tensor.of(out, nb * m * n);
    }

    @Test
    void matMulBatchesBroadcastAndVectors() {
        Random r = new Random(9);
        int[][][] cases = {{{3}, {3}}, {{4}, {2, 4, 1}}, {{1, 2, 4, 3}, {3}}, {{3, 1, 3, 4},
            {1, 2, 4, 2}}, {{2, 5, 3}, {3, 4}}, {{5, 3}, {2, 3, 4}}, {{2, 1, 2, 3}, {2, 3, 2}},
            {{9, 6}, {6, 10}}};
        int[][] expect = {{}, {2, 1}, {1, 2, 4}, {3, 2, 3, 2}, {2, 5, 4}, {2, 5, 4},
            {2, 2, 2, 2}, {9, 10}};
        for (int c = 0; c < cases.length; c++) {
            Tensor a = Tensor.of(random(r, Tensor.checkedSize(cases[c][0])), cases[c][0]);
            Tensor b = Tensor.of(random(r, Tensor.checkedSize(cases[c][1])), cases[c][1]);
            Tensor y = new MatMulKernel().run(new Tensor[] {a, b}, CTX)[0];
            assertArrayEquals(expect[c], y.shapeView(), "case " + c);
            assertClose(naiveMatMul(a, b).floats(), y.floats(), 10);
        }
        assertThrows(ShapeException.class, () -> new MatMulKernel().run(new Tensor[] {
            Tensor.of(new float[6], 2, 3), Tensor.of(new float[6], 2, 3)}, CTX));
    }
}
