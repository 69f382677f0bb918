package dev.lanes.runtime.kernels.conv;

import dev.lanes.runtime.kernels.gemm.Activation;
import dev.lanes.runtime.kernels.spatial.Window;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The plane layout and inner loops of {@link DepthwiseConv} for one run's geometry (2-D, or
 * 1-D as a 1-row 2-D).
 *
 * <p>A plane is computed in bands of output rows, so that the buffer of a band stays in L1.
 * Layout of the buffer: the padded input rows of the band (padded row {@code r} is input row
 * {@code r - padTop}, zeros outside the input), each {@code rowPitch = sw * phasePitch} floats:
 * the {@code sw} column phases of the padded row, phase {@code q} holding padded columns
 * {@code q, q + sw, q + 2 sw, ...}. Output {@code (oy, ox)} with tap {@code (i, j)} reads padded
 * row {@code oy * sh + i * dh}, column {@code ox * sw + j * dw}, that is phase
 * {@code (j * dw) % sw}, index {@code ox + (j * dw) / sw}: a fixed offset per tap, so a vector
 * of consecutive outputs is a contiguous load. The phase pitch leaves room for whole vectors
 * past the last output (their extra lanes are never stored).
 */
final class DepthwiseRows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    /** Target size of a band's buffer: a third of L1. */
    private static final int BAND_FLOATS = 4096;
    private static final VectorMask<Float> EVEN = lanes(0);
    private static final VectorMask<Float> ODD = lanes(1);
    private static final VectorMask<Float> HALF = S.indexInRange(0, V / 2);

    private final int inH;
    private final int inW;
    private final int outH;
    private final int outW;
    private final int kh;
    private final int kw;
    private final int sh;
    private final int sw;
    private final int padTop;
    private final int padLeft;
    private final int dh;
    /** Output rows per band, and the padded input rows a full band reads. */
    private final int band;
    private final int bandRows;
    private final int phasePitch;
    private final int rowPitch;
    /** Buffer offset of each tap (row-major over the kernel) relative to the output's row. */
    private final int[] taps;

    DepthwiseRows(Window win) {
        inH = win.in[1];
        inW = win.in[2];
        outH = win.out[1];
        outW = win.out[2];
        kh = win.k[1];
        kw = win.k[2];
        sh = win.s[1];
        sw = win.s[2];
        padTop = win.padBegin[1];
        padLeft = win.padBegin[2];
        dh = win.d[1];
        int dw = win.d[2];
        int outRounded = (outW + V - 1) / V * V;
        phasePitch = outRounded + (dw * (kw - 1)) / sw + 1;
        rowPitch = sw * phasePitch;
        band = Math.max(1, Math.min(outH, (BAND_FLOATS / rowPitch - (kh - 1) * dh) / sh));
        bandRows = (band - 1) * sh + (kh - 1) * dh + 1;
        taps = new int[kh * kw];
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                int col = j * dw;
                taps[i * kw + j] = i * dh * rowPitch + (col % sw) * phasePitch + col / sw;
            }
        }
    }

    /** The mask of lanes {@code parity, parity + 2, ...}. */
    private static VectorMask<Float> lanes(int parity) {
        boolean[] bits = new boolean[V];
        for (int i = parity; i < V; i += 2) {
            bits[i] = true;
        }
        return VectorMask.fromArray(S, bits, 0);
    }

    /** Floats of buffer one plane needs. */
    int bufferSize() {
        return bandRows * rowPitch;
    }

    /**
     * Computes one plane, {@code x[xOff]} ([inH, inW]) into {@code y[yOff]} ([outH, outW]):
     * {@code act(conv(x, w[wOff]) * scale + shift + res)}, {@code res} at the output's offsets
     * or null, {@code buf} of at least {@link #bufferSize()} floats as scratch.
     */
    void plane(float[] x, int xOff, float[] buf, float[] w, int wOff, float[] y, int yOff,
            float[] res, float scale, float shift, Activation act) {
        for (int oy0 = 0; oy0 < outH; oy0 += band) {
            int oy1 = Math.min(outH, oy0 + band);
            fill(x, xOff, buf, oy0 * sh, (oy1 - 1 - oy0) * sh + (kh - 1) * dh + 1);
            compute(buf, w, wOff, y, yOff, res, scale, shift, act, oy0, oy1);
        }
    }

    /** Copies padded rows {@code [r0, r0 + nRows)} of the plane into {@code buf}. */
    private void fill(float[] x, int xOff, float[] buf, int r0, int nRows) {
        for (int r = 0; r < nRows; r++) {
            int o = r * rowPitch;
            int ih = r0 + r - padTop;
            if (ih < 0 || ih >= inH) {
                Arrays.fill(buf, o, o + rowPitch, 0f);
                continue;
            }
            int src = xOff + ih * inW;
            if (sw == 1) {
                int lead = Math.min(padLeft, rowPitch);
                int count = Math.max(0, Math.min(inW, rowPitch - lead));
                Arrays.fill(buf, o, o + lead, 0f);
                System.arraycopy(x, src, buf, o + lead, count);
                Arrays.fill(buf, o + lead + count, o + rowPitch, 0f);
            } else if (sw == 2) {
                fillStride2(x, src, buf, o);
            } else {
                Arrays.fill(buf, o, o + rowPitch, 0f);
                for (int q = 0; q < sw; q++) {
                    // The first input column whose padded column falls in phase q.
                    int iw = Math.floorMod(q - padLeft, sw);
                    int dst = o + q * phasePitch + (padLeft + iw) / sw;
                    int end = o + (q + 1) * phasePitch;
                    for (; iw < inW && dst < end; iw += sw, dst++) {
                        buf[dst] = x[src + iw];
                    }
                }
            }
        }
    }

    /**
     * One row for stride 2: each vector of input columns is split into its even and odd lanes
     * ({@code compress}), which land as half vectors in the two phases.
     */
    private void fillStride2(float[] x, int src, float[] buf, int o) {
        Arrays.fill(buf, o, o + rowPitch, 0f);
        // Columns past the phases' room are never read.
        int count = Math.min(inW, 2 * phasePitch - padLeft);
        int parity = padLeft & 1;
        int evenBase = o + parity * phasePitch;
        int oddBase = o + (1 - parity) * phasePitch;
        int iw = 0;
        for (; iw <= count - V; iw += V) {
            FloatVector v = FloatVector.fromArray(S, x, src + iw);
            v.compress(EVEN).intoArray(buf, evenBase + ((padLeft + iw) >> 1), HALF);
            v.compress(ODD).intoArray(buf, oddBase + ((padLeft + iw + 1) >> 1), HALF);
        }
        for (; iw < count; iw++) {
            int col = padLeft + iw;
            buf[o + (col & 1) * phasePitch + (col >> 1)] = x[src + iw];
        }
    }

    /** Computes output rows {@code [oy0, oy1)} from the band's filled buffer. */
    private void compute(float[] buf, float[] w, int wOff, float[] y, int yOff, float[] res,
            float scale, float shift, Activation act, int oy0, int oy1) {
        // Relu and Clip are a clamp in the store; other activations a second pass per plane,
        // which keeps their larger vector code out of the convolution loop.
        Activation.Kind kind = act.kind();
        float lo = kind == Activation.Kind.RELU ? 0f
                : kind == Activation.Kind.CLIP ? act.alpha() : Float.NEGATIVE_INFINITY;
        float hi = kind == Activation.Kind.CLIP ? act.beta() : Float.POSITIVE_INFINITY;
        if (kh == 3 && kw == 3) {
            compute3x3(buf, w, wOff, y, yOff, res, scale, shift, lo, hi, oy0, oy1);
        } else {
            computeAny(buf, w, wOff, y, yOff, res, scale, shift, lo, hi, oy0, oy1);
        }
        if (kind != Activation.Kind.NONE && kind != Activation.Kind.RELU
                && kind != Activation.Kind.CLIP) {
            activate(y, yOff + oy0 * outW, (oy1 - oy0) * outW, act);
        }
    }

    /** Applies {@code act} in place to {@code y[off, off + n)}. */
    private static void activate(float[] y, int off, int n, Activation act) {
        int i = 0;
        for (; i <= n - V; i += V) {
            act.apply(FloatVector.fromArray(S, y, off + i)).intoArray(y, off + i);
        }
        for (; i < n; i++) {
            y[off + i] = act.apply(y[off + i]);
        }
    }

    /** Any window, tap by tap. */
    private void computeAny(float[] buf, float[] w, int wOff, float[] y, int yOff, float[] res,
            float scale, float shift, float lo, float hi, int oy0, int oy1) {
        // Vectors made here, not passed in: vector arguments of calls not inlined are boxed.
        FloatVector sc = FloatVector.broadcast(S, scale);
        FloatVector sf = FloatVector.broadcast(S, shift);
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        int nt = taps.length;
        int full = outW - outW % V;
        VectorMask<Float> tail = S.indexInRange(full, outW);
        for (int oy = oy0; oy < oy1; oy++) {
            int rb = (oy - oy0) * sh * rowPitch;
            int yr = yOff + oy * outW;
            for (int ox = 0; ox < outW; ox += V) {
                int p = rb + ox;
                FloatVector acc = FloatVector.zero(S);
                for (int t = 0; t < nt; t++) {
                    acc = FloatVector.fromArray(S, buf, p + taps[t])
                            .fma(FloatVector.broadcast(S, w[wOff + t]), acc);
                }
                FloatVector v = acc.fma(sc, sf);
                int o = yr + ox;
                if (ox < full) {
                    if (res != null) {
                        v = v.add(FloatVector.fromArray(S, res, o));
                    }
                    v.max(vlo).min(vhi).intoArray(y, o);
                } else {
                    if (res != null) {
                        v = v.add(FloatVector.fromArray(S, res, o, tail));
                    }
                    v.max(vlo).min(vhi).intoArray(y, o, tail);
                }
            }
        }
    }

    /** The 3x3 window with its nine weights and tap offsets held in registers. */
    private void compute3x3(float[] buf, float[] w, int wOff, float[] y, int yOff, float[] res,
            float scale, float shift, float lo, float hi, int oy0, int oy1) {
        // Vectors made here, not passed in: vector arguments of calls not inlined are boxed.
        FloatVector sc = FloatVector.broadcast(S, scale);
        FloatVector sf = FloatVector.broadcast(S, shift);
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        FloatVector w0 = FloatVector.broadcast(S, w[wOff]);
        FloatVector w1 = FloatVector.broadcast(S, w[wOff + 1]);
        FloatVector w2 = FloatVector.broadcast(S, w[wOff + 2]);
        FloatVector w3 = FloatVector.broadcast(S, w[wOff + 3]);
        FloatVector w4 = FloatVector.broadcast(S, w[wOff + 4]);
        FloatVector w5 = FloatVector.broadcast(S, w[wOff + 5]);
        FloatVector w6 = FloatVector.broadcast(S, w[wOff + 6]);
        FloatVector w7 = FloatVector.broadcast(S, w[wOff + 7]);
        FloatVector w8 = FloatVector.broadcast(S, w[wOff + 8]);
        int t1 = taps[1];
        int t2 = taps[2];
        int t3 = taps[3];
        int t4 = taps[4];
        int t5 = taps[5];
        int t6 = taps[6];
        int t7 = taps[7];
        int t8 = taps[8];
        int full = outW - outW % V;
        VectorMask<Float> tail = S.indexInRange(full, outW);
        for (int oy = oy0; oy < oy1; oy++) {
            int rb = (oy - oy0) * sh * rowPitch;
            int yr = yOff + oy * outW;
            for (int ox = 0; ox < outW; ox += V) {
                int p = rb + ox;
                // One accumulator per kernel row: three short FMA chains instead of one long.
                FloatVector a0 = FloatVector.fromArray(S, buf, p).mul(w0);
                FloatVector a1 = FloatVector.fromArray(S, buf, p + t3).mul(w3);
                FloatVector a2 = FloatVector.fromArray(S, buf, p + t6).mul(w6);
                a0 = FloatVector.fromArray(S, buf, p + t1).fma(w1, a0);
                a1 = FloatVector.fromArray(S, buf, p + t4).fma(w4, a1);
                a2 = FloatVector.fromArray(S, buf, p + t7).fma(w7, a2);
                a0 = FloatVector.fromArray(S, buf, p + t2).fma(w2, a0);
                a1 = FloatVector.fromArray(S, buf, p + t5).fma(w5, a1);
                a2 = FloatVector.fromArray(S, buf, p + t8).fma(w8, a2);
                FloatVector acc = a0.add(a1).add(a2);
                FloatVector v = acc.fma(sc, sf);
                int o = yr + ox;
                if (ox < full) {
                    if (res != null) {
                        v = v.add(FloatVector.fromArray(S, res, o));
                    }
                    v.max(vlo).min(vhi).intoArray(y, o);
                } else {
                    if (res != null) {
                        v = v.add(FloatVector.fromArray(S, res, o, tail));
                    }
                    v.max(vlo).min(vhi).intoArray(y, o, tail);
                }
            }
        }
    }
}
