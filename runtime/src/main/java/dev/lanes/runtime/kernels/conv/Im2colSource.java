package dev.lanes.runtime.kernels.conv;

import dev.lanes.runtime.kernels.gemm.BSource;
import dev.lanes.runtime.kernels.gemm.Sgemm;
import dev.lanes.runtime.kernels.spatial.Window;
import java.util.Arrays;

/**
 * The im2col matrix of one image and one group of a convolution as a GEMM's B operand, built
 * block by block straight into the packed panels, so the whole matrix never exists. Row
 * {@code k} is the tap (channel, kd, kh, kw), column {@code n} the output cell (od, oh, ow);
 * taps that fall into padding are 0. Along W the copy of a run of output cells is one
 * {@code System.arraycopy} for stride 1 and a strided gather otherwise.
 */
public final class Im2colSource implements BSource {
    private static final int NR = Sgemm.NR;

    private final float[] x;
    private final int xOff;
    private final Window win;
    private final int rows;
    private final int columns;
    private final int inSize;
    private final int kernelSize;

    /**
     * The im2col matrix of {@code channels} channels of {@code x} starting at {@code xOff}.
     *
     * @param x        the input values
     * @param xOff     where the first channel of the image and group starts
     * @param channels the channels of one group
     * @param win      the convolution's window
     */
    public Im2colSource(float[] x, int xOff, int channels, Window win) {
        this.x = x;
        this.xOff = xOff;
        this.win = win;
        this.kernelSize = win.kernelSize();
        this.rows = channels * kernelSize;
        this.columns = win.outSize();
        this.inSize = win.inSize();
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int columns() {
        return columns;
    }

    @Override
    public void pack(int k0, int kc, int n0, int nc, float[] dst) {
        int kHW = win.k[1] * win.k[2];
        for (int kk = 0; kk < kc; kk++) {
            int k = k0 + kk;
            int c = k / kernelSize;
            int tap = k - c * kernelSize;
            int kd = tap / kHW;
            int kh = tap / win.k[2] - kd * win.k[1];
            int kw = tap - (kd * win.k[1] + kh) * win.k[2];
            packRow(xOff + c * inSize, kd * win.d[0] - win.padBegin[0],
                    kh * win.d[1] - win.padBegin[1], kw * win.d[2] - win.padBegin[2],
                    n0, nc, dst, kk * NR, kc * NR);
        }
    }

    /**
     * One im2col row: the input cells at offsets (offD, offH, offW) from every output cell's
     * window origin, for output cells {@code [n0, n0 + nc)}; {@code rowOff} is the row's place in
     * panel 0 and {@code panelSize} the distance between panels.
     */
    private void packRow(int chOff, int offD, int offH, int offW, int n0, int nc, float[] dst,
            int rowOff, int panelSize) {
        int[] in = win.in;
        int[] out = win.out;
        int sw = win.s[2];
        // Output columns whose input column offW + ow * sw lies inside [0, W).
        int lo = offW >= 0 ? 0 : Math.min(out[2], (-offW + sw - 1) / sw);
        int hi = in[2] - offW <= 0 ? 0 : Math.min(out[2], (in[2] - offW + sw - 1) / sw);
        hi = Math.max(hi, lo);
        int ow = n0 % out[2];
        int t = n0 / out[2];
        int oh = t % out[1];
        int od = t / out[1];
        int j = 0;
        while (j < nc) {
            int end = j + Math.min(out[2] - ow, nc - j);
            int id = od * win.s[0] + offD;
            int ih = oh * win.s[1] + offH;
            boolean inside = id >= 0 && id < in[0] && ih >= 0 && ih < in[1];
            // Index of output column 0's tap in this input row (may lie outside the row).
            int src = chOff + (id * in[1] + ih) * in[2] + offW;
            while (j < end) {
                int q = j % NR;
                int w = Math.min(NR - q, end - j);
                int d = (j / NR) * panelSize + rowOff + q;
                if (!inside) {
                    Arrays.fill(dst, d, d + w, 0f);
                } else {
                    int a = Math.max(ow, lo);
                    int b = Math.min(ow + w, hi);
                    if (b <= a) {
                        Arrays.fill(dst, d, d + w, 0f);
                    } else {
                        if (a > ow) {
                            Arrays.fill(dst, d, d + a - ow, 0f);
                        }
                        int da = d + a - ow;
                        if (sw == 1) {
                            System.arraycopy(x, src + a, dst, da, b - a);
                        } else {
                            for (int o = a, s = src + a * sw; o < b; o++, s += sw) {
                                dst[da + o - a] = x[s];
                            }
                        }
                        if (ow + w > b) {
                            Arrays.fill(dst, d + b - ow, d + w, 0f);
                        }
                    }
                }
                j += w;
                ow += w;
            }
            ow = 0;
            if (++oh == out[1]) {
                oh = 0;
                od++;
            }
        }
        int tail = nc % NR;
        if (tail != 0) {
            int d = (nc / NR) * panelSize + rowOff;
            Arrays.fill(dst, d + tail, d + NR, 0f);
        }
    }
}
