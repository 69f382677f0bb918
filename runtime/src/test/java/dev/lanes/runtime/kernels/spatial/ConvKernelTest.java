package dev.lanes.runtime.kernels.spatial;

import dev.lanes.runtime.kernels.conv.GemmConv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConvKernelTest {
    private static final RunContext CTX = RunContext.serial();

    static Tensor random(Random rnd, int... shape) {
        float[] v = new float[Tensor.checkedSize(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextFloat() * 2 - 1;
        }
        return Tensor.of(v, shape);
    }

    static void assertClose(Tensor want, Tensor got, float tol) {
        assertArrayEquals(want.shapeView(), got.shapeView());
        float[] w = want.floats();
        float[] g = got.floats();
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], g[i], tol * (1 + Math.abs(w[i])), "element " + i);
        }
    }

    @Test
    void handComputed3x3WithPadding() {
        float[] x = new float[25];
        for (int i = 0; i < 25; i++) {
            x[i] = i;
        }
        float[] w = new float[9];
        java.util.Arrays.fill(w, 1f);
        ConvAttributes a = ConvAttributes.conv(null, null, null, new int[] {1, 1, 1, 1},
                AutoPad.NOTSET, 1);
        Tensor y = new GemmConv(a).run(new Tensor[] {Tensor.of(x, 1, 1, 5, 5),
            Tensor.of(w, 1, 1, 3, 3)}, CTX)[0];
        assertArrayEquals(new int[] {1, 1, 5, 5}, y.shapeView());
        // Corner: 0 + 1 + 5 + 6; centre (2,2): sum of 6..8, 11..13, 16..18.
        assertEquals(12f, y.floats()[0]);
        assertEquals(108f, y.floats()[12]);
    }

    @Test
    void matchesReferenceOnRandomShapes() {
        Random rnd = new Random(42);
        for (int iter = 0; iter < 150; iter++) {
            int r = 1 + iter % 3;
            int g = 1 + rnd.nextInt(3);
            int cg = 1 + rnd.nextInt(3);
            int mg = 1 + rnd.nextInt(3);
            int n = 1 + rnd.nextInt(2);
            int[] k = new int[r];
            int[] s = new int[r];
            int[] d = new int[r];
            int[] p = new int[2 * r];
            int[] xs = new int[r + 2];
            int[] ws = new int[r + 2];
            xs[0] = n;
            xs[1] = cg * g;
            ws[0] = mg * g;
            ws[1] = cg;
            boolean pointwise = rnd.nextInt(5) == 0;
            for (int i = 0; i < r; i++) {
                k[i] = pointwise ? 1 : 1 + rnd.nextInt(3);
                s[i] = pointwise ? 1 : 1 + rnd.nextInt(3);
                d[i] = pointwise ? 1 : 1 + rnd.nextInt(2);
                p[i] = pointwise ? 0 : rnd.nextInt(3);
                p[i + r] = pointwise ? 0 : rnd.nextInt(3);
                int eff = (k[i] - 1) * d[i] + 1;
                xs[i + 2] = eff + rnd.nextInt(r == 3 ? 4 : 9);
                ws[i + 2] = k[i];
            }
            AutoPad ap = AutoPad.values()[rnd.nextInt(4)];
            if (pointwise) {
                ap = AutoPad.NOTSET;
            }
            ConvAttributes a = ConvAttributes.conv(null, s, d, p, ap, g);
            Tensor x = random(rnd, xs);
            Tensor w = random(rnd, ws);
            Tensor b = rnd.nextBoolean() ? random(rnd, mg * g) : null;
            Tensor[] in = b == null ? new Tensor[] {x, w} : new Tensor[] {x, w, b};
            Tensor want = new ConvReference(a).run(in, CTX)[0];
            Tensor got = new GemmConv(a).run(in, CTX)[0];
            assertClose(want, got, 1e-5f);
        }
    }

    @Test
    void autoPadSameKeepsSizeOverStride() {
        Random rnd = new Random(1);
        for (AutoPad ap : new AutoPad[] {AutoPad.SAME_UPPER, AutoPad.SAME_LOWER}) {
            ConvAttributes a = ConvAttributes.conv(null, new int[] {2, 2}, null, null, ap, 1);
            Tensor y = new GemmConv(a).run(new Tensor[] {random(rnd, 1, 1, 7, 6),
                random(rnd, 2, 1, 3, 3)}, CTX)[0];
            assertArrayEquals(new int[] {1, 2, 4, 3}, y.shapeView());
        }
    }

    @Test
    void rejectsChannelMismatch() {
        ConvAttributes a = ConvAttributes.conv(null, null, null, null, AutoPad.NOTSET, 1);
        var e = assertThrows(ShapeException.class, () -> new GemmConv(a).run(
                new Tensor[] {Tensor.zeros(dev.lanes.runtime.DType.FLOAT, 1, 3, 4, 4),
                    Tensor.zeros(dev.lanes.runtime.DType.FLOAT, 2, 2, 3, 3)}, CTX));
        assertEquals(true, e.getMessage().contains("3 channels"), e.getMessage());
    }

    @Test
    void transposeMatchesReferenceOnRandomShapes() {
        Random rnd = new Random(7);
        for (int iter = 0; iter < 120; iter++) {
            int r = 1 + iter % 3;
            int g = 1 + rnd.nextInt(2);
            int cg = 1 + rnd.nextInt(3);
            int mg = 1 + rnd.nextInt(3);
            int[] s = new int[r];
            int[] d = new int[r];
            int[] p = new int[2 * r];
            int[] op = new int[r];
            int[] xs = new int[r + 2];
            int[] ws = new int[r + 2];
            xs[0] = 1 + rnd.nextInt(2);
            xs[1] = cg * g;
            ws[0] = cg * g;
            ws[1] = mg;
            for (int i = 0; i < r; i++) {
                ws[i + 2] = 1 + rnd.nextInt(3);
                s[i] = 1 + rnd.nextInt(3);
                d[i] = 1 + rnd.nextInt(2);
                p[i] = rnd.nextInt(2);
                p[i + r] = rnd.nextInt(2);
                op[i] = rnd.nextInt(s[i]);
                xs[i + 2] = 1 + rnd.nextInt(r == 3 ? 3 : 6);
            }
            AutoPad ap = rnd.nextInt(3) == 0 ? AutoPad.SAME_UPPER : AutoPad.NOTSET;
            ConvAttributes a = new ConvAttributes(null, s, d, p, ap, g, op, null);
            Tensor x = random(rnd, xs);
            Tensor w = random(rnd, ws);
            Tensor b = rnd.nextBoolean() ? random(rnd, mg * g) : null;
            Tensor[] in = b == null ? new Tensor[] {x, w} : new Tensor[] {x, w, b};
            Tensor want;
            try {
                want = new ConvTransposeReference(a).run(in, CTX)[0];
            } catch (ShapeException e) {
                continue;
            }
            assertClose(want, new ConvTransposeKernel(a).run(in, CTX)[0], 1e-5f);
        }
    }

    @Test
    void transposeHandComputed() {
        // X = [1, 2], W = [1, 1, 1] stride 2: y = [1, 1, 1+2, 2, 2].
        ConvAttributes a = new ConvAttributes(null, new int[] {2}, null, null, AutoPad.NOTSET,
                1, null, null);
        Tensor y = new ConvTransposeKernel(a).run(new Tensor[] {
            Tensor.of(new float[] {1, 2}, 1, 1, 2), Tensor.of(new float[] {1, 1, 1}, 1, 1, 3)},
                CTX)[0];
        assertArrayEquals(new float[] {1, 1, 3, 2, 2}, y.floats());
    }
}
