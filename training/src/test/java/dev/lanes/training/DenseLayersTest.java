package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.errors.ShapeException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Linear, ReLU, Dropout and Flatten. */
class DenseLayersTest {
    private static final CpuBackend BACKEND = new CpuBackend(2);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    @Test
    void linearGradientsMatchFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(41);
        int[][] sizes = {{1, 1, 1}, {3, 7, 5}, {4, 13, 2}, {2, 400, 17}};
        for (int[] s : sizes) {
            int n = s[0], in = s[1], out = s[2];
            String what = "linear " + in + " -> " + out + " batch " + n;
            Linear fc = new Linear(BACKEND, "fc", in, out, rng);
            float[] x = GradCheck.uniform(rng, n * in);
            float[] w = fc.weight().value().data();
            float[] b = fc.bias().value().data();
            Tensor y = fc.forward(new Tensor(new int[] {n, in}, x));
            GradCheck.checkForward(what, Ref.linear(Ref.toDouble(x), n, in, Ref.toDouble(w), out, Ref.toDouble(b)),
                    y.data());
            float[] r = GradCheck.uniform(rng, n * out);
            Tensor dx = fc.backward(new Tensor(new int[] {n, out}, r));
            GradCheck.check(what + " d/dx", x, p -> Ref.linear(p, n, in, Ref.toDouble(w), out, Ref.toDouble(b)), r,
                    dx.data());
            GradCheck.check(what + " d/dw", w, p -> Ref.linear(Ref.toDouble(x), n, in, p, out, Ref.toDouble(b)), r,
                    fc.weight().grad().data());
            GradCheck.check(what + " d/db", b, p -> Ref.linear(Ref.toDouble(x), n, in, Ref.toDouble(w), out, p), r,
                    fc.bias().grad().data());
        }
    }

    @Test
    void linearGradientsAccumulateUntilCleared() {
        SplittableRandom rng = new SplittableRandom(42);
        Linear fc = new Linear(BACKEND, "fc", 3, 2, rng);
        Tensor x = new Tensor(new int[] {2, 3}, GradCheck.uniform(rng, 6));
        Tensor dy = new Tensor(new int[] {2, 2}, GradCheck.uniform(rng, 4));
        fc.forward(x);
        fc.backward(dy);
        float[] once = fc.weight().grad().data().clone();
        fc.forward(x);
        fc.backward(dy);
        for (int i = 0; i < once.length; i++) {
            assertEquals(2 * once[i], fc.weight().grad().data()[i], 1e-6);
        }
        fc.weight().zeroGrad();
        assertEquals(0f, fc.weight().grad().data()[0]);
    }

    @Test
    void reluGradientMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(43);
        int[] xs = {2, 3, 5, 7};
        ReLU relu = new ReLU(BACKEND, "relu");
        float[] x = GradCheck.awayFromZero(rng, 2 * 3 * 5 * 7);
        Tensor y = relu.forward(new Tensor(xs, x));
        GradCheck.checkForward("relu", Ref.relu(Ref.toDouble(x)), y.data());
        float[] r = GradCheck.uniform(rng, x.length);
        GradCheck.check("relu d/dx", x, Ref::relu, r, relu.backward(new Tensor(xs, r)).data());
    }

    @Test
    void dropoutIsSeededScaledAndTheIdentityInEvaluation() {
        SplittableRandom rng = new SplittableRandom(44);
        float[] x = GradCheck.awayFromZero(rng, 4000);
        Tensor input = new Tensor(new int[] {40, 100}, x);
        Dropout a = new Dropout(BACKEND, "drop", 0.3, 7);
        Dropout b = new Dropout(BACKEND, "drop", 0.3, 7);
        Tensor ya = a.forward(input);
        assertArrayEquals(ya.data(), b.forward(input).data(), "the same seed gives the same mask");
        int dropped = 0;
        for (int i = 0; i < x.length; i++) {
            float v = ya.data()[i];
            if (v == 0f) {
                dropped++;
            } else {
                assertEquals(x[i] / 0.7f, v, 1e-6, "kept values are scaled by 1 / (1 - p)");
            }
        }
        // 4000 draws at p = 0.3: 1200 expected, standard deviation 29; 6 deviations either side.
        assertTrue(dropped > 1030 && dropped < 1370, "dropped " + dropped);
        // The gradient is the same mask: the layer is linear once the mask is drawn.
        float[] r = GradCheck.uniform(rng, x.length);
        float[] dx = a.backward(new Tensor(input.shape(), r)).data();
        for (int i = 0; i < x.length; i++) {
            assertEquals(ya.data()[i] == 0f ? 0f : r[i] / 0.7f, dx[i], 1e-6);
        }
        a.setTraining(false);
        assertSame(input, a.forward(input));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(BACKEND, "drop", 1.0, 1));
    }

    @Test
    void flattenKeepsTheBatchAxisAndRestoresTheShape() {
        Flatten f = new Flatten("flat");
        Tensor x = new Tensor(new int[] {2, 3, 2, 2}, GradCheck.uniform(new SplittableRandom(45), 24));
        Tensor y = f.forward(x);
        assertArrayEquals(new int[] {2, 12}, y.shape());
        assertArrayEquals(x.data(), y.data());
        assertArrayEquals(new int[] {2, 3, 2, 2}, f.backward(y).shape());
    }

    @Test
    void backwardBeforeForwardNamesTheLayer() {
        SplittableRandom rng = new SplittableRandom(46);
        java.util.List<Layer> layers = java.util.List.of(
                new Conv2d(BACKEND, "l-conv", 1, 1, 1, ConvSpec.plain(), true, rng),
                new BatchNorm2d(BACKEND, "l-bn", 1), new ReLU(BACKEND, "l-relu"),
                new MaxPool2d(BACKEND, "l-max", new PoolSpec(2, 2, 0)),
                new AvgPool2d(BACKEND, "l-avg", new PoolSpec(2, 2, 0)), new GlobalAvgPool(BACKEND, "l-gap"),
                new Linear(BACKEND, "l-fc", 1, 1, rng), new Dropout(BACKEND, "l-drop", 0.5, 1), new Flatten("l-flat"),
                new Residual(BACKEND, "l-res", new ReLU(BACKEND, "inner"), null));
        for (Layer l : layers) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> l.backward(Tensor.zeros(1, 1)),
                    l.name());
            assertTrue(e.getMessage().contains(l.name()), e.getMessage());
        }
    }

    @Test
    void flattenRejectsAGradientOfAnotherShape() {
        Flatten f = new Flatten("flat2");
        f.forward(Tensor.zeros(2, 3, 2, 2));
        ShapeException e = assertThrows(ShapeException.class, () -> f.backward(Tensor.zeros(2, 11)));
        assertTrue(e.getMessage().contains("flat2") && e.getMessage().contains("[2, 12]"), e.getMessage());
    }

    @Test
    void linearErrorsNameTheLayerAndShapes() {
        Linear fc = new Linear(BACKEND, "fc2", 5, 3, new SplittableRandom(1));
        ShapeException e = assertThrows(ShapeException.class, () -> fc.forward(Tensor.zeros(2, 4)));
        assertTrue(e.getMessage().contains("fc2") && e.getMessage().contains("[2, 4]")
                && e.getMessage().contains("[*, 5]"), e.getMessage());
    }
}
