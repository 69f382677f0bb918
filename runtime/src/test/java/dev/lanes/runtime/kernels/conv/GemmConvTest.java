package dev.lanes.runtime.kernels.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.gemm.Activation;
import dev.lanes.runtime.kernels.gemm.Epilogue;
import dev.lanes.runtime.kernels.gemm.Sgemm;
import dev.lanes.runtime.kernels.spatial.AutoPad;
import dev.lanes.runtime.kernels.spatial.ConvAttributes;
import dev.lanes.runtime.kernels.spatial.ConvReference;
import dev.lanes.runtime.kernels.spatial.ConvTransposeReference;
import dev.lanes.runtime.kernels.spatial.Window;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GemmConvTest {
    private static final RunContext ONE = RunContext.serial();
    private static final RunContext TWO = new RunContext(2);
    private static final int V = 16;

    static Tensor random(Random rnd, int... shape) {
        float[] v = new float[Tensor.checkedSize(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextFloat() * 2 - 1;
        }
        return Tensor.of(v, shape);
    }

    static void assertClose(Tensor want, Tensor got, float tol, String what) {
        assertArrayEquals(want.shapeView(), got.shapeView(), what);
        float[] w = want.floats();
        float[] g = got.floats();
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], g[i], tol * (1 + Math.abs(w[i])), what + ", element " + i);
        }
    }

    /** A channel count near a vector width or a multiple of MR. */
    private static int channels(Random rnd) {
        int[] base = {1, 2, 3, Sgemm.MR, V, 2 * Sgemm.MR};
        return Math.max(1, base[rnd.nextInt(base.length)] + rnd.nextInt(3) - 1);
    }

    /** The reference: ConvReference, then the epilogue one value at a time. */
    private static Tensor reference(ConvAttributes a, Tensor[] in, Epilogue ep, Tensor residual) {
        Tensor y = new ConvReference(a).run(new Tensor[] {in[0], in[1],
            in.length > 2 ? in[2] : null}, ONE)[0];
        float[] v = y.floats();
        int n = y.dim(0);
        int m = y.dim(1);
        int sp = v.length / (n * m);
        for (int i = 0; i < v.length; i++) {
            v[i] = ep.apply(v[i], (i / sp) % m, residual == null ? 0f : residual.floats()[i]);
        }
        return y;
    }

    private static Epilogue randomEpilogue(Random rnd, int m, Activation.Kind kind) {
        float[] scale = null;
        float[] shift = null;
        if (rnd.nextBoolean()) {
            scale = random(rnd, m).floats();
        }
        if (rnd.nextBoolean()) {
            shift = random(rnd, m).floats();
        }
        Activation act = switch (kind) {
            case CLIP -> new Activation(kind, -0.5f, 0.75f);
            case LEAKY_RELU -> new Activation(kind, 0.1f, 0f);
            case HARD_SIGMOID -> new Activation(kind, 0.2f, 0.5f);
            default -> Activation.of(kind);
        };
        return new Epilogue(scale, shift, act);
    }

    @Test
    void matchesReferenceOnRandom2dShapesWithEveryEpilogue() {
        Random rnd = new Random(11);
        Activation.Kind[] kinds = Activation.Kind.values();
        int[] kernels = {1, 3, 5, 7};
        for (int iter = 0; iter < 160; iter++) {
            int g = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(3) : 1;
            int cg = channels(rnd);
            int mg = channels(rnd);
            int n = rnd.nextInt(4) == 0 ? 3 : 1;
            int[] k = new int[2];
            int[] s = new int[2];
            int[] d = new int[2];
            int[] p = new int[4];
            int[] xs = {n, cg * g, 0, 0};
            int[] ws = {mg * g, cg, 0, 0};
            for (int i = 0; i < 2; i++) {
                k[i] = kernels[rnd.nextInt(kernels.length)];
                s[i] = 1 + rnd.nextInt(3);
                d[i] = rnd.nextInt(4) == 0 ? 2 : 1;
                p[i] = rnd.nextInt(k[i] / 2 + 2);
                p[i + 2] = rnd.nextInt(k[i] / 2 + 2);
                int eff = (k[i] - 1) * d[i] + 1;
                xs[i + 2] = Math.max(1, eff - p[i] - p[i + 2]) + rnd.nextInt(12);
                ws[i + 2] = k[i];
            }
            ConvAttributes a = ConvAttributes.conv(null, s, d, p, AutoPad.NOTSET, g);
            Tensor x = random(rnd, xs);
            Tensor w = random(rnd, ws);
            Tensor b = rnd.nextBoolean() ? random(rnd, mg * g) : null;
            Activation.Kind kind = kinds[iter % kinds.length];
            Epilogue ep = randomEpilogue(rnd, mg * g, kind);
            Tensor[] plain = {x, w, b};
            int[] outShape = new ConvReference(a).run(plain, ONE)[0].shapeView();
            Tensor r = rnd.nextBoolean() ? random(rnd, outShape) : null;
            Tensor want = reference(a, plain, ep, r);
            boolean constantW = rnd.nextBoolean();
            GemmConv conv = new GemmConv(a, constantW ? w : null, ep, r != null);
            Tensor got = conv.run(new Tensor[] {x, w, b, r}, rnd.nextBoolean() ? ONE : TWO)[0];
            assertClose(want, got, 2e-4f, "iteration " + iter + " x " + java.util.Arrays
                    .toString(xs) + " w " + java.util.Arrays.toString(ws) + " " + kind);
        }
    }

    @Test
    void matchesReferenceIn1dAnd3dAndWithAutoPad() {
        Random rnd = new Random(5);
        for (int iter = 0; iter < 60; iter++) {
            int r = iter % 2 == 0 ? 1 : 3;
            int g = 1 + rnd.nextInt(2);
            int cg = 1 + rnd.nextInt(5);
            int mg = 1 + rnd.nextInt(10);
            int[] k = new int[r];
            int[] s = new int[r];
            int[] d = new int[r];
            int[] p = new int[2 * r];
            int[] xs = new int[r + 2];
            int[] ws = new int[r + 2];
            xs[0] = 1 + rnd.nextInt(2);
            xs[1] = cg * g;
            ws[0] = mg * g;
            ws[1] = cg;
            for (int i = 0; i < r; i++) {
                k[i] = 1 + rnd.nextInt(3);
                s[i] = 1 + rnd.nextInt(2);
                d[i] = 1 + rnd.nextInt(2);
                p[i] = rnd.nextInt(2);
                p[i + r] = rnd.nextInt(2);
                xs[i + 2] = (k[i] - 1) * d[i] + 1 + rnd.nextInt(r == 3 ? 4 : 30);
                ws[i + 2] = k[i];
            }
            AutoPad ap = AutoPad.values()[rnd.nextInt(4)];
            ConvAttributes a = ConvAttributes.conv(null, s, d, p, ap, g);
            Tensor[] in = {random(rnd, xs), random(rnd, ws), random(rnd, mg * g)};
            Tensor want = new ConvReference(a).run(in, ONE)[0];
            Tensor got = new GemmConv(a).run(in, iter % 3 == 0 ? TWO : ONE)[0];
            assertClose(want, got, 1e-4f, "iteration " + iter);
        }
    }

    @Test
    void pointwiseAndLargeDepthSpanSeveralGemmBlocks() {
        Random rnd = new Random(3);
        assertEquals(true, Sgemm.NC < 30 * 27 && Sgemm.KC < 300, "test shapes must span blocks");
        // K = 300 > KC and N = 30 * 27 > NC: several blocks both ways.
        int[][] cases = {{300, 17, 1, 30, 27}, {33, 40, 1, 30, 27}, {3, 29, 3, 31, 29}};
        for (int[] cs : cases) {
            int c = cs[0];
            int m = cs[1];
            int kk = cs[2];
            ConvAttributes a = ConvAttributes.conv(null, null, null,
                    new int[] {kk / 2, kk / 2, kk / 2, kk / 2}, AutoPad.NOTSET, 1);
            Tensor[] in = {random(rnd, 2, c, cs[3], cs[4]), random(rnd, m, c, kk, kk), null};
            Tensor want = new ConvReference(a).run(in, ONE)[0];
            for (RunContext ctx : new RunContext[] {ONE, TWO}) {
                Tensor w = in[1];
                assertClose(want, new GemmConv(a, w, Epilogue.NONE, false).run(in, ctx)[0],
                        1e-4f, "C " + c + " M " + m + " k " + kk);
            }
        }
    }

    @Test
    void im2colSourcePacksAnyBlock() {
        Random rnd = new Random(9);
        for (int iter = 0; iter < 40; iter++) {
            int c = 1 + rnd.nextInt(3);
            int[] k = {1 + rnd.nextInt(3), 1 + rnd.nextInt(3)};
            int[] s = {1 + rnd.nextInt(3), 1 + rnd.nextInt(3)};
            int[] d = {1 + rnd.nextInt(2), 1 + rnd.nextInt(2)};
            int[] p = {rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3)};
            int[] in = {(k[0] - 1) * d[0] + 1 + rnd.nextInt(20),
                (k[1] - 1) * d[1] + 1 + rnd.nextInt(60)};
            Window win = Window.of(in, k, s, d, p, AutoPad.NOTSET, false);
            int off = rnd.nextInt(5);
            float[] x = random(rnd, off + c * in[0] * in[1]).floats();
            Im2colSource src = Im2colSource.of(x, off, c, win);
            int k0 = rnd.nextInt(src.rows());
            int kc = 1 + rnd.nextInt(src.rows() - k0);
            int n0 = rnd.nextInt(src.columns());
            int nc = 1 + rnd.nextInt(src.columns() - n0);
            int nr = Sgemm.NR;
            float[] dst = new float[((nc + nr - 1) / nr) * nr * kc];
            java.util.Arrays.fill(dst, Float.NaN);
            src.pack(k0, kc, n0, nc, dst);
            for (int kk = 0; kk < kc; kk++) {
                int row = k0 + kk;
                int ch = row / (k[0] * k[1]);
                int ky = row / k[1] % k[0];
                int kx = row % k[1];
                for (int j = 0; j < dst.length / kc; j++) {
                    int col = n0 + j;
                    float want = 0f;
                    if (j < nc) {
                        int oy = col / win.out[2];
                        int ox = col % win.out[2];
                        int iy = oy * s[0] - p[0] + ky * d[0];
                        int ix = ox * s[1] - p[1] + kx * d[1];
                        if (iy >= 0 && iy < in[0] && ix >= 0 && ix < in[1]) {
                            want = x[off + (ch * in[0] + iy) * in[1] + ix];
                        }
                    }
                    assertEquals(want, dst[(j / nr) * kc * nr + kk * nr + j % nr],
                            "row " + row + " column " + col);
                }
            }
        }
    }

    @Test
    void transposeMatchesReference() {
        Random rnd = new Random(21);
        for (int iter = 0; iter < 60; iter++) {
            int r = iter % 4 == 3 ? 1 : 2;
            int g = 1 + rnd.nextInt(2);
            int cg = channels(rnd);
            int mg = 1 + rnd.nextInt(6);
            int[] k = new int[r];
            int[] s = new int[r];
            int[] d = new int[r];
            int[] p = new int[2 * r];
            int[] op = new int[r];
            int[] xs = new int[r + 2];
            int[] ws = new int[r + 2];
            xs[0] = 1 + 2 * rnd.nextInt(2);
            xs[1] = cg * g;
            ws[0] = cg * g;
            ws[1] = mg;
            for (int i = 0; i < r; i++) {
                k[i] = 1 + rnd.nextInt(4);
                s[i] = 1 + rnd.nextInt(3);
                d[i] = 1 + rnd.nextInt(2);
                p[i] = rnd.nextInt(2);
                p[i + r] = rnd.nextInt(2);
                op[i] = rnd.nextInt(s[i]);
                xs[i + 2] = 2 + rnd.nextInt(9);
                ws[i + 2] = k[i];
            }
            ConvAttributes a = new ConvAttributes(null, s, d, p, AutoPad.NOTSET, g, op, null);
            Tensor w = random(rnd, ws);
            Tensor[] in = {random(rnd, xs), w, rnd.nextBoolean() ? random(rnd, mg * g) : null};
            Tensor want = new ConvTransposeReference(a).run(in, ONE)[0];
            Tensor got = new GemmConvTranspose(a, rnd.nextBoolean() ? w : null)
                    .run(in, iter % 2 == 0 ? ONE : TWO)[0];
            assertClose(want, got, 1e-4f, "iteration " + iter);
        }
    }

    @Test
    void winogradMatchesReference() {
        Random rnd = new Random(17);
        Activation.Kind[] kinds = Activation.Kind.values();
        for (int iter = 0; iter < 40; iter++) {
            int c = channels(rnd);
            int m = channels(rnd);
            int n = iter % 4 == 0 ? 3 : 1;
            int[] p = {rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3)};
            int h = Math.max(1, 3 - p[0] - p[2]) + rnd.nextInt(13);
            int w = Math.max(1, 3 - p[1] - p[3]) + rnd.nextInt(13);
            ConvAttributes a = ConvAttributes.conv(null, null, null, p, AutoPad.NOTSET, 1);
            Tensor x = random(rnd, n, c, h, w);
            Tensor wt = random(rnd, m, c, 3, 3);
            Tensor b = rnd.nextBoolean() ? random(rnd, m) : null;
            Epilogue ep = randomEpilogue(rnd, m, kinds[iter % kinds.length]);
            Tensor[] plain = {x, wt, b};
            int[] outShape = new ConvReference(a).run(plain, ONE)[0].shapeView();
            Tensor r = rnd.nextBoolean() ? random(rnd, outShape) : null;
            Tensor want = reference(a, plain, ep, r);
            Tensor got = ConvKernels.conv(ConvAlgorithm.WINOGRAD_4X4_3X3, a,
                    rnd.nextBoolean() ? wt : null, ep, r != null)
                    .run(new Tensor[] {x, wt, b, r}, iter % 2 == 0 ? ONE : TWO)[0];
            assertClose(want, got, 5e-4f, "iteration " + iter);
        }
    }

    @Test
    void winogradSplitsFewTilesIntoOneBlockPerThread() {
        // 15, 25 and 49 tiles: at most one block per thread, cut into equal halves that do not
        // fall on whole vectors of tiles.
        Random rnd = new Random(29);
        for (int[] hw : new int[][] {{12, 20}, {20, 20}, {28, 28}}) {
            ConvAttributes a = ConvAttributes.conv(null, null, null, new int[] {1, 1, 1, 1},
                    AutoPad.NOTSET, 1);
            Tensor x = random(rnd, 1, 16, hw[0], hw[1]);
            Tensor wt = random(rnd, 24, 16, 3, 3);
            Tensor b = random(rnd, 24);
            Tensor[] plain = {x, wt, b};
            Tensor want = reference(a, plain, Epilogue.NONE, null);
            Tensor got = ConvKernels.conv(ConvAlgorithm.WINOGRAD_4X4_3X3, a, wt, Epilogue.NONE,
                    false).run(plain, TWO)[0];
            assertClose(want, got, 1e-3f, hw[0] + "x" + hw[1]);
        }
    }

    @Test
    void winogradMatchesReferenceOverSeveralBlocksAndThreads() {
        // 64 channels make blocks of at most 112 tiles (32 with two threads), so the larger
        // planes span several blocks, some starting inside a tile row; odd sizes leave partial
        // tiles at the edges.
        Random rnd = new Random(23);
        for (int iter = 0; iter < 12; iter++) {
            int c = new int[] {16, 33, 64}[iter % 3];
            int m = 1 + rnd.nextInt(40);
            int n = iter % 4 == 0 ? 2 : 1;
            int pad = rnd.nextInt(3);
            int[] p = {pad, pad, rnd.nextInt(3), rnd.nextInt(3)};
            int h = 12 + rnd.nextInt(iter % 3 == 2 ? 49 : 25);
            int w = 12 + rnd.nextInt(iter % 3 == 2 ? 49 : 25);
            ConvAttributes a = ConvAttributes.conv(null, null, null, p, AutoPad.NOTSET, 1);
            Tensor x = random(rnd, n, c, h, w);
            Tensor wt = random(rnd, m, c, 3, 3);
            Tensor b = random(rnd, m);
            Epilogue ep = randomEpilogue(rnd, m, Activation.Kind.values()[iter
                    % Activation.Kind.values().length]);
            Tensor[] plain = {x, wt, b};
            int[] outShape = new ConvReference(a).run(plain, ONE)[0].shapeView();
            Tensor r = rnd.nextBoolean() ? random(rnd, outShape) : null;
            Tensor want = reference(a, plain, ep, r);
            Tensor got = ConvKernels.conv(ConvAlgorithm.WINOGRAD_4X4_3X3, a, wt, ep, r != null)
                    .run(new Tensor[] {x, wt, b, r}, iter % 2 == 0 ? ONE : TWO)[0];
            // F(4x4, 3x3) sums through transforms with entries up to 8 (A) and 5 (B): float32
            // rounding grows with them and with the 9 C products per output, hence 1e-3 here
            // against 2e-4 for im2col; the sums are of magnitude sqrt(9 C) / 3, up to 8.
            assertClose(want, got, 1e-3f, "iteration " + iter + " c " + c + " m " + m + " "
                    + h + "x" + w + " pads " + java.util.Arrays.toString(p));
        }
    }

    @Test
    void implicitGemmMatchesReferenceOnRandomShapes() {
        Random rnd = new Random(29);
        Activation.Kind[] kinds = Activation.Kind.values();
        int[] kernels = {1, 2, 3, 5, 7};
        for (int iter = 0; iter < 120; iter++) {
            int r = iter % 5 == 0 ? 1 : 2;
            int c = 1 + rnd.nextInt(6);
            int m = 1 + rnd.nextInt(30);
            int n = iter % 4 == 0 ? 2 : 1;
            int[] k = new int[r];
            int[] s = new int[r];
            int[] d = new int[r];
            int[] p = new int[2 * r];
            int[] xs = new int[2 + r];
            int[] ws = new int[2 + r];
            xs[0] = n;
            xs[1] = c;
            ws[0] = m;
            ws[1] = c;
            for (int i = 0; i < r; i++) {
                k[i] = kernels[rnd.nextInt(kernels.length)];
                s[i] = 1 + rnd.nextInt(3);
                d[i] = rnd.nextInt(4) == 0 ? 2 : 1;
                p[i] = rnd.nextInt(k[i] / 2 + 2);
                p[i + r] = rnd.nextInt(k[i] / 2 + 2);
                int eff = (k[i] - 1) * d[i] + 1;
                xs[2 + i] = Math.max(1, eff - p[i] - p[i + r]) + rnd.nextInt(r == 1 ? 40 : 24);
                ws[2 + i] = k[i];
            }
            ConvAttributes a = ConvAttributes.conv(null, s, d, p, AutoPad.NOTSET, 1);
            Tensor x = random(rnd, xs);
            Tensor w = random(rnd, ws);
            Tensor b = rnd.nextBoolean() ? random(rnd, m) : null;
            Epilogue ep = randomEpilogue(rnd, m, kinds[iter % kinds.length]);
            Tensor[] plain = {x, w, b};
            int[] outShape = new ConvReference(a).run(plain, ONE)[0].shapeView();
            Tensor res = rnd.nextBoolean() ? random(rnd, outShape) : null;
            Tensor want = reference(a, plain, ep, res);
            Tensor got = ConvKernels.conv(ConvAlgorithm.IMPLICIT_GEMM, a,
                    rnd.nextBoolean() ? w : null, ep, res != null)
                    .run(new Tensor[] {x, w, b, res}, iter % 2 == 0 ? ONE : TWO)[0];
            assertClose(want, got, 2e-4f, "iteration " + iter + " x "
                    + java.util.Arrays.toString(xs) + " w " + java.util.Arrays.toString(ws)
                    + " strides " + java.util.Arrays.toString(s));
        }
    }

    @Test
    void implicitTilesMatchTheirScalarDefinition() {
        Random rnd = new Random(31);
        int v = dev.lanes.runtime.kernels.gemm.ImplicitTiles.width();
        for (int iter = 0; iter < 50; iter++) {
            int kc = 1 + rnd.nextInt(200);
            int stride = dev.lanes.runtime.kernels.gemm.ImplicitTiles.panelHeight();
            float[] a = random(rnd, 5 + kc * stride).floats();
            float[] x = random(rnd, 4000).floats();
            int[] off = new int[kc];
            for (int i = 0; i < kc; i++) {
                off[i] = rnd.nextInt(3000);
            }
            int base = rnd.nextInt(900);
            int ao = rnd.nextInt(5);
            int ld = v + rnd.nextInt(4);
            boolean twelve = stride == 12 && rnd.nextBoolean();
            int rows = twelve ? 12 : 8;
            float[] want = new float[rows * ld + v];
            float[] got = new float[rows * ld + v];
            dev.lanes.runtime.kernels.gemm.ImplicitTiles.reference(a, ao, x, off, base,
                    kc, want, 0, ld, rows);
            if (twelve) {
                dev.lanes.runtime.kernels.gemm.ImplicitTiles.tile12(a, ao, x, off, base,
                        kc, got, 0, ld);
            } else {
                dev.lanes.runtime.kernels.gemm.ImplicitTiles.tile8(a, ao, x, off, base,
                        kc, got, 0, ld);
            }
            for (int i = 0; i < rows; i++) {
                for (int l = 0; l < v; l++) {
                    // Float sums of kc products in another order (fma vs multiply then add).
                    assertEquals(want[i * ld + l], got[i * ld + l],
                            1e-5f * (float) Math.sqrt(kc) * 4, "iteration " + iter);
                }
            }
        }
    }

    @Test
    void depthwiseRouteAppliesTheEpilogue() {
        Random rnd = new Random(2);
        ConvAttributes a = ConvAttributes.conv(null, null, null, new int[] {1, 1, 1, 1},
                AutoPad.NOTSET, 6);
        Tensor[] in = {random(rnd, 2, 6, 9, 7), random(rnd, 6, 1, 3, 3), random(rnd, 6)};
        Tensor r = random(rnd, 2, 6, 9, 7);
        Epilogue ep = new Epilogue(random(rnd, 6).floats(), random(rnd, 6).floats(),
                Activation.of(Activation.Kind.RELU));
        Tensor want = reference(a, in, ep, r);
        Tensor got = ConvKernels.conv(ConvAlgorithm.DEPTHWISE, a, in[1], ep, true)
                .run(new Tensor[] {in[0], in[1], in[2], r}, ONE)[0];
        assertClose(want, got, 1e-4f, "depthwise");
    }

    @Test
    void oneKernelServesConcurrentRuns() throws Exception {
        Random rnd = new Random(8);
        ConvAttributes a = ConvAttributes.conv(null, new int[] {2, 1}, null,
                new int[] {1, 0, 2, 1}, AutoPad.NOTSET, 2);
        Tensor w = random(rnd, 12, 3, 3, 3);
        GemmConv conv = new GemmConv(a, w, Epilogue.bias(random(rnd, 12).floats()), false);
        Tensor[][] inputs = new Tensor[4][];
        Tensor[] want = new Tensor[4];
        for (int i = 0; i < 4; i++) {
            inputs[i] = new Tensor[] {random(rnd, 1 + i % 2, 6, 11 + i, 13), w};
            want[i] = conv.run(inputs[i], ONE)[0];
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<Tensor>>();
            for (int rep = 0; rep < 8; rep++) {
                for (int i = 0; i < 4; i++) {
                    Tensor[] in = inputs[i];
                    futures.add(pool.submit(() -> conv.run(in, rnd.nextBoolean() ? ONE : TWO)[0]));
                }
            }
            for (int f = 0; f < futures.size(); f++) {
                assertClose(want[f % 4], futures.get(f).get(), 1e-6f, "run " + f);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void rejectsAResidualOfTheWrongShape() {
        ConvAttributes a = ConvAttributes.conv(null, null, null, null, AutoPad.NOTSET, 1);
        Tensor x = Tensor.zeros(dev.lanes.runtime.DType.FLOAT, 1, 2, 4, 4);
        Tensor w = Tensor.zeros(dev.lanes.runtime.DType.FLOAT, 3, 2, 3, 3);
        Tensor r = Tensor.zeros(dev.lanes.runtime.DType.FLOAT, 1, 3, 4, 4);
        var e = assertThrows(ShapeException.class, () -> new GemmConv(a, w, Epilogue.NONE, true)
                .run(new Tensor[] {x, w, null, r}, ONE));
        assertEquals(true, e.getMessage().contains("residual"), e.getMessage());
    }
}
