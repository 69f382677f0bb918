package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The patch matrices and their adjoint against element-by-element twins, over random geometries. */
class Im2colTest {
    private static Im2col.Geometry randomGeometry(SplittableRandom rng) {
        while (true) {
            int k = 1 + rng.nextInt(5);
            int kw = rng.nextBoolean() ? k : 1 + rng.nextInt(5);
            int stride = 1 + rng.nextInt(3);
            int pad = rng.nextInt(3);
            int h = 1 + rng.nextInt(9);
            int w = 1 + rng.nextInt(9);
            if (h + 2 * pad < k || w + 2 * pad < kw) {
                continue;
            }
            int oh = (h + 2 * pad - k) / stride + 1;
            int ow = (w + 2 * pad - kw) / stride + 1;
            return new Im2col.Geometry(1 + rng.nextInt(3), h, w, k, kw, oh, ow, stride, pad);
        }
    }

    /** The value under tap (ci, ky, kx) at output place (oy, ox), or 0 in the padding. */
    private static float tap(float[] x, int base, Im2col.Geometry g, int ci, int ky, int kx, int oy, int ox) {
        int iy = oy * g.stride() - g.pad() + ky;
        int ix = ox * g.stride() - g.pad() + kx;
        if (iy < 0 || iy >= g.h() || ix < 0 || ix >= g.w()) {
            return 0f;
        }
        return x[base + (ci * g.h() + iy) * g.w() + ix];
    }

    @Test
    void patchesMatchTheElementByElementTwinOverRandomGeometries() {
        SplittableRandom rng = new SplittableRandom(81);
        for (int t = 0; t < 400; t++) {
            Im2col.Geometry g = randomGeometry(rng);
            int base = rng.nextInt(4);
            float[] x = GradCheck.uniform(rng, base + g.channels() * g.h() * g.w());
            int k = g.channels() * g.kh() * g.kw();
            int p = g.places();
            float[] col = GradCheck.uniform(rng, k * p);
            Im2col.im2col(x, base, g, col);
            float[] expected = new float[k * p];
            int row = 0;
            for (int ci = 0; ci < g.channels(); ci++) {
                for (int ky = 0; ky < g.kh(); ky++) {
                    for (int kx = 0; kx < g.kw(); kx++, row++) {
                        for (int oy = 0; oy < g.oh(); oy++) {
                            for (int ox = 0; ox < g.ow(); ox++) {
                                float v = tap(x, base, g, ci, ky, kx, oy, ox);
                                expected[row * p + oy * g.ow() + ox] = v;
                            }
                        }
                    }
                }
            }
            assertArrayEquals(expected, col, g.toString());
        }
    }

    @Test
    void col2imIsTheAdjointOfIm2col() {
        SplittableRandom rng = new SplittableRandom(82);
        for (int t = 0; t < 400; t++) {
            Im2col.Geometry g = randomGeometry(rng);
            int k = g.channels() * g.kh() * g.kw();
            int p = g.places();
            float[] col = GradCheck.uniform(rng, k * p);
            float[] dx = GradCheck.uniform(rng, 2 + g.channels() * g.h() * g.w());
            float[] expected = dx.clone();
            int row = 0;
            for (int ci = 0; ci < g.channels(); ci++) {
                for (int ky = 0; ky < g.kh(); ky++) {
                    for (int kx = 0; kx < g.kw(); kx++, row++) {
                        for (int oy = 0; oy < g.oh(); oy++) {
                            for (int ox = 0; ox < g.ow(); ox++) {
                                int iy = oy * g.stride() - g.pad() + ky;
                                int ix = ox * g.stride() - g.pad() + kx;
                                if (iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w()) {
                                    expected[2 + (ci * g.h() + iy) * g.w() + ix] += col[row * p + oy * g.ow() + ox];
                                }
                            }
                        }
                    }
                }
            }
            Im2col.col2im(col, g, dx, 2);
            for (int i = 0; i < dx.length; i++) {
                assertEquals(expected[i], dx[i], 1e-6, g + " at " + i);
            }
        }
    }
}
