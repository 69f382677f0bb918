package dev.lanes.runtime.kernels.conv;

import static dev.lanes.runtime.kernels.conv.ConvCases.random;
import static dev.lanes.runtime.kernels.conv.ConvCases.randomEpilogue;
import static dev.lanes.runtime.kernels.conv.ConvCases.reference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.gemm.Activation;
import dev.lanes.runtime.kernels.gemm.Epilogue;
import dev.lanes.runtime.kernels.spatial.AutoPad;
import dev.lanes.runtime.kernels.spatial.ConvAttributes;
import dev.lanes.runtime.kernels.spatial.ConvReference;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The channel-block kernels against the planar reference, through the reorders. */
class ChannelBlockKernelsTest {
    private static final int B = ChannelBlocksReorder.BLOCK;
    private static final RunContext ONE = RunContext.serial();
    private static final RunContext TWO = new RunContext(2);

    private static Tensor toBlocks(Tensor t) {
        return t == null ? null : new ChannelBlocksReorder(true).run(new Tensor[] {t}, ONE)[0];
    }

    private static Tensor toPlanes(Tensor t, RunContext ctx) {
        return new ChannelBlocksReorder(false).run(new Tensor[] {t}, ctx)[0];
    }

    private static void assertClose(Tensor want, Tensor got, String what) {
        assertArrayEquals(want.shapeView(), got.shapeView(), what);
        float[] w = want.floats();
        float[] g = got.floats();
        for (int i = 0; i < w.length; i++) {
            // Float sums in another order: 1e-4 absolute plus relative.
            assertEquals(w[i], g[i], 1e-4f + 1e-4f * Math.abs(w[i]), what + ", element " + i);
        }
    }

    @Test
    void reordersFollowTheLayoutsDefinitionAndRoundTrip() {
        Random rnd = new Random(3);
        for (int[] s : new int[][] {{1, B, 1, 1}, {2, 2 * B, 3, 5}, {1, 3 * B, 7, 7},
                {3, B, 11}, {1, 4 * B, 2, 3, 4}}) {
            Tensor x = random(rnd, s);
            Tensor bl = toBlocks(x);
            int n = s[0];
            int c = s[1];
            int p = x.size() / (n * c);
            for (int i = 0; i < n; i++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int q = 0; q < p; q++) {
                        assertEquals(x.floats()[(i * c + ch) * p + q],
                                bl.floats()[((i * c / B + ch / B) * p + q) * B + ch % B],
                                Arrays.toString(s) + " n " + i + " c " + ch + " p " + q);
                    }
                }
            }
            assertArrayEquals(x.floats(), toPlanes(bl, TWO).floats(), Arrays.toString(s));
        }
    }

    @Test
    void reordersRejectChannelsOffTheBlock() {
        Tensor x = Tensor.of(new float[B + 1], 1, B + 1, 1, 1);
        var e = assertThrows(ShapeException.class, () -> toBlocks(x));
        assertEquals(true, e.getMessage().contains("multiple of " + B), e.getMessage());
    }

    @Test
    void pointwiseMatchesReferenceOnRandomShapesAndEpilogues() {
        Random rnd = new Random(5);
        Activation.Kind[] kinds = Activation.Kind.values();
        for (int iter = 0; iter < 120; iter++) {
            int n = 1 + rnd.nextInt(2);
            int k = B * (1 + rnd.nextInt(5));
            // Up to 24 output blocks: two threads then split them across tasks.
            int m = B * (1 + rnd.nextInt(24));
            // Planes below, at and above a 12-pixel tile.
            int h = 1 + rnd.nextInt(6);
            int w = 1 + rnd.nextInt(9);
            ConvAttributes a = ConvAttributes.conv(null, null, null, null, AutoPad.NOTSET, 1);
            Tensor x = random(rnd, n, k, h, w);
            Tensor wt = random(rnd, m, k, 1, 1);
            Tensor b = rnd.nextBoolean() ? random(rnd, m) : null;
            Activation.Kind kind = kinds[iter % kinds.length];
            Epilogue ep = randomEpilogue(rnd, m, kind);
            Tensor r = rnd.nextBoolean() ? random(rnd, n, m, h, w) : null;
            Tensor want = reference(a, x, wt, b, ep, r);
            RunContext ctx = iter % 2 == 0 ? ONE : TWO;
            Tensor got = toPlanes(new BlockedPointwiseConv(wt, ep, r != null)
                    .run(new Tensor[] {toBlocks(x), wt, b, toBlocks(r)}, ctx)[0], ctx);
            assertClose(want, got, "iteration " + iter + " x [" + n + ", " + k + ", " + h + ", "
                    + w + "] m " + m + " " + kind + " residual " + (r != null));
        }
    }

    @Test
    void pointwiseRejectsWeightsOffTheBlockAndWrongInputs() {
        assertThrows(ShapeException.class, () -> new BlockedPointwiseConv(
                Tensor.of(new float[B * (B + 1)], B, B + 1, 1, 1), Epilogue.NONE, false));
        assertThrows(ShapeException.class, () -> new BlockedPointwiseConv(
                Tensor.of(new float[B * B * 9], B, B, 3, 3), Epilogue.NONE, false));
        BlockedPointwiseConv conv = new BlockedPointwiseConv(Tensor.of(new float[B * B], B, B,
                1, 1), Epilogue.NONE, false);
        var e = assertThrows(ShapeException.class, () -> conv.run(new Tensor[] {
                Tensor.of(new float[2 * B], 1, 2 * B, 1, 1)}, ONE));
        assertEquals(true, e.getMessage().contains("X [1, " + 2 * B), e.getMessage());
    }

    @Test
    void depthwiseMatchesReferenceOnRandomWindows() {
        Random rnd = new Random(7);
        Activation.Kind[] kinds = Activation.Kind.values();
        int[] kernels = {3, 5, 1, 2, 7};
        for (int iter = 0; iter < 200; iter++) {
            int n = 1 + rnd.nextInt(2);
            int c = B * (1 + rnd.nextInt(3));
            int[] k = new int[2];
            int[] s = new int[2];
            int[] d = new int[2];
            int[] p = new int[4];
            int[] xs = {n, c, 0, 0};
            int square = kernels[rnd.nextInt(iter % 3 == 0 ? kernels.length : 2)];
            for (int i = 0; i < 2; i++) {
                k[i] = iter % 5 == 4 ? kernels[rnd.nextInt(kernels.length)] : square;
                s[i] = iter % 7 == 6 ? 3 : 1 + rnd.nextInt(2);
                d[i] = iter % 4 == 3 && rnd.nextBoolean() ? 2 : 1;
                p[i] = rnd.nextInt(k[i] / 2 + 2);
                p[i + 2] = rnd.nextInt(k[i] / 2 + 2);
                int eff = (k[i] - 1) * d[i] + 1;
                xs[i + 2] = Math.max(1, eff - p[i] - p[i + 2]) + rnd.nextInt(i == 1 ? 30 : 12);
            }
            ConvAttributes a = ConvAttributes.conv(null, s, d, p, AutoPad.NOTSET, c);
            Tensor x = random(rnd, xs);
            Tensor w = random(rnd, c, 1, k[0], k[1]);
            Tensor b = rnd.nextBoolean() ? random(rnd, c) : null;
            Activation.Kind kind = kinds[iter % kinds.length];
            Epilogue ep = randomEpilogue(rnd, c, kind);
            int[] outShape = new ConvReference(a).run(new Tensor[] {x, w, b}, ONE)[0]
                    .shapeView();
            Tensor r = rnd.nextBoolean() ? random(rnd, outShape) : null;
            Tensor want = reference(a, x, w, b, ep, r);
            RunContext ctx = iter % 2 == 0 ? ONE : TWO;
            Tensor got = toPlanes(DepthwiseConv.blocked(a, ep, r != null)
                    .run(new Tensor[] {toBlocks(x), w, b, toBlocks(r)}, ctx)[0], ctx);
            assertClose(want, got, "iteration " + iter + " x " + Arrays.toString(xs) + " k "
                    + Arrays.toString(k) + " s " + Arrays.toString(s) + " d "
                    + Arrays.toString(d) + " pads " + Arrays.toString(p) + " " + kind
                    + " residual " + (r != null));
        }
    }

    @Test
    void directStemMatchesTheReferenceOverRandomWindows() {
        Random rnd = new Random(13);
        Activation.Kind[] kinds = Activation.Kind.values();
        for (int iter = 0; iter < 120; iter++) {
            int n = 1 + rnd.nextInt(2);
            int c = 1 + rnd.nextInt(BlockedDirectConv.MAX_CHANNELS);
            int m = B * (1 + rnd.nextInt(3));
            int[] k = {1 + rnd.nextInt(5), 1 + rnd.nextInt(5)};
            int[] s = {1 + rnd.nextInt(3), 1 + rnd.nextInt(3)};
            int[] d = {iter % 4 == 3 ? 2 : 1, iter % 5 == 4 ? 2 : 1};
            int[] p = {rnd.nextInt(k[0]), rnd.nextInt(k[1]), rnd.nextInt(k[0]), rnd.nextInt(k[1])};
            // Widths below and above a tile, and tails.
            int[] xs = {n, c, (k[0] - 1) * d[0] + 1 + rnd.nextInt(9), (k[1] - 1) * d[1] + 1 + rnd.nextInt(iter % 3 == 0 ? 4 : 30)};
            ConvAttributes a = ConvAttributes.conv(null, s, d, p, AutoPad.NOTSET, 1);
            Tensor x = random(rnd, xs);
            Tensor w = random(rnd, m, c, k[0], k[1]);
            Tensor b = rnd.nextBoolean() ? random(rnd, m) : null;
            Epilogue ep = randomEpilogue(rnd, m, kinds[iter % kinds.length]);
            Tensor want = reference(a, x, w, b, ep, null);
            RunContext ctx = iter % 2 == 0 ? ONE : TWO;
            Tensor got = toPlanes(new BlockedDirectConv(a, w, ep).run(new Tensor[] {x, w, b}, ctx)[0], ctx);
            assertClose(want, got, "iteration " + iter + " x " + Arrays.toString(xs) + " m " + m + " k "
                    + Arrays.toString(k) + " s " + Arrays.toString(s) + " d " + Arrays.toString(d) + " pads "
                    + Arrays.toString(p));
        }
        assertThrows(ShapeException.class, () -> new BlockedDirectConv(ConvAttributes.conv(null, null, null, null,
                AutoPad.NOTSET, 1), random(rnd, B, BlockedDirectConv.MAX_CHANNELS + 1, 3, 3), Epilogue.NONE));
        assertThrows(ShapeException.class, () -> new BlockedDirectConv(ConvAttributes.conv(null, null, null, null,
                AutoPad.NOTSET, 1), random(rnd, B + 1, 3, 3, 3), Epilogue.NONE));
    }

    @Test
    void maxPoolMatchesThePlanarPoolOverRandomGeometries() {
        Random rnd = new Random(12);
        AutoPad[] autoPads = AutoPad.values();
        for (int iter = 0; iter < 60; iter++) {
            int[] k = {1 + rnd.nextInt(3), 1 + rnd.nextInt(3)};
            int[] s = {1 + rnd.nextInt(2), 1 + rnd.nextInt(3)};
            int[] d = {1 + rnd.nextInt(2), 1 + rnd.nextInt(2)};
            int[] p = {rnd.nextInt(k[0]), rnd.nextInt(k[1]), rnd.nextInt(k[0]), rnd.nextInt(k[1])};
            AutoPad auto = autoPads[rnd.nextInt(autoPads.length)];
            boolean ceil = rnd.nextBoolean();
            int[] xs = {1 + rnd.nextInt(2), B * (1 + rnd.nextInt(2)), 1 + (k[0] - 1) * d[0] + rnd.nextInt(7),
                1 + (k[1] - 1) * d[1] + rnd.nextInt(7)};
            Tensor x = random(rnd, xs);
            Tensor want = new dev.lanes.runtime.kernels.spatial.PoolKernel(
                    dev.lanes.runtime.kernels.spatial.PoolKernel.Type.MAX, k, s, d, p, auto, ceil, false, 2f,
                    false, false).run(new Tensor[] {x}, ONE)[0];
            RunContext ctx = iter % 2 == 0 ? ONE : TWO;
            Tensor got = toPlanes(new BlockedMaxPool(k, s, d, p, auto, ceil).run(new Tensor[] {toBlocks(x)}, ctx)[0],
                    ctx);
            // A max picks one of its inputs: equal, not close.
            assertArrayEquals(want.shapeView(), got.shapeView());
            assertArrayEquals(want.floats(), got.floats(), 0f, "iteration " + iter + " x " + Arrays.toString(xs)
                    + " k " + Arrays.toString(k) + " s " + Arrays.toString(s) + " d " + Arrays.toString(d)
                    + " pads " + Arrays.toString(p) + " " + auto + " ceil " + ceil);
        }
        assertThrows(ShapeException.class, () -> new BlockedMaxPool(new int[] {2, 2}, null, null, null,
                AutoPad.NOTSET, false).run(new Tensor[] {random(rnd, 1, B + 1, 4, 4)}, ONE));
    }

    @Test
    void globalAveragePoolAndChannelScaleMatchTheirPlanarDefinitions() {
        Random rnd = new Random(9);
        for (int[] shape : new int[][] {{1, B, 7, 7}, {2, 3 * B, 5, 3}, {3, 2 * B, 1, 1},
                {1, B, 11, 13}}) {
            int n = shape[0];
            int c = shape[1];
            int p = shape[2] * shape[3];
            Tensor x = random(rnd, shape);
            Tensor pooled = new BlockedGlobalAveragePool().run(new Tensor[] {toBlocks(x)}, TWO)[0];
            assertArrayEquals(new int[] {n, c, 1, 1}, pooled.shapeView());
            for (int i = 0; i < n * c; i++) {
                double sum = 0;
                for (int q = 0; q < p; q++) {
                    sum += x.floats()[i * p + q];
                }
                assertEquals(sum / p, pooled.floats()[i], 1e-5, Arrays.toString(shape) + " " + i);
            }
            for (int sn : new int[] {1, n}) {
                Tensor scale = random(rnd, sn, c, 1, 1);
                Tensor y = toPlanes(new BlockedChannelScale().run(new Tensor[] {toBlocks(x),
                    scale}, TWO)[0], ONE);
                for (int i = 0; i < n * c * p; i++) {
                    int img = i / (c * p);
                    int ch = i / p % c;
                    assertEquals(x.floats()[i] * scale.floats()[(sn == 1 ? 0 : img) * c + ch],
                            y.floats()[i], 0f, Arrays.toString(shape) + " scale batch " + sn);
                }
            }
        }
        var e = assertThrows(ShapeException.class, () -> new BlockedChannelScale().run(
                new Tensor[] {Tensor.of(new float[B * 4], 1, B, 2, 2),
                    Tensor.of(new float[B * 2], 1, B, 2, 1)}, ONE));
        assertEquals(true, e.getMessage().contains("scale [N or 1, C, 1...]"), e.getMessage());
    }

    @Test
    void blockedDepthwiseRejectsChannelsOffTheBlock() {
        int c = B + 1;
        ConvAttributes a = ConvAttributes.conv(null, null, null, new int[] {1, 1, 1, 1},
                AutoPad.NOTSET, c);
        var e = assertThrows(ShapeException.class, () -> DepthwiseConv.blocked(a,
                Epilogue.NONE, false).run(new Tensor[] {Tensor.of(new float[c * 9], 1, c, 3, 3),
                    Tensor.of(new float[c * 9], c, 1, 3, 3)}, ONE));
        assertEquals(true, e.getMessage().contains("multiple of " + B), e.getMessage());
    }
}
