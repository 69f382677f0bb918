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

class DepthwiseConvTest {
    private static final RunContext ONE = RunContext.serial();
    private static final RunContext TWO = new RunContext(2);

    private static void assertClose(Tensor want, Tensor got, String what) {
        assertArrayEquals(want.shapeView(), got.shapeView(), what);
        float[] w = want.floats();
        float[] g = got.floats();
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], g[i], 1e-4f * (1 + Math.abs(w[i])), what + ", element " + i);
        }
    }

    /** Runs one random case of the given spatial rank and checks it against the reference. */
    private static void checkRandomCase(Random rnd, int iter, int rank, boolean dilate) {
        checkRandomCase(rnd, iter, rank, dilate, null);
    }

    /**
     * One random case; {@code blocks} forces channel blocks on (true) or off (false), with
     * channel counts around whole blocks, or leaves the choice to the kernel (null).
     */
    private static void checkRandomCase(Random rnd, int iter, int rank, boolean dilate,
            Boolean blocks) {
        Activation.Kind[] kinds = Activation.Kind.values();
        int[] kernels = {3, 5, 7, 1, 2};
        int vl = DepthwiseChannelBlocks.V;
        // With blocks: fewer channels than a block, whole blocks, and blocks plus a remainder.
        int c = blocks == null ? 1 + rnd.nextInt(5) : 1 + rnd.nextInt(3 * vl);
        int n = rnd.nextInt(3) == 0 ? 3 : 1;
        int[] k = new int[rank];
        int[] s = new int[rank];
        int[] d = new int[rank];
        int[] p = new int[2 * rank];
        int[] xs = new int[2 + rank];
        int[] ws = new int[2 + rank];
        xs[0] = n;
        xs[1] = c;
        ws[0] = c;
        ws[1] = 1;
        int square = kernels[rnd.nextInt(iter % 4 == 0 ? kernels.length : 3)];
        for (int i = 0; i < rank; i++) {
            k[i] = iter % 5 == 4 ? kernels[rnd.nextInt(kernels.length)] : square;
            s[i] = iter % 7 == 6 ? 3 : 1 + rnd.nextInt(2);
            d[i] = dilate && rnd.nextBoolean() ? 2 : 1;
            p[i] = rnd.nextInt(k[i] / 2 + 2);
            p[i + rank] = rnd.nextInt(k[i] / 2 + 2);
            int eff = (k[i] - 1) * d[i] + 1;
            // Widths below, at and above a vector (16 floats), odd ones for masked tails.
            int extra = i == rank - 1 ? rnd.nextInt(40) : rnd.nextInt(9);
            xs[i + 2] = Math.max(1, eff - p[i] - p[i + rank]) + extra;
            ws[i + 2] = k[i];
        }
        ConvAttributes a = ConvAttributes.conv(null, s, d, p, AutoPad.NOTSET, c);
        Tensor x = random(rnd, xs);
        Tensor w = random(rnd, ws);
        Tensor b = rnd.nextBoolean() ? random(rnd, c) : null;
        Activation.Kind kind = kinds[iter % kinds.length];
        Epilogue ep = randomEpilogue(rnd, c, kind);
        int[] outShape = new ConvReference(a).run(new Tensor[] {x, w, b}, ONE)[0].shapeView();
        Tensor r = rnd.nextBoolean() ? random(rnd, outShape) : null;
        Tensor want = reference(a, x, w, b, ep, r);
        DepthwiseConv kernel = (DepthwiseConv) ConvKernels.conv(ConvAlgorithm.DEPTHWISE, a, w,
                ep, r != null);
        kernel.forceBlocks = blocks;
        Tensor got = kernel.run(new Tensor[] {x, w, b, r}, iter % 2 == 0 ? ONE : TWO)[0];
        assertClose(want, got, "iteration " + iter + " blocks " + blocks + " x "
                + Arrays.toString(xs) + " k "
                + Arrays.toString(k) + " s " + Arrays.toString(s) + " d " + Arrays.toString(d)
                + " pads " + Arrays.toString(p) + " " + kind + " residual " + (r != null));
    }

    @Test
    void matchesReferenceOnRandom2dShapesWithEveryEpilogue() {
        Random rnd = new Random(17);
        for (int iter = 0; iter < 400; iter++) {
            checkRandomCase(rnd, iter, 2, false);
        }
    }

    @Test
    void matchesReferenceWithDilationsAnd1dInputs() {
        Random rnd = new Random(23);
        for (int iter = 0; iter < 150; iter++) {
            checkRandomCase(rnd, iter, 2, true);
            checkRandomCase(rnd, iter, 1, iter % 3 == 0);
        }
    }

    @Test
    void channelBlocksMatchReferenceOnRandomShapes() {
        Random rnd = new Random(31);
        for (int iter = 0; iter < 300; iter++) {
            checkRandomCase(rnd, iter, 2, iter % 3 == 0, true);
            checkRandomCase(rnd, iter, 1, false, true);
        }
    }

    @Test
    void planesMatchReferenceWithManyChannels() {
        Random rnd = new Random(37);
        for (int iter = 0; iter < 100; iter++) {
            checkRandomCase(rnd, iter, 2, iter % 3 == 0, false);
        }
    }

    @Test
    void blocksAreChosenForSmallPlanesOnly() {
        assertEquals(true, DepthwiseConv.useBlocks(window(7, 3, 1)));
        assertEquals(true, DepthwiseConv.useBlocks(window(14, 3, 2)));
        assertEquals(true, DepthwiseConv.useBlocks(window(28, 5, 2)));
        assertEquals(false, DepthwiseConv.useBlocks(window(28, 3, 1)));
        assertEquals(false, DepthwiseConv.useBlocks(window(112, 3, 2)));
    }

    private static dev.lanes.runtime.kernels.spatial.Window window(int hw, int k, int s) {
        ConvAttributes a = ConvAttributes.conv(null, new int[] {s, s}, null,
                new int[] {k / 2, k / 2, k / 2, k / 2}, AutoPad.NOTSET, 8);
        return a.convWindow(Tensor.zeros(dev.lanes.runtime.DType.FLOAT, 1, 8, hw, hw),
                Tensor.zeros(dev.lanes.runtime.DType.FLOAT, 8, 1, k, k));
    }

    @Test
    void mobileNetShapesMatchOnTwoThreads() {
        Random rnd = new Random(2);
        int[][] cases = {{32, 112, 1}, {96, 112, 2}, {144, 56, 2}, {576, 14, 1}, {960, 7, 1}};
        for (int[] cs : cases) {
            int c = cs[0];
            ConvAttributes a = ConvAttributes.conv(null, new int[] {cs[2], cs[2]}, null,
                    new int[] {1, 1, 1, 1}, AutoPad.NOTSET, c);
            Tensor x = random(rnd, 1, c, cs[1], cs[1]);
            Tensor w = random(rnd, c, 1, 3, 3);
            Tensor b = random(rnd, c);
            Epilogue ep = new Epilogue(random(rnd, c).floats(), null,
                    new Activation(Activation.Kind.CLIP, 0f, 6f));
            Tensor want = reference(a, x, w, b, ep, null);
            assertClose(want, new DepthwiseConv(a, ep, false).run(new Tensor[] {x, w, b}, TWO)[0],
                    "C " + c + " size " + cs[1]);
        }
    }

    @Test
    void uncoveredShapesUseTheGenericKernel() {
        Random rnd = new Random(4);
        // Channel multiplier 2, and 3-D.
        ConvAttributes a2 = ConvAttributes.conv(null, null, null, new int[] {1, 0, 1, 2},
                AutoPad.NOTSET, 3);
        Tensor x = random(rnd, 2, 3, 9, 10);
        Tensor w = random(rnd, 6, 1, 3, 3);
        Epilogue ep = new Epilogue(null, random(rnd, 6).floats(), Activation.of(
                Activation.Kind.RELU));
        assertClose(reference(a2, x, w, null, ep, null),
                new DepthwiseConv(a2, ep, false).run(new Tensor[] {x, w}, TWO)[0], "multiplier 2");
        ConvAttributes a3 = ConvAttributes.conv(null, null, null, null, AutoPad.SAME_UPPER, 2);
        Tensor x3 = random(rnd, 1, 2, 4, 5, 6);
        Tensor w3 = random(rnd, 2, 1, 3, 3, 3);
        assertClose(reference(a3, x3, w3, null, Epilogue.NONE, null),
                new DepthwiseConv(a3, Epilogue.NONE, false).run(new Tensor[] {x3, w3}, ONE)[0],
                "3-D");
    }

    @Test
    void repeatedRunsOnOneKernelGiveTheSameResult() {
        Random rnd = new Random(8);
        ConvAttributes a = ConvAttributes.conv(null, new int[] {2, 2}, null,
                new int[] {0, 1, 2, 1}, AutoPad.NOTSET, 5);
        DepthwiseConv conv = new DepthwiseConv(a, Epilogue.NONE, false);
        // A large plane first grows the scratch; smaller ones then reuse it with stale data.
        for (int size : new int[] {61, 9, 33, 9}) {
            Tensor x = random(rnd, 2, 5, size, size + 3);
            Tensor w = random(rnd, 5, 1, 5, 5);
            Tensor want = new ConvReference(a).run(new Tensor[] {x, w}, ONE)[0];
            assertClose(want, conv.run(new Tensor[] {x, w}, TWO)[0], "size " + size);
        }
    }

    @Test
    void badBiasAndResidualAreShapeErrors() {
        Random rnd = new Random(1);
        ConvAttributes a = ConvAttributes.conv(null, null, null, null, AutoPad.NOTSET, 4);
        Tensor x = random(rnd, 1, 4, 6, 6);
        Tensor w = random(rnd, 4, 1, 3, 3);
        DepthwiseConv conv = new DepthwiseConv(a, Epilogue.NONE, true);
        assertThrows(ShapeException.class, () -> conv.run(new Tensor[] {x, w, random(rnd, 3)},
                ONE));
        assertThrows(ShapeException.class, () -> conv.run(new Tensor[] {x, w, null,
            random(rnd, 1, 4, 6, 6)}, ONE));
    }
}
