package dev.lanes.runtime.kernels.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.lanes.runtime.DType;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import org.junit.jupiter.api.Test;

class PoolKernelTest {
    private static final RunContext CTX = RunContext.serial();

    private static Tensor grid4x4() {
        float[] v = new float[16];
        for (int i = 0; i < 16; i++) {
            v[i] = i + 1;
        }
        return Tensor.of(v, 1, 1, 4, 4);
    }

    @Test
    void maxPoolWithIndicesRowAndColumnMajor() {
        PoolKernel k = new PoolKernel(PoolKernel.Type.MAX, new int[] {2, 2}, new int[] {2, 2},
                null, null, AutoPad.NOTSET, false, false, 2, false, true);
        Tensor[] out = k.run(new Tensor[] {grid4x4()}, CTX);
        assertArrayEquals(new float[] {6, 8, 14, 16}, out[0].floats());
        assertArrayEquals(new long[] {5, 7, 13, 15}, out[1].longs());
        PoolKernel cm = new PoolKernel(PoolKernel.Type.MAX, new int[] {2, 2}, new int[] {2, 2},
                null, null, AutoPad.NOTSET, false, false, 2, true, true);
        assertArrayEquals(new long[] {5, 13, 7, 15}, cm.run(new Tensor[] {grid4x4()}, CTX)[1]
                .longs());
    }

    @Test
    void averagePoolCeilModeAndPadCounting() {
        // 3x3 windows, stride 2, ceil mode: the last window covers rows/cols 2..3 only.
        PoolKernel k = new PoolKernel(PoolKernel.Type.AVERAGE, new int[] {3, 3},
                new int[] {2, 2}, null, null, AutoPad.NOTSET, true, false, 2, false, false);
        assertArrayEquals(new float[] {6, 7.5f, 12, 13.5f},
                k.run(new Tensor[] {grid4x4()}, CTX)[0].floats());
        // With pad 1 and count_include_pad, the corner window averages 4 values over 9 cells.
        PoolKernel inc = new PoolKernel(PoolKernel.Type.AVERAGE, new int[] {3, 3},
                new int[] {3, 3}, null, new int[] {1, 1, 1, 1}, AutoPad.NOTSET, false, true, 2,
                false, false);
        float[] y = inc.run(new Tensor[] {grid4x4()}, CTX)[0].floats();
        assertArrayEquals(new float[] {(1 + 2 + 5 + 6) / 9f, (3 + 4 + 7 + 8) / 9f,
            (9 + 10 + 13 + 14) / 9f, (11 + 12 + 15 + 16) / 9f}, y, 1e-6f);
    }

    @Test
    void lpPoolAndGlobalPools() {
        PoolKernel lp = new PoolKernel(PoolKernel.Type.LP, new int[] {2}, null, null, null,
                AutoPad.NOTSET, false, false, 2, false, false);
        assertArrayEquals(new float[] {5, (float) Math.sqrt(16 + 25)},
                lp.run(new Tensor[] {Tensor.of(new float[] {3, 4, 5}, 1, 1, 3)}, CTX)[0]
                        .floats(), 1e-6f);
        Tensor x = grid4x4();
        assertArrayEquals(new float[] {8.5f}, new GlobalPoolKernel(PoolKernel.Type.AVERAGE, 2)
                .run(new Tensor[] {x}, CTX)[0].floats());
        assertArrayEquals(new float[] {16f}, new GlobalPoolKernel(PoolKernel.Type.MAX, 2)
                .run(new Tensor[] {x}, CTX)[0].floats());
    }

    /** The pooling definition, one tap at a time with bounds checks. */
    private static float[] naive(PoolKernel.Type type, float[] x, int planes, Window w,
            boolean includePad, float p) {
        float[] y = new float[planes * w.outSize()];
        int o = 0;
        for (int pl = 0; pl < planes; pl++) {
            for (int od = 0; od < w.out[0]; od++) {
                for (int oh = 0; oh < w.out[1]; oh++) {
                    for (int ow = 0; ow < w.out[2]; ow++, o++) {
                        double acc = type == PoolKernel.Type.MAX ? Double.NEGATIVE_INFINITY : 0;
                        int count = 0;
                        int padded = 0;
                        for (int kd = 0; kd < w.k[0]; kd++) {
                            for (int kh = 0; kh < w.k[1]; kh++) {
                                for (int kw = 0; kw < w.k[2]; kw++) {
                                    int[] c = {od * w.s[0] - w.padBegin[0] + kd * w.d[0],
                                        oh * w.s[1] - w.padBegin[1] + kh * w.d[1],
                                        ow * w.s[2] - w.padBegin[2] + kw * w.d[2]};
                                    boolean inPad = true;
                                    boolean in = true;
                                    for (int a = 0; a < 3; a++) {
                                        inPad &= c[a] >= -w.padBegin[a]
                                                && c[a] < w.in[a] + w.padEnd[a];
                                        in &= c[a] >= 0 && c[a] < w.in[a];
                                    }
                                    padded += inPad ? 1 : 0;
                                    if (!in) {
                                        continue;
                                    }
                                    count++;
                                    float v = x[pl * w.inSize()
                                            + (c[0] * w.in[1] + c[1]) * w.in[2] + c[2]];
                                    acc = switch (type) {
                                        case MAX -> Math.max(acc, v);
                                        case AVERAGE -> acc + v;
                                        case LP -> acc + Math.pow(Math.abs(v), p);
                                    };
                                }
                            }
                        }
                        y[o] = (float) switch (type) {
                            case MAX -> acc;
                            case AVERAGE -> acc / (includePad ? padded : count);
                            case LP -> Math.pow(acc, 1.0 / p);
                        };
                    }
                }
            }
        }
        return y;
    }

    @Test
    void matchesNaiveDefinitionOnRandomShapes() {
        java.util.Random rnd = new java.util.Random(5);
        for (int iter = 0; iter < 200; iter++) {
            int r = 1 + iter % 3;
            PoolKernel.Type type = PoolKernel.Type.values()[rnd.nextInt(3)];
            int[] k = new int[r];
            int[] s = new int[r];
            int[] d = new int[r];
            int[] p = new int[2 * r];
            int[] xs = new int[r + 2];
            xs[0] = 1 + rnd.nextInt(2);
            xs[1] = 1 + rnd.nextInt(3);
            for (int i = 0; i < r; i++) {
                k[i] = 1 + rnd.nextInt(3);
                s[i] = 1 + rnd.nextInt(3);
                d[i] = 1 + rnd.nextInt(2);
                p[i] = rnd.nextInt(k[i]);
                p[i + r] = rnd.nextInt(k[i]);
                xs[i + 2] = (k[i] - 1) * d[i] + 1 + rnd.nextInt(6);
            }
            boolean ceil = rnd.nextBoolean();
            boolean includePad = rnd.nextBoolean();
            AutoPad ap = AutoPad.values()[rnd.nextInt(4)];
            Tensor x = ConvKernelTest.random(rnd, xs);
            PoolKernel kernel = new PoolKernel(type, k, s, d, p, ap, ceil, includePad, 3, false,
                    false);
            Window w = Window.of(java.util.Arrays.copyOfRange(xs, 2, xs.length), k, s, d, p, ap,
                    ceil);
            float[] want = naive(type, x.floats(), xs[0] * xs[1], w, includePad, 3);
            assertArrayEquals(want, kernel.run(new Tensor[] {x}, CTX)[0].floats(), 1e-5f,
                    type + " " + java.util.Arrays.toString(xs));
        }
    }

    @Test
    void maxPoolOnIntegers() {
        Tensor x = Tensor.ofLongs(DType.UINT8, new long[] {1, 9, 3, 4}, 1, 1, 4);
        PoolKernel k = new PoolKernel(PoolKernel.Type.MAX, new int[] {2}, null, null, null,
                AutoPad.NOTSET, false, false, 2, false, false);
        assertArrayEquals(new long[] {9, 9, 4}, k.run(new Tensor[] {x}, CTX)[0].longs());
    }
}
