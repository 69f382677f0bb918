package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.errors.ShapeException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Conv2d's forward and all three gradients against the double reference over random geometries. */
class Conv2dTest {
    private static final CpuBackend ONE = new CpuBackend(1);
    private static final CpuBackend TWO = new CpuBackend(2);

    @AfterAll
    static void close() {
        ONE.close();
        TWO.close();
    }

    /** One random case: odd sizes, strides 1 and 2, padding, 1 to 3 groups, with and without bias. */
    private record Case(int n, int groups, int cg, int ocg, int k, int stride, int pad, int h, int w, boolean bias) {
    }

    private static Case randomCase(SplittableRandom rng) {
        while (true) {
            Case c = new Case(1 + rng.nextInt(3), 1 + rng.nextInt(3), 1 + rng.nextInt(3), 1 + rng.nextInt(3),
                    new int[] {1, 2, 3, 5}[rng.nextInt(4)], 1 + rng.nextInt(2), rng.nextInt(3),
                    3 + rng.nextInt(6), 3 + rng.nextInt(6), rng.nextBoolean());
            if (c.h + 2 * c.pad >= c.k && c.w + 2 * c.pad >= c.k) {
                return c;
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesOverRandomShapes() {
        SplittableRandom rng = new SplittableRandom(11);
        boolean sawGroups = false;
        boolean sawStride2 = false;
        for (int t = 0; t < 16; t++) {
            Case c = randomCase(rng);
            sawGroups |= c.groups > 1;
            sawStride2 |= c.stride == 2;
            checkCase(c, rng, t % 2 == 0 ? ONE : TWO);
        }
        assertTrue(sawGroups && sawStride2, "the random cases must include groups > 1 and stride 2");
    }

    @Test
    void depthwiseStride2Pad1() {
        checkCase(new Case(2, 4, 1, 1, 3, 2, 1, 7, 5, true), new SplittableRandom(5), TWO);
    }

    private static void checkCase(Case c, SplittableRandom rng, CpuBackend backend) {
        String what = c.toString();
        int in = c.groups * c.cg;
        int out = c.groups * c.ocg;
        ConvSpec spec = new ConvSpec(c.stride, c.pad, c.groups);
        Conv2d conv = new Conv2d(backend, "conv", in, out, c.k, spec, c.bias, rng);
        int[] xs = {c.n, in, c.h, c.w};
        int[] ws = conv.weight().value().shape();
        float[] x = GradCheck.uniform(rng, c.n * in * c.h * c.w);
        float[] w = conv.weight().value().data();
        double[] bias = c.bias ? Ref.toDouble(conv.bias().value().data()) : null;

        Tensor y = conv.forward(new Tensor(xs, x));
        double[] ref = Ref.conv(Ref.toDouble(x), xs, Ref.toDouble(w), ws, bias, c.stride, c.pad, c.groups);
        GradCheck.checkForward(what + " forward", ref, y.data());

        float[] r = GradCheck.uniform(rng, y.size());
        Tensor dx = conv.backward(new Tensor(y.shape(), r));
        GradCheck.check(what + " d/dx", x,
                p -> Ref.conv(p, xs, Ref.toDouble(w), ws, bias, c.stride, c.pad, c.groups), r, dx.data());
        GradCheck.check(what + " d/dw", w,
                p -> Ref.conv(Ref.toDouble(x), xs, p, ws, bias, c.stride, c.pad, c.groups), r,
                conv.weight().grad().data());
        if (c.bias) {
            GradCheck.check(what + " d/db", conv.bias().value().data(),
                    p -> Ref.conv(Ref.toDouble(x), xs, Ref.toDouble(w), ws, p, c.stride, c.pad, c.groups), r,
                    conv.bias().grad().data());
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        SplittableRandom data = new SplittableRandom(3);
        float[] x = GradCheck.uniform(data, 5 * 4 * 9 * 9);
        float[] r = GradCheck.uniform(data, 5 * 6 * 5 * 5);
        float[][] results = new float[2][];
        float[][] weightGrads = new float[2][];
        CpuBackend[] backends = {ONE, TWO};
        for (int i = 0; i < 2; i++) {
            Conv2d conv = new Conv2d(backends[i], "conv", 4, 6, 3, new ConvSpec(2, 1, 2), true, new SplittableRandom(9));
            conv.forward(new Tensor(new int[] {5, 4, 9, 9}, x));
            results[i] = conv.backward(new Tensor(new int[] {5, 6, 5, 5}, r)).data();
            weightGrads[i] = conv.weight().grad().data();
        }
        assertArrayEquals(results[0], results[1]);
        assertArrayEquals(weightGrads[0], weightGrads[1]);
    }

    @Test
    void wrongInputChannelsNameTheLayerAndShapes() {
        Conv2d conv = new Conv2d(ONE, "conv7", 3, 4, 3, ConvSpec.plain(), false, new SplittableRandom(1));
        ShapeException e = assertThrows(ShapeException.class, () -> conv.forward(Tensor.zeros(1, 2, 5, 5)));
        assertTrue(e.getMessage().contains("conv7") && e.getMessage().contains("[1, 2, 5, 5]")
                && e.getMessage().contains("3"), e.getMessage());
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(ONE, "conv8", 3, 4, 3, new ConvSpec(1, 0, 2), false, new SplittableRandom(1)));
        assertTrue(g.getMessage().contains("conv8") && g.getMessage().contains("2 groups"), g.getMessage());
        ShapeException big = assertThrows(ShapeException.class,
                () -> ONE.conv2d(Tensor.zeros(1, 3, 2, 2), Tensor.zeros(4, 3, 3, 3), null, ConvSpec.plain()));
        assertTrue(big.getMessage().contains("larger than the padded input"), big.getMessage());
    }
}
