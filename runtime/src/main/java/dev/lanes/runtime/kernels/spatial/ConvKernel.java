package dev.lanes.runtime.kernels.spatial;

import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import java.util.Arrays;

/**
 * Conv (1-D, 2-D, 3-D; groups, strides, dilations, pads) as im2col of each image and group into
 * a [C/group * kernel size, output size] matrix followed by a blocked GEMM with the weights. A
 * 1x1 convolution with stride 1 and no padding skips im2col: the input already is that matrix.
 * Inputs: X [N, C, spatial...], W [M, C/group, k...], optional B [M].
 */
public final class ConvKernel implements Kernel {
    private final ConvAttributes attrs;

    /** A convolution with the given attributes. */
    public ConvKernel(ConvAttributes attrs) {
        this.attrs = attrs;
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        Tensor w = in[1];
        Window win = attrs.convWindow(x, w);
        int n = x.dim(0);
        int c = x.dim(1);
        int m = w.dim(0);
        int g = attrs.group();
        int cg = c / g;
        int mg = m / g;
        float[] bias = ConvAttributes.bias(in.length > 2 ? in[2] : null, m);
        Tensor out = Tensor.zeros(x.dtype(), ConvAttributes.outShape(n, m, win));
        float[] xs = x.floats();
        float[] ws = w.floats();
        float[] ys = out.floats();
        int inSize = win.inSize();
        int outSize = win.outSize();
        int kdim = cg * win.kernelSize();
        boolean direct = isPointwise(win);
        float[] col = direct ? null : new float[Tensor.checkedSize(kdim, outSize)];
        if (bias != null) {
            for (int b = 0; b < n; b++) {
                for (int oc = 0; oc < m; oc++) {
                    int off = (b * m + oc) * outSize;
                    Arrays.fill(ys, off, off + outSize, bias[oc]);
                }
            }
        }
        for (int b = 0; b < n; b++) {
            for (int grp = 0; grp < g; grp++) {
                int xOff = (b * c + grp * cg) * inSize;
                float[] bMat = xs;
                int bOff = xOff;
                if (!direct) {
                    im2col(xs, xOff, cg, win, col);
                    bMat = col;
                    bOff = 0;
                }
                Gemm.multiplyAdd(ws, grp * mg * kdim, bMat, bOff, ys,
                        (b * m + grp * mg) * outSize, mg, kdim, outSize);
            }
        }
        return new Tensor[] {out};
    }

    private static boolean isPointwise(Window win) {
        for (int a = 0; a < 3; a++) {
            if (win.k[a] != 1 || win.s[a] != 1 || win.padBegin[a] != 0 || win.padEnd[a] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes the patches of {@code channels} channels starting at {@code xOff} into {@code col}:
     * row (c, kd, kh, kw), column (od, oh, ow); cells that fall into padding are 0.
     */
    static void im2col(float[] x, int xOff, int channels, Window win, float[] col) {
        int[] is = win.in;
        int[] os = win.out;
        int[] k = win.k;
        int inSize = win.inSize();
        int sw = win.s[2];
        int r = 0;
        for (int ch = 0; ch < channels; ch++) {
            int chOff = xOff + ch * inSize;
            for (int kd = 0; kd < k[0]; kd++) {
                for (int kh = 0; kh < k[1]; kh++) {
                    for (int kw = 0; kw < k[2]; kw++) {
                        int iw0 = kw * win.d[2] - win.padBegin[2];
                        // Output columns whose input column iw0 + ow * sw lies inside [0, W).
                        int lo = iw0 >= 0 ? 0 : Math.min(os[2], (-iw0 + sw - 1) / sw);
                        int hi = is[2] - iw0 <= 0 ? 0
                                : Math.min(os[2], (is[2] - iw0 + sw - 1) / sw);
                        hi = Math.max(hi, lo);
                        int dst = r * win.outSize();
                        for (int od = 0; od < os[0]; od++) {
                            int id = od * win.s[0] - win.padBegin[0] + kd * win.d[0];
                            for (int oh = 0; oh < os[1]; oh++, dst += os[2]) {
                                int ih = oh * win.s[1] - win.padBegin[1] + kh * win.d[1];
                                if (id < 0 || id >= is[0] || ih < 0 || ih >= is[1]) {
                                    Arrays.fill(col, dst, dst + os[2], 0f);
                                    continue;
                                }
                                int src = chOff + (id * is[1] + ih) * is[2] + iw0;
                                Arrays.fill(col, dst, dst + lo, 0f);
                                if (hi <= lo) {
                                    Arrays.fill(col, dst + lo, dst + os[2], 0f);
                                    continue;
                                }
                                if (sw == 1) {
                                    System.arraycopy(x, src + lo, col, dst + lo, hi - lo);
                                } else {
                                    for (int ow = lo; ow < hi; ow++) {
                                        col[dst + ow] = x[src + ow * sw];
                                    }
                                }
                                Arrays.fill(col, dst + hi, dst + os[2], 0f);
                            }
                        }
                        r++;
                    }
                }
            }
        }
    }
}
