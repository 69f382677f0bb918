package dev.lanes.runtime.kernels.conv;

import dev.lanes.runtime.kernels.gemm.Activation;
import dev.lanes.runtime.kernels.simd.PaddedRows;
import dev.lanes.runtime.kernels.simd.Scratch;
import dev.lanes.runtime.kernels.spatial.Window;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner loops of {@link DepthwiseConv} for one run's geometry (2-D, or 1-D as a 1-row 2-D)
 * over the padded, phase-split rows of {@link PaddedRows}: every tap of the window is one
 * contiguous vector load at a fixed offset from the output row.
 */
final class DepthwiseRows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    private final PaddedRows rows;
    private final int outH;
    private final int outW;
    private final int kh;
    private final int kw;

    DepthwiseRows(Window win) {
        rows = new PaddedRows(win);
        outH = rows.outH;
        outW = rows.outW;
        kh = rows.kh;
        kw = rows.kw;
    }

    /**
     * Claims a scratch slot for this layout; true when the slot's buffer already holds its
     * padding (a single-band layout whose earlier plane ran on this thread).
     */
    boolean claim(Scratch.Slot slot) {
        return slot.claim(rows.singleBand() ? rows : null);
    }

    /** Floats of buffer one plane needs: a band's rows, then one vector of spare room. */
    int bufferSize() {
        return rows.bufferSize() + V;
    }

    /**
     * Computes one plane, {@code x[xOff]} ([inH, inW]) into {@code y[yOff]} ([outH, outW]):
     * {@code act(conv(x, w[wOff]) * scale + shift + res)}, {@code res} at the output's offsets
     * or null, {@code buf} of at least {@link #bufferSize()} floats as scratch ({@code padsReady}
     * when it already holds this layout's padding, see {@link #claim}).
     */
    void plane(float[] x, int xOff, float[] buf, boolean padsReady, float[] w, int wOff,
            float[] y, int yOff, float[] res, float scale, float shift, Activation act) {
        for (int oy0 = 0; oy0 < outH; oy0 += rows.band) {
            int oy1 = Math.min(outH, oy0 + rows.band);
            rows.fillBand(x, xOff, buf, oy0, oy1, 0f, padsReady);
            compute(buf, w, wOff, y, yOff, res, scale, shift, act, oy0, oy1);
        }
    }

    /** Computes output rows {@code [oy0, oy1)} from the band's filled buffer. */
    private void compute(float[] buf, float[] w, int wOff, float[] y, int yOff, float[] res,
            float scale, float shift, Activation act, int oy0, int oy1) {
        // Relu and Clip are a clamp in the store (a compare and a blend per bound, where
        // FloatVector.max/min keep Math.max's NaN and signed-zero rules at five instructions
        // each on AVX2; a zero may keep its sign); other activations a second pass per plane,
        // which keeps their larger vector code out of the convolution loop.
        float lo = act.clampLow();
        float hi = act.clampHigh();
        if (kh == 3 && kw == 3) {
            compute3x3(buf, w, wOff, y, yOff, res, scale, shift, lo, hi, oy0, oy1);
        } else {
            computeAny(buf, w, wOff, y, yOff, res, scale, shift, lo, hi, oy0, oy1);
        }
        if (!act.isClamp()) {
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
        int nt = kh * kw;
        int full = rows.fullW;
        int planeEnd = yOff + rows.outH * outW;
        int spare = rows.bufferSize();
        for (int oy = oy0; oy < oy1; oy++) {
            int rb = rows.rowBase(oy, oy0);
            int yr = yOff + oy * outW;
            for (int ox = 0; ox < outW; ox += V) {
                int p = rb + ox;
                FloatVector acc = FloatVector.zero(S);
                for (int t = 0; t < nt; t++) {
                    acc = FloatVector.fromArray(S, buf, p + rows.tap(t))
                            .fma(FloatVector.broadcast(S, w[wOff + t]), acc);
                }
                FloatVector v = acc.fma(sc, sf);
                int o = yr + ox;
                // Past a row's end a whole vector writes into the next rows, which are computed
                // after; only a vector that would leave the plane needs the (on AVX2, slow)
                // masked store.
                if (ox < full || o + V <= planeEnd) {
                    if (res != null) {
                        v = v.add(FloatVector.fromArray(S, res, o));
                    }
                    v = v.blend(vlo, v.compare(VectorOperators.LT, vlo));
                    v.blend(vhi, v.compare(VectorOperators.GT, vhi)).intoArray(y, o);
                } else {
                    // The plane's last, partial vector goes through the buffer's spare room:
                    // a masked store past the array's end takes a lane-by-lane bounds check
                    // that C2 leaves out of line (it made 7x7 planes 4x slower).
                    int lanes = planeEnd - o;
                    if (res != null) {
                        System.arraycopy(res, o, buf, spare, lanes);
                        v = v.add(FloatVector.fromArray(S, buf, spare));
                    }
                    v = v.blend(vlo, v.compare(VectorOperators.LT, vlo));
                    v.blend(vhi, v.compare(VectorOperators.GT, vhi)).intoArray(buf, spare);
                    System.arraycopy(buf, spare, y, o, lanes);
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
        int t1 = rows.tap(1);
        int t2 = rows.tap(2);
        int t3 = rows.tap(3);
        int t4 = rows.tap(4);
        int t5 = rows.tap(5);
        int t6 = rows.tap(6);
        int t7 = rows.tap(7);
        int t8 = rows.tap(8);
        int full = rows.fullW;
        int planeEnd = yOff + rows.outH * outW;
        int spare = rows.bufferSize();
        for (int oy = oy0; oy < oy1; oy++) {
            int rb = rows.rowBase(oy, oy0);
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
                // Past a row's end a whole vector writes into the next rows, which are computed
                // after; only a vector that would leave the plane needs the (on AVX2, slow)
                // masked store.
                if (ox < full || o + V <= planeEnd) {
                    if (res != null) {
                        v = v.add(FloatVector.fromArray(S, res, o));
                    }
                    v = v.blend(vlo, v.compare(VectorOperators.LT, vlo));
                    v.blend(vhi, v.compare(VectorOperators.GT, vhi)).intoArray(y, o);
                } else {
                    // The plane's last, partial vector goes through the buffer's spare room:
                    // a masked store past the array's end takes a lane-by-lane bounds check
                    // that C2 leaves out of line (it made 7x7 planes 4x slower).
                    int lanes = planeEnd - o;
                    if (res != null) {
                        System.arraycopy(res, o, buf, spare, lanes);
                        v = v.add(FloatVector.fromArray(S, buf, spare));
                    }
                    v = v.blend(vlo, v.compare(VectorOperators.LT, vlo));
                    v.blend(vhi, v.compare(VectorOperators.GT, vhi)).intoArray(buf, spare);
                    System.arraycopy(buf, spare, y, o, lanes);
                }
            }
        }
    }
}
