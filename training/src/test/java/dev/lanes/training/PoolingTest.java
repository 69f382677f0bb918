package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.errors.ShapeException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** MaxPool2d, AvgPool2d and GlobalAvgPool against the double reference. */
class PoolingTest {
    private static final CpuBackend BACKEND = new CpuBackend(2);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    /** (kernel, stride, pad) triples: overlapping windows, stride 2, padding, odd planes. */
    private static final int[][] SPECS = {{2, 2, 0}, {3, 2, 1}, {3, 1, 1}, {2, 1, 0}, {3, 3, 2}, {1, 2, 0}};

    @Test
    void maxPoolGradientsMatchFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(31);
        for (int[] s : SPECS) {
            int[] xs = {1 + rng.nextInt(2), 1 + rng.nextInt(3), 3 + rng.nextInt(5), 3 + rng.nextInt(5)};
            PoolSpec spec = new PoolSpec(s[0], s[1], s[2]);
            String what = "max " + spec + " " + Tensor.shapeString(xs);
            MaxPool2d pool = new MaxPool2d(BACKEND, "pool", spec);
            float[] x = GradCheck.distinct(rng, xs[0] * xs[1] * xs[2] * xs[3]);
            Tensor y = pool.forward(new Tensor(xs, x));
            GradCheck.checkForward(what, Ref.pool(Ref.toDouble(x), xs, s[0], s[1], s[2], true), y.data());
            float[] r = GradCheck.uniform(rng, y.size());
            Tensor dx = pool.backward(new Tensor(y.shape(), r));
            GradCheck.check(what + " d/dx", x, p -> Ref.pool(p, xs, s[0], s[1], s[2], true), r, dx.data());
        }
    }

    @Test
    void maxPoolTiesGoToTheFirstPlaceOfTheWindowOnEveryPath() {
        for (int[] s : new int[][] {{2, 2, 0}, {3, 2, 0}, {3, 2, 1}}) {
            PoolSpec spec = new PoolSpec(s[0], s[1], s[2]);
            MaxPool2d pool = new MaxPool2d(BACKEND, "pool", spec);
            int[] xs = {1, 1, 5, 5};
            float[] x = new float[25];
            java.util.Arrays.fill(x, 2f);
            Tensor y = pool.forward(new Tensor(xs, x));
            float[] ones = new float[y.size()];
            java.util.Arrays.fill(ones, 1f);
            float[] dx = pool.backward(new Tensor(y.shape(), ones)).data();
            double[] expected = new double[25];
            int oh = y.dim(2);
            int ow = y.dim(3);
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int iy = Math.max(0, oy * s[1] - s[2]);
                    int ix = Math.max(0, ox * s[1] - s[2]);
                    expected[iy * 5 + ix] += 1;
                }
            }
            for (int i = 0; i < 25; i++) {
                assertEquals(expected[i], dx[i], 0, spec + " at " + i);
            }
        }
    }

    @Test
    void avgPoolGradientsMatchFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(32);
        for (int[] s : SPECS) {
            int[] xs = {1 + rng.nextInt(2), 1 + rng.nextInt(3), 3 + rng.nextInt(5), 3 + rng.nextInt(5)};
            PoolSpec spec = new PoolSpec(s[0], s[1], s[2]);
            String what = "avg " + spec + " " + Tensor.shapeString(xs);
            AvgPool2d pool = new AvgPool2d(BACKEND, "pool", spec);
            float[] x = GradCheck.uniform(rng, xs[0] * xs[1] * xs[2] * xs[3]);
            Tensor y = pool.forward(new Tensor(xs, x));
            GradCheck.checkForward(what, Ref.pool(Ref.toDouble(x), xs, s[0], s[1], s[2], false), y.data());
            float[] r = GradCheck.uniform(rng, y.size());
            Tensor dx = pool.backward(new Tensor(y.shape(), r));
            GradCheck.check(what + " d/dx", x, p -> Ref.pool(p, xs, s[0], s[1], s[2], false), r, dx.data());
        }
    }

    @Test
    void globalAveragePoolIsThePlaneMean() {
        SplittableRandom rng = new SplittableRandom(33);
        int[] xs = {2, 3, 5, 5};
        GlobalAvgPool pool = new GlobalAvgPool(BACKEND, "gap");
        float[] x = GradCheck.uniform(rng, 2 * 3 * 25);
        Tensor y = pool.forward(new Tensor(xs, x));
        assertArrayEquals(new int[] {2, 3, 1, 1}, y.shape());
        GradCheck.checkForward("gap", Ref.pool(Ref.toDouble(x), xs, 5, 1, 0, false), y.data());
        float[] r = GradCheck.uniform(rng, 6);
        Tensor dx = pool.backward(new Tensor(y.shape(), r));
        GradCheck.check("gap d/dx", x, p -> Ref.pool(p, xs, 5, 1, 0, false), r, dx.data());
    }

    @Test
    void globalAveragePoolTakesRectangularPlanes() {
        SplittableRandom rng = new SplittableRandom(34);
        int[] xs = {3, 2, 3, 7};
        GlobalAvgPool pool = new GlobalAvgPool(BACKEND, "gap");
        float[] x = GradCheck.uniform(rng, 3 * 2 * 21);
        Tensor y = pool.forward(new Tensor(xs, x));
        double[] expected = new double[6];
        for (int p = 0; p < 6; p++) {
            for (int i = 0; i < 21; i++) {
                expected[p] += x[p * 21 + i] / 21.0;
            }
        }
        GradCheck.checkForward("gap 3x7", expected, y.data());
        float[] r = GradCheck.uniform(rng, 6);
        float[] dx = pool.backward(new Tensor(y.shape(), r)).data();
        for (int i = 0; i < dx.length; i++) {
            assertEquals(r[i / 21] / 21.0, dx[i], 1e-7);
        }
    }

    @Test
    void errorsNameTheLayerAndShapes() {
        MaxPool2d pool = new MaxPool2d(BACKEND, "pool3", new PoolSpec(2, 2, 0));
        ShapeException e = assertThrows(ShapeException.class, () -> pool.forward(Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("pool3") && e.getMessage().contains("[2, 3]"), e.getMessage());
        pool.forward(Tensor.zeros(1, 1, 4, 4));
        ShapeException g = assertThrows(ShapeException.class, () -> pool.backward(Tensor.zeros(1, 1, 3, 3)));
        assertTrue(g.getMessage().contains("pool3") && g.getMessage().contains("[1, 1, 2, 2]"), g.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PoolSpec(2, 2, 2));
    }
}
