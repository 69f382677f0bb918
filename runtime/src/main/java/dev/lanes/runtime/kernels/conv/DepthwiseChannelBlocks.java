package dev.lanes.runtime.kernels.conv;

import dev.lanes.runtime.kernels.gemm.Activation;
import dev.lanes.runtime.kernels.spatial.Window;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Depthwise convolution of a block of {@link #V} channels at once, with the channels in the
 * vector lanes (the NCHWc layout of ONNX Runtime and oneDNN, inside one kernel call): the
 * block's input rows are gathered into a padded buffer of pixels, each pixel a vector of the
 * block's channels; every output pixel is then one vector of taps times weight vectors, with no
 * row edges, tails or stride phases; the results are gathered back into the channel planes.
 *
 * <p>On small planes this is much cheaper than a plane at a time (a 7x7 plane is one partial
 * vector per row there, and its fixed costs are most of the work). Output rows are computed in
 * bands whose buffers stay in L1.
 *
 * <p>Buffer layout, per band: the band's padded input rows ({@link #rowFloats} floats each:
 * pixels of {@code V} floats, split by stride phase, see {@link #phaseCols}; padded row
 * {@code r} is input row {@code r - padTop}, zero outside the
 * input), then the band's output pixels ({@code outW} per row, {@code V} floats each). Kernels
 * that keep their tensors in channel blocks ({@link DepthwiseConv#blocked}) copy the input rows
 * instead of gathering them, and the output pixels go straight to the output.
 */
final class DepthwiseChannelBlocks {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Channels per block: one per lane. */
    static final int V = S.length();
    /** Target floats of a band's buffers: about half of L1. */
    private static final int BAND_FLOATS = 6144;
    /** Output pixels computed together, sharing each weight vector. */
    private static final int PIXELS = 4;

    private final int inH;
    private final int inW;
    private final int outH;
    private final int outW;
    private final int kh;
    private final int kw;
    private final int sh;
    private final int sw;
    private final int dh;
    private final int dw;
    private final int padTop;
    private final int padLeft;
    /** Padded columns the outputs read. */
    private final int cols;
    /**
     * Columns per stride phase: padded column {@code c} of a row is pixel {@code c / sw} of
     * phase {@code c % sw}, so the pixels an output row reads with one tap are consecutive for
     * any stride, and every tile reads with the same constant step.
     */
    private final int phaseCols;
    /** Floats per buffered row: its phases one after the other. */
    private final int rowFloats;
    /** Output rows per band, and the padded rows a band reads. */
    private final int band;
    private final int bandRows;
    /** Where the band's output pixels start in the buffer. */
    private final int outAt;
    /** Lane {@code l} reads channel {@code l} of a pixel: {@code l * inH * inW}. */
    private final int[] inLanes;
    /** Lane {@code l} reads output pixel {@code l} of a channel: {@code l * V}. */
    private final int[] outLanes;
    /** Buffer offset of each tap (row-major over the window) from its output pixel's first. */
    private final int[] tapAt;

    DepthwiseChannelBlocks(Window win) {
        inH = win.in[1];
        inW = win.in[2];
        outH = win.out[1];
        outW = win.out[2];
        kh = win.k[1];
        kw = win.k[2];
        sh = win.s[1];
        sw = win.s[2];
        dh = win.d[1];
        dw = win.d[2];
        padTop = win.padBegin[1];
        padLeft = win.padBegin[2];
        cols = (outW - 1) * sw + (kw - 1) * dw + 1;
        phaseCols = (cols + sw - 1) / sw;
        rowFloats = sw * phaseCols * V;
        int perOutRow = sh * rowFloats + outW * V;
        int fixed = (kh - 1) * dh * rowFloats;
        // Two rows at least: the compute tiles are two rows high.
        band = Math.min(outH, Math.max(2, (BAND_FLOATS - fixed) / perOutRow));
        bandRows = (band - 1) * sh + (kh - 1) * dh + 1;
        outAt = bandRows * rowFloats;
        inLanes = lanes(inH * inW);
        outLanes = lanes(V);
        tapAt = new int[kh * kw];
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                int c = j * dw;
                tapAt[i * kw + j] = i * dh * rowFloats + ((c % sw) * phaseCols + c / sw) * V;
            }
        }
    }

    private static int[] lanes(int step) {
        int[] idx = new int[V];
        for (int l = 0; l < V; l++) {
            idx[l] = l * step;
        }
        return idx;
    }

    /** True when the window fits: at most 2 spatial axes, no negative pads. */
    static boolean covers(Window win) {
        return win.rank <= 2 && win.padBegin[1] >= 0 && win.padEnd[1] >= 0
                && win.padBegin[2] >= 0 && win.padEnd[2] >= 0;
    }

    /** Floats of scratch one block needs. */
    int bufferSize() {
        return outAt + band * outW * V;
    }

    /**
     * Packs depthwise weights W [C, 1, kh, kw] for the blocks: block {@code b}, tap {@code t},
     * lane {@code l} at {@code (b * taps + t) * V + l} is channel {@code b * V + l}'s tap
     * {@code t}; channels past the last whole block are left out.
     */
    static float[] packWeights(float[] w, int channels, int taps) {
        int blocks = channels / V;
        float[] p = new float[blocks * taps * V];
        for (int b = 0; b < blocks; b++) {
            for (int t = 0; t < taps; t++) {
                for (int l = 0; l < V; l++) {
                    p[(b * taps + t) * V + l] = w[(b * V + l) * taps + t];
                }
            }
        }
        return p;
    }

    /**
     * Computes channels {@code [c0, c0 + V)} of one image: the plane of channel {@code c0 + l}
     * is at {@code x[xOff + l * inH * inW]}, its output at {@code y[yOff + l * outH * outW]},
     * its residual (or null) at the same offsets of {@code res}; {@code pw} the packed weights
     * at the block's first ({@link #packWeights}), {@code scale} and {@code shift} per channel
     * (index {@code c0}) or null. {@code buf} holds at least {@link #bufferSize()} floats.
     * With {@code blocked}, input, output and residual are in channel blocks instead
     * ({@link ChannelBlocksReorder}; the block's pixels start at the offsets given).
     */
    void block(float[] x, int xOff, float[] buf, float[] pw, int pwOff, float[] y, int yOff,
            float[] res, float[] scale, int c0, float[] shift, Activation act,
            boolean blocked) {
        // Relu and Clip are a clamp in the compute loop's store; with a residual, or another
        // activation, they come after, as the pixels go back to their planes.
        boolean clampInStore = res == null && act.isClamp();
        for (int oy0 = 0; oy0 < outH; oy0 += band) {
            int oy1 = Math.min(outH, oy0 + band);
            int r0 = oy0 * sh;
            int rows = (oy1 - 1 - oy0) * sh + (kh - 1) * dh + 1;
            fillRows(x, xOff, buf, r0, rows, blocked);
            // Blocked outputs are written in place; planar ones go through the buffer.
            float[] out = blocked ? y : buf;
            int outBase = blocked ? yOff + oy0 * outW * V : outAt;
            compute(buf, out, outBase, pw, pwOff, scale, shift, c0,
                    clampInStore ? act : Activation.NONE, oy0, oy1);
            Activation rest = clampInStore ? Activation.NONE : act;
            if (blocked) {
                finishInPlace(y, yOff, res, oy0 * outW, (oy1 - oy0) * outW, rest);
            } else {
                scatter(buf, y, yOff, res, oy0 * outW, (oy1 - oy0) * outW, rest);
            }
        }
    }

    /**
     * Finishes the band's output pixels {@code [p0, p0 + n)} of a blocked output in place:
     * adds the residual (or null), then applies {@code act}.
     */
    private static void finishInPlace(float[] y, int yOff, float[] res, int p0, int n,
            Activation act) {
        if (res == null && act.kind() == Activation.Kind.NONE) {
            return;
        }
        int dst = yOff + p0 * V;
        for (int i = 0; i < n * V; i += V) {
            FloatVector v = FloatVector.fromArray(S, y, dst + i);
            if (res != null) {
                v = v.add(FloatVector.fromArray(S, res, dst + i));
            }
            act.apply(v).intoArray(y, dst + i);
        }
    }

    /**
     * Fills the buffer with padded rows {@code [r0, r0 + n)} of the block, zero outside the
     * input: gathered from the channel planes, or copied from a {@code blocked} input.
     */
    private void fillRows(float[] x, int xOff, float[] buf, int r0, int n, boolean blocked) {
        int first = Math.min(cols, padLeft);
        int last = Math.min(cols, padLeft + inW);
        for (int r = 0; r < n; r++) {
            int o = r * rowFloats;
            int ih = r0 + r - padTop;
            if (ih < 0 || ih >= inH || sw > 1) {
                // Padding rows, and the phases' padding, scattered over the row.
                Arrays.fill(buf, o, o + rowFloats, 0f);
                if (ih < 0 || ih >= inH) {
                    continue;
                }
            } else {
                Arrays.fill(buf, o, o + first * V, 0f);
                Arrays.fill(buf, o + last * V, o + rowFloats, 0f);
            }
            int src = ih * inW - padLeft;
            if (sw == 1 && blocked) {
                if (last > first) {
                    System.arraycopy(x, xOff + (src + first) * V, buf, o + first * V,
                            (last - first) * V);
                }
            } else {
                // Column c goes to pixel c / sw of phase c % sw, tracked without dividing.
                int phase = first % sw;
                int at = o + (phase * phaseCols + first / sw) * V;
                int phaseFloats = phaseCols * V;
                for (int c = first; c < last; c++) {
                    FloatVector v = blocked ? FloatVector.fromArray(S, x, xOff + (src + c) * V)
                            : FloatVector.fromArray(S, x, xOff + src + c, inLanes, 0);
                    v.intoArray(buf, at);
                    if (++phase == sw) {
                        phase = 0;
                        at += V - (sw - 1) * phaseFloats;
                    } else {
                        at += phaseFloats;
                    }
                }
            }
        }
    }

    /**
     * Output rows {@code [oy0, oy1)} into the band's output pixels, in tiles of 2 rows by 4
     * pixels: eight independent FMA chains, enough to hide the FMA latency, sharing each weight
     * vector. The last tile of a row (or of the band) overlaps the one before rather than
     * leaving a remainder: it writes the same values again.
     */
    private void compute(float[] buf, float[] y, int yBase, float[] pw, int pwOff,
            float[] scale, float[] shift, int c0, Activation act, int oy0, int oy1) {
        if (oy1 - oy0 < 2 || outW < PIXELS) {
            computeSingles(buf, y, yBase, pw, pwOff, scale, shift, c0, act, oy0, oy1);
            return;
        }
        // Vectors made here, not passed in: vector arguments of calls not inlined are boxed.
        FloatVector sc = scale == null ? FloatVector.broadcast(S, 1f)
                : FloatVector.fromArray(S, scale, c0);
        FloatVector sf = shift == null ? FloatVector.zero(S) : FloatVector.fromArray(S, shift, c0);
        FloatVector lo = FloatVector.broadcast(S, act.clampLow());
        FloatVector hi = FloatVector.broadcast(S, act.clampHigh());
        // Consecutive outputs read consecutive pixels of a phase: a constant step, which lets
        // C2 merge a tap's eight bounds checks.
        int step = V;
        int down = sh * rowFloats;
        int rows = oy1 - oy0;
        int taps = kh * kw;
        int[] tapAt = this.tapAt;
        for (int r = 0; r < rows; r += 2) {
            int rr = Math.min(r, rows - 2);
            for (int ox = 0; ox < outW; ox += PIXELS) {
                int oxx = Math.min(ox, outW - PIXELS);
                int p = rr * down + oxx * step;
                FloatVector a0 = FloatVector.zero(S);
                FloatVector a1 = FloatVector.zero(S);
                FloatVector a2 = FloatVector.zero(S);
                FloatVector a3 = FloatVector.zero(S);
                FloatVector b0 = FloatVector.zero(S);
                FloatVector b1 = FloatVector.zero(S);
                FloatVector b2 = FloatVector.zero(S);
                FloatVector b3 = FloatVector.zero(S);
                int t = pwOff;
                for (int tap = 0; tap < taps; tap++, t += V) {
                    int q = p + tapAt[tap];
                    int q2 = q + down;
                    FloatVector wv = FloatVector.fromArray(S, pw, t);
                    a0 = FloatVector.fromArray(S, buf, q).fma(wv, a0);
                    b0 = FloatVector.fromArray(S, buf, q2).fma(wv, b0);
                    q += step;
                    q2 += step;
                    a1 = FloatVector.fromArray(S, buf, q).fma(wv, a1);
                    b1 = FloatVector.fromArray(S, buf, q2).fma(wv, b1);
                    q += step;
                    q2 += step;
                    a2 = FloatVector.fromArray(S, buf, q).fma(wv, a2);
                    b2 = FloatVector.fromArray(S, buf, q2).fma(wv, b2);
                    q += step;
                    q2 += step;
                    a3 = FloatVector.fromArray(S, buf, q).fma(wv, a3);
                    b3 = FloatVector.fromArray(S, buf, q2).fma(wv, b3);
                }
                int o = yBase + (rr * outW + oxx) * V;
                int o2 = o + outW * V;
                a0 = a0.fma(sc, sf);
                a1 = a1.fma(sc, sf);
                a2 = a2.fma(sc, sf);
                a3 = a3.fma(sc, sf);
                b0 = b0.fma(sc, sf);
                b1 = b1.fma(sc, sf);
                b2 = b2.fma(sc, sf);
                b3 = b3.fma(sc, sf);
                a0 = a0.blend(lo, a0.compare(VectorOperators.LT, lo));
                a1 = a1.blend(lo, a1.compare(VectorOperators.LT, lo));
                a2 = a2.blend(lo, a2.compare(VectorOperators.LT, lo));
                a3 = a3.blend(lo, a3.compare(VectorOperators.LT, lo));
                b0 = b0.blend(lo, b0.compare(VectorOperators.LT, lo));
                b1 = b1.blend(lo, b1.compare(VectorOperators.LT, lo));
                b2 = b2.blend(lo, b2.compare(VectorOperators.LT, lo));
                b3 = b3.blend(lo, b3.compare(VectorOperators.LT, lo));
                a0.blend(hi, a0.compare(VectorOperators.GT, hi)).intoArray(y, o);
                a1.blend(hi, a1.compare(VectorOperators.GT, hi)).intoArray(y, o + V);
                a2.blend(hi, a2.compare(VectorOperators.GT, hi)).intoArray(y, o + 2 * V);
                a3.blend(hi, a3.compare(VectorOperators.GT, hi)).intoArray(y, o + 3 * V);
                b0.blend(hi, b0.compare(VectorOperators.GT, hi)).intoArray(y, o2);
                b1.blend(hi, b1.compare(VectorOperators.GT, hi)).intoArray(y, o2 + V);
                b2.blend(hi, b2.compare(VectorOperators.GT, hi)).intoArray(y, o2 + 2 * V);
                b3.blend(hi, b3.compare(VectorOperators.GT, hi)).intoArray(y, o2 + 3 * V);
            }
        }
    }

    /** Pixel by pixel, for bands of one row or rows narrower than a tile. */
    private void computeSingles(float[] buf, float[] y, int yBase, float[] pw, int pwOff,
            float[] scale, float[] shift, int c0, Activation act, int oy0, int oy1) {
        // Made here, as in compute: passed in, the four vectors were boxed on every call.
        FloatVector sc = scale == null ? FloatVector.broadcast(S, 1f)
                : FloatVector.fromArray(S, scale, c0);
        FloatVector sf = shift == null ? FloatVector.zero(S) : FloatVector.fromArray(S, shift, c0);
        FloatVector lo = FloatVector.broadcast(S, act.clampLow());
        FloatVector hi = FloatVector.broadcast(S, act.clampHigh());
        for (int oy = oy0; oy < oy1; oy++) {
            int in = (oy - oy0) * sh * rowFloats;
            int out = yBase + (oy - oy0) * outW * V;
            for (int ox = 0; ox < outW; ox++) {
                int p = in + ox * V;
                FloatVector a0 = FloatVector.zero(S);
                for (int tap = 0, t = pwOff; tap < kh * kw; tap++, t += V) {
                    a0 = FloatVector.fromArray(S, buf, p + tapAt[tap])
                            .fma(FloatVector.fromArray(S, pw, t), a0);
                }
                a0 = a0.fma(sc, sf);
                a0 = a0.blend(lo, a0.compare(VectorOperators.LT, lo));
                a0.blend(hi, a0.compare(VectorOperators.GT, hi)).intoArray(y, out + ox * V);
            }
        }
    }

    /**
     * Gathers the band's output pixels {@code [p0, p0 + n)} of the plane back into each
     * channel's plane, adding the residual (or null) and then applying {@code act}.
     */
    private void scatter(float[] buf, float[] y, int yOff, float[] res, int p0, int n,
            Activation act) {
        boolean later = res != null || act.kind() != Activation.Kind.NONE;
        int plane = outH * outW;
        int full = n - n % V;
        for (int l = 0; l < V; l++) {
            int dst = yOff + l * plane + p0;
            int src = outAt + l;
            if (!later) {
                for (int p = 0; p < full; p += V) {
                    FloatVector.fromArray(S, buf, src + p * V, outLanes, 0).intoArray(y, dst + p);
                }
                for (int p = full; p < n; p++) {
                    y[dst + p] = buf[src + p * V];
                }
            } else {
                for (int p = 0; p < full; p += V) {
                    FloatVector v = FloatVector.fromArray(S, buf, src + p * V, outLanes, 0);
                    if (res != null) {
                        v = v.add(FloatVector.fromArray(S, res, dst + p));
                    }
                    act.apply(v).intoArray(y, dst + p);
                }
                for (int p = full; p < n; p++) {
                    float v = buf[src + p * V];
                    y[dst + p] = act.apply(res != null ? v + res[dst + p] : v);
                }
            }
        }
    }
}
