package dev.lanes.runtime.kernels.spatial;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max and average pooling of NCHW FLOAT tensors with 2-D windows and no dilation, vectorized
 * along the output row. Each input row a window reads is copied once into a padded row (pad
 * value -inf for max, 0 for average) split into {@code stride} phases, so that the input cells
 * of consecutive outputs are consecutive in memory for every stride. Planes are split across
 * threads. {@link PoolKernel} is the general reference it is tested against.
 */
public final class Pool2d implements Kernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();

    private final boolean max;
    private final int[] kernel;
    private final int[] strides;
    private final int[] pads;
    private final AutoPad autoPad;
    private final boolean ceilMode;
    private final boolean countIncludePad;
    private final Kernel general;

    /**
     * A 2-D pooling kernel.
     *
     * @param max             max pooling (else average)
     * @param kernel          window height and width
     * @param strides         strides, or null for 1
     * @param pads            pads (top, left, bottom, right), or null
     * @param autoPad         padding rule
     * @param ceilMode        round output sizes up
     * @param countIncludePad average: divide by the window size including padding
     * @param general         the general kernel for inputs this one does not take (integer
     *                        types), or null
     */
    public Pool2d(boolean max, int[] kernel, int[] strides, int[] pads, AutoPad autoPad,
            boolean ceilMode, boolean countIncludePad, Kernel general) {
        this.general = general;
        if (kernel.length != 2) {
            throw new IllegalArgumentException("Pool2d needs a 2-D kernel");
        }
        this.max = max;
        this.kernel = kernel.clone();
        this.strides = strides == null ? null : strides.clone();
        this.pads = pads == null ? null : pads.clone();
        this.autoPad = autoPad;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    /** True when this kernel can compute a pooling with these attributes. */
    public static boolean supports(int[] kernel, int[] dilations) {
        if (kernel == null || kernel.length != 2) {
            return false;
        }
        return dilations == null || Arrays.stream(dilations).allMatch(d -> d == 1);
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        int[] xs = x.shapeView();
        if (general != null && (xs.length != 4 || !x.dtype().isFloat())) {
            return general.run(in, ctx);
        }
        if (xs.length != 4 || !x.dtype().isFloat()) {
            throw new ShapeException((max ? "MaxPool" : "AveragePool")
                    + ": expected a FLOAT [N,C,H,W] input, got " + x.dtype() + Arrays.toString(xs));
        }
        Window win = Window.of(new int[] {xs[2], xs[3]}, kernel, strides, null, pads, autoPad,
                ceilMode);
        int[] shape = ConvAttributes.outShape(xs[0], xs[1], win);
        Tensor out = ctx.output(shape);
        int planes = xs[0] * xs[1];
        if (out.size() == 0) {
            return new Tensor[] {out};
        }
        float[] xv = x.floats();
        float[] yv = out.floats();
        float[] colCount = columnCounts(win);
        int chunk = Math.max(1, planes / (4 * ctx.threads()));
        int tasks = (planes + chunk - 1) / chunk;
        ctx.pool().parallelFor(tasks, t -> {
            float[][] phases = new float[win.s[2]][];
            int phaseLen = win.out[2] + (win.k[2] - 1) / win.s[2] + L;
            for (int p = 0; p < phases.length; p++) {
                phases[p] = new float[phaseLen];
            }
            float[] acc = new float[win.out[2] + L];
            for (int pl = t * chunk; pl < Math.min(planes, (t + 1) * chunk); pl++) {
                plane(xv, pl * win.in[1] * win.in[2], yv, pl * win.out[1] * win.out[2], win,
                        phases, acc, colCount);
            }
        });
        return new Tensor[] {out};
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    /** Average pooling: how many columns of each output's window count toward its divisor. */
    private float[] columnCounts(Window win) {
        float[] c = new float[win.out[2]];
        for (int ow = 0; ow < c.length; ow++) {
            c[ow] = count(win, 2, ow);
        }
        return c;
    }

    /** Taps of output {@code o} along axis {@code a} inside the input (or the padded input). */
    private int count(Window win, int a, int o) {
        int start = o * win.s[a] - win.padBegin[a];
        int lo = countIncludePad ? -win.padBegin[a] : 0;
        int hi = countIncludePad ? win.in[a] + win.padEnd[a] : win.in[a];
        return Math.max(0, Math.min(hi, start + win.k[a]) - Math.max(lo, start));
    }

    private void plane(float[] x, int xOff, float[] y, int yOff, Window win, float[][] phases,
            float[] acc, float[] colCount) {
        int h = win.in[1];
        int w = win.in[2];
        int kh = win.k[1];
        int kw = win.k[2];
        int sh = win.s[1];
        int sw = win.s[2];
        int oh = win.out[1];
        int ow = win.out[2];
        int padTop = win.padBegin[1];
        int padLeft = win.padBegin[2];
        float fill = max ? Float.NEGATIVE_INFINITY : 0f;
        int phaseLen = phases[0].length;
        for (int r = 0; r < oh; r++) {
            int top = r * sh - padTop;
            int r0 = Math.max(0, top);
            int r1 = Math.min(h, top + kh);
            Arrays.fill(acc, 0, ow, fill);
            for (int ih = r0; ih < r1; ih++) {
                // Padded row j = input column j - padLeft, split by phase j % sw.
                int row = xOff + ih * w;
                for (int p = 0; p < sw; p++) {
                    // Cells q of phase p hold input column q * sw + p - padLeft when it exists.
                    float[] ph = phases[p];
                    int qLo = Math.min(phaseLen, Math.max(0, ceilDiv(padLeft - p, sw)));
                    int qHi = Math.max(qLo, Math.min(phaseLen, ceilDiv(w + padLeft - p, sw)));
                    Arrays.fill(ph, 0, qLo, fill);
                    int col = qLo * sw + p - padLeft;
                    if (sw == 1) {
                        System.arraycopy(x, row + col, ph, qLo, qHi - qLo);
                    } else {
                        for (int q = qLo; q < qHi; q++, col += sw) {
                            ph[q] = x[row + col];
                        }
                    }
                    Arrays.fill(ph, qHi, phaseLen, fill);
                }
                for (int k = 0; k < kw; k++) {
                    float[] ph = phases[k % sw];
                    int shift = k / sw;
                    int c = 0;
                    for (; c <= ow - L; c += L) {
                        FloatVector a = FloatVector.fromArray(SPECIES, acc, c);
                        FloatVector v = FloatVector.fromArray(SPECIES, ph, c + shift);
                        (max ? a.max(v) : a.add(v)).intoArray(acc, c);
                    }
                    for (; c < ow; c++) {
                        float v = ph[c + shift];
                        acc[c] = max ? Math.max(acc[c], v) : acc[c] + v;
                    }
                }
            }
            int o = yOff + r * ow;
            if (max) {
                System.arraycopy(acc, 0, y, o, ow);
            } else {
                float rows = count(win, 1, r);
                for (int c = 0; c < ow; c++) {
                    float n = rows * colCount[c];
                    y[o + c] = n == 0 ? 0f : acc[c] / n;
                }
            }
        }
    }

}
